package dev.quarry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Ports and adapters: the domain knows no backend, and each backend's imports stay in its own package. */
class ArchitectureTest {
    private static final JavaClasses QUARRY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.quarry");

    @Test
    void the_domain_knows_no_backend_and_no_framework() {
        noClasses().that().resideInAnyPackage("dev.quarry.record..", "dev.quarry.problem..", "dev.quarry.catalog..",
                        "dev.quarry.summary..")
                .should().dependOnClassesThat().resideInAnyPackage("org.duckdb..", "java.sql..", "software.amazon..",
                        "io.quarkus..", "io.vertx..", "jakarta..", "dev.quarry.local..", "dev.quarry.duckdb..")
                .check(QUARRY);
    }

    @Test
    void only_the_duckdb_package_talks_to_duckdb() {
        noClasses().that().resideOutsideOfPackage("dev.quarry.duckdb..")
                .should().dependOnClassesThat().resideInAnyPackage("org.duckdb..", "java.sql..")
                .check(QUARRY);
    }
}
