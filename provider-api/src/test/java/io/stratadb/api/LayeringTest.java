package io.stratadb.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The provider API depends on the JDK and annotations only, and its packages have no cycles. */
class LayeringTest {
    private static final JavaClasses API = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.stratadb.api");

    @Test
    void dependsOnNothingOfOurs() {
        classes()
                .that()
                .resideInAPackage("io.stratadb.api..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("io.stratadb.api..", "java..", "org.jspecify..", "com.google.errorprone..")
                .check(API);
    }

    @Test
    void hasNoPackageCycles() {
        slices().matching("io.stratadb.(**)").should().beFreeOfCycles().check(API);
    }
}
