package io.stratadb.sql;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The SQL adapter reaches the engine only through the provider SPI, and its packages have no cycles. */
class AdapterLayeringTest {
    private static final JavaClasses ADAPTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.stratadb.sql");

    @Test
    void usesTheEngineOnlyThroughTheSpi() {
        noClasses()
                .that()
                .resideInAPackage("io.stratadb.sql..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.stratadb.engine..")
                .allowEmptyShould(true)
                .check(ADAPTER);
    }

    @Test
    void hasNoPackageCycles() {
        slices().matching("io.stratadb.sql.(*)..")
                .should()
                .beFreeOfCycles()
                .allowEmptyShould(true)
                .check(ADAPTER);
    }
}
