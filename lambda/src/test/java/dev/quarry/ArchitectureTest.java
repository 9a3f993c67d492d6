package dev.quarry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The Lambda module: only the Glue and Athena adapters talk to the AWS SDK; handlers decode, delegate and encode.
 */
class ArchitectureTest {
    private static final JavaClasses QUARRY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.quarry");

    @Test
    void only_the_glue_and_athena_packages_talk_to_the_aws_sdk() {
        noClasses().that().resideOutsideOfPackages("dev.quarry.glue..", "dev.quarry.athena..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..")
                .check(QUARRY);
    }

    @Test
    void the_domain_knows_no_backend_and_no_framework() {
        noClasses().that().resideInAnyPackage("dev.quarry.record..", "dev.quarry.problem..", "dev.quarry.catalog..",
                        "dev.quarry.sql..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..",
                        "io.quarkus..", "jakarta..", "dev.quarry.lambda..", "dev.quarry.glue..")
                .check(QUARRY);
    }

    @Test
    void the_glue_adapter_knows_no_lambda() {
        noClasses().that().resideInAnyPackage("dev.quarry.glue..")
                .should().dependOnClassesThat().resideInAnyPackage("com.amazonaws..", "dev.quarry.lambda..",
                        "io.quarkus..")
                .check(QUARRY);
    }
}
