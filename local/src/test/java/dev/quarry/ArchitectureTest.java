package dev.quarry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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
                        "dev.quarry.summary..", "dev.quarry.sql..")
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

    @Test
    void the_local_packages_import_each_other_in_no_circle() {
        // Each package is a slice of its own: dev.quarry.local (the root) and dev.quarry.local.table are two.
        // One known circle is let through: core's SummaryService hands /search to the search package, which uses the
        // summary package's query-string rules and cache policy. It goes when both move behind one request router.
        slices().matching("dev.quarry.(**)").should().beFreeOfCycles()
                .ignoreDependency(com.tngtech.archunit.base.DescribedPredicate.describe("core's summary package",
                        (com.tngtech.archunit.core.domain.JavaClass c) -> c.getPackageName().equals("dev.quarry.summary")),
                        com.tngtech.archunit.base.DescribedPredicate.describe("core's search package",
                        (com.tngtech.archunit.core.domain.JavaClass c) -> c.getPackageName().equals("dev.quarry.search")))
                .check(QUARRY);
    }

    @Test
    void the_duckdb_adapters_import_only_the_core_and_the_table_ports() {
        noClasses().that().resideInAPackage("dev.quarry.duckdb..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.quarry.local", "dev.quarry.local.http..",
                        "dev.quarry.local.ingest..", "dev.quarry.local.wal..", "dev.quarry.local.otlp..",
                        "dev.quarry.local.metrics..", "dev.quarry.local.config..", "dev.quarry.local.os..")
                .check(QUARRY);
    }

    @Test
    void nothing_below_the_composition_root_imports_it() {
        noClasses().that().resideInAPackage("dev.quarry.local.(*)..")
                .should().dependOnClassesThat().resideInAPackage("dev.quarry.local")
                .check(QUARRY);
    }

    @Test
    void the_http_package_is_reached_only_from_the_composition_root() {
        classes().that().resideInAPackage("dev.quarry.local.http..")
                .should().onlyHaveDependentClassesThat().resideInAnyPackage("dev.quarry.local", "dev.quarry.local.http..")
                .check(QUARRY);
    }

    @Test
    void the_rooms_below_http_keep_their_order() {
        // ingest > table > wal > os: a room imports only rooms below it.
        noClasses().that().resideInAnyPackage("dev.quarry.local.table..", "dev.quarry.local.wal..",
                        "dev.quarry.local.os..", "dev.quarry.local.metrics..", "dev.quarry.local.config..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.quarry.local.ingest..",
                        "dev.quarry.local.http..", "dev.quarry.local.otlp..")
                .check(QUARRY);
        noClasses().that().resideInAnyPackage("dev.quarry.local.wal..", "dev.quarry.local.os..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.quarry.local.table..")
                .check(QUARRY);
    }
}
