package io.stratadb.pagelog.bookkeeper;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The backend depends on provider-api only (never on the engine or the SQL adapter), its index and codec know
 * nothing of BookKeeper or ZooKeeper, and its packages have no cycles.
 */
class ModuleLayeringTest {
    private static final JavaClasses MODULE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackagesOf(BookKeeperPageLogProvider.class);

    @Test
    void dependsOnTheSpiOnly() {
        noClasses()
                .that()
                .resideInAPackage("io.stratadb.pagelog.bookkeeper..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.stratadb.engine..", "io.stratadb.sql..", "org.apache.calcite..")
                .check(MODULE);
    }

    @Test
    void indexAndCodecArePureDataStructures() {
        noClasses()
                .that()
                .resideInAnyPackage("io.stratadb.pagelog.bookkeeper.index..", "io.stratadb.pagelog.bookkeeper.codec..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.bookkeeper..", "org.apache.zookeeper..", "org.apache.curator..")
                .check(MODULE);
    }

    @Test
    void hasNoPackageCycles() {
        slices().matching("io.stratadb.pagelog.bookkeeper.(*)..")
                .should()
                .beFreeOfCycles()
                .allowEmptyShould(true)
                .check(MODULE);
    }
}
