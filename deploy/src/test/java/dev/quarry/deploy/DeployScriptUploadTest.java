package dev.quarry.deploy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scripts/deploy's upload of the dashboard ({@code --web-only}: scripts/build-web, then the AWS CLI) against a fake
 * {@code aws} on PATH that answers the stack's outputs, the bucket's index.html ETag and the store's reader keys as
 * the CLI does after {@code --query … --output text}, and records every call.
 */
class DeployScriptUploadTest {

    private static final String BUCKET = "quarry-dev-webbucket-1a2b3c4d5e6f";

    @TempDir
    Path bin;

    private record Run(int status, String output, List<String> awsCalls) {
    }

    @BeforeEach
    void fakeAws() throws IOException {
        Files.writeString(bin.resolve("keys"), "");
        Path aws = bin.resolve("aws");
        Files.writeString(aws, """
                #!/bin/sh
                echo "$*" >> '%1$s/calls'
                case "$1 $2" in
                  'cloudformation describe-stacks')
                    case "$*" in
                      *WebBucketName*) echo '%2$s' ;;
                      *DistributionId*) echo 'E2QWRUHAPOMQZL' ;;
                      *DashboardUrl*) echo 'https://d111111abcdef8.cloudfront.net/' ;;
                      *ReaderKeyStoreArn*) echo 'arn:aws:cloudfront::123456789012:key-value-store/0123abcd-4567-89ef-0123-456789abcdef' ;;
                    esac ;;
                  's3api head-object') [ -f '%1$s/etag' ] && cat '%1$s/etag' && exit 0
                    echo 'An error occurred (404) when calling the HeadObject operation: Not Found' >&2; exit 254 ;;
                  's3 cp') ;;
                  'cloudfront create-invalidation') echo 'I2J0I21PCUYOIK' ;;
                  'cloudfront-keyvaluestore list-keys') cat '%1$s/keys' ;;
                  *) echo "fake aws: unexpected $*" >&2; exit 2 ;;
                esac
                """.formatted(bin, BUCKET));
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void a_first_upload_sends_hashed_assets_for_a_year_then_index_html_for_a_minute_and_invalidates_it()
            throws Exception {
        Run run = deploy("--stage", "dev", "--web-only", "--skip-checks");

        assertThat(run.status()).as(run.output()).isZero();
        List<String> copies = run.awsCalls().stream().filter(call -> call.startsWith("s3 cp ")).toList();
        assertThat(copies).hasSize(7);
        assertThat(copies.subList(0, 6)).allSatisfy(call -> assertThat(call)
                .matches("s3 cp target/web/(vendor/)?[A-Za-z.]+\\.[0-9a-f]{16}\\.(js|css|svg) s3://" + BUCKET
                        + "/\\S+ --region us-east-1 --content-type .+ --cache-control public, max-age=31536000, immutable"
                        + " --only-show-errors"));
        assertThat(copies).anySatisfy(call -> assertThat(call)
                .matches(".*/dashboard\\.[0-9a-f]{16}\\.js --region us-east-1 --content-type text/javascript; charset=utf-8 .*"));
        assertThat(copies).anySatisfy(call -> assertThat(call)
                .matches(".*/vendor/uPlot\\.min\\.[0-9a-f]{16}\\.css --region us-east-1 --content-type text/css; charset=utf-8 .*"));
        assertThat(copies).anySatisfy(call -> assertThat(call)
                .matches(".*/favicon\\.[0-9a-f]{16}\\.svg --region us-east-1 --content-type image/svg\\+xml .*"));
        assertThat(copies.get(6)).isEqualTo("s3 cp target/web/index.html s3://" + BUCKET + "/index.html --region us-east-1"
                + " --content-type text/html; charset=utf-8 --cache-control public, max-age=60 --only-show-errors");
        assertThat(run.awsCalls()).contains("cloudfront create-invalidation --distribution-id E2QWRUHAPOMQZL"
                + " --paths / /index.html --query Invalidation.Id --output text");
        assertThat(run.output()).contains("dashboard at https://d111111abcdef8.cloudfront.net/")
                .contains("stage dev has no reader key yet")
                .contains("scripts/reader-key create --stage dev --region us-east-1 --label");
    }

    @Test
    void an_unchanged_index_html_is_not_invalidated_and_existing_keys_need_no_hint() throws Exception {
        deploy("--stage", "dev", "--web-only", "--skip-checks");
        byte[] index = Files.readAllBytes(TestingServerless.root().resolve("target/web/index.html"));
        Files.writeString(bin.resolve("etag"), "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(index)) + "\"\n");
        Files.writeString(bin.resolve("keys"), "reader:" + "0".repeat(64) + "\n");

        Run run = deploy("--stage", "dev", "--web-only", "--skip-checks");

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.awsCalls()).noneMatch(call -> call.startsWith("cloudfront create-invalidation"));
        assertThat(run.awsCalls()).filteredOn(call -> call.startsWith("s3 cp ")).hasSize(7);
        assertThat(run.output()).doesNotContain("no reader key");
    }

    @Test
    void with_reader_keys_off_the_store_is_not_asked() throws Exception {
        Run run = deploy("--stage", "dev", "--web-only", "--skip-checks", "--param=readerKeys=false");

        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.awsCalls()).noneMatch(call -> call.startsWith("cloudfront-keyvaluestore"));
        assertThat(run.output()).doesNotContain("no reader key");
    }

    private Run deploy(String... arguments) throws IOException, InterruptedException {
        Path calls = bin.resolve("calls");
        Files.deleteIfExists(calls);
        // The fakes first, then node (scripts/build-web).
        TestingScripts.Output run = TestingScripts.run(bin, List.of(TestingScripts.nodeDirectory().toString()), true,
                "scripts/deploy", arguments);
        return new Run(run.status(), run.stdout(), Files.exists(calls) ? Files.readAllLines(calls) : List.of());
    }
}
