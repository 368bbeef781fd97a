package io.stratadb.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine never depends on the SQL adapter, and its packages have no cycles. */
class EngineLayeringTest {
    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.stratadb.engine");

    @Test
    void neverDependsOnTheSqlAdapter() {
        noClasses()
                .that()
                .resideInAPackage("io.stratadb.engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.stratadb.sql..", "org.apache.calcite..")
                .check(ENGINE);
    }

    @Test
    void hasNoPackageCycles() {
        slices().matching("io.stratadb.engine.(*)..")
                .should()
                .beFreeOfCycles()
                .allowEmptyShould(true)
                .check(ENGINE);
    }
}
