package dev.quarry.deploy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scripts/reader-key against a fake {@code aws} on PATH that records its arguments and answers as the AWS CLI v2
 * does after {@code --query … --output text}: a scalar as its text, a list of [Key, Value] rows as tab-separated
 * lines (AWS CLI User Guide, "Setting the output format": text output; the store's shapes are the
 * cloudfront-keyvaluestore service model: ListKeys Items[{Key, Value}], DescribeKeyValueStore ETag, PutKey and
 * DeleteKey answering {ItemCount, TotalSizeInBytes, ETag}).
 */
class ReaderKeyScriptTest {

    private static final String ARN = "arn:aws:cloudfront::123456789012:key-value-store/0123abcd-4567-89ef-0123-456789abcdef";
    private static final String ETAG = "KV1F83G8C2ARO7P";
    private static final String ALICE = "a".repeat(20) + "0123456789abcdef0123456789abcdef0123456789ab";
    private static final String BOB = "a".repeat(20) + "fedcba9876543210fedcba9876543210fedcba9876ab";

    @TempDir
    Path bin;

    private record Run(int status, String stdout, String stderr, List<String> awsCalls) {
    }

    @BeforeEach
    void fakeAws() throws IOException {
        stackOutput(ARN);
        keys("");
        Path aws = bin.resolve("aws");
        Files.writeString(aws, """
                #!/bin/sh
                echo "$*" >> '%1$s/calls'
                case "$1 $2" in
                  'cloudformation describe-stacks') [ -f '%1$s/stack' ] && cat '%1$s/stack' && exit 0
                    echo 'An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id quarry-x does not exist' >&2; exit 254 ;;
                  'cloudfront-keyvaluestore describe-key-value-store') echo '%2$s' ;;
                  'cloudfront-keyvaluestore list-keys') cat '%1$s/keys' ;;
                  'cloudfront-keyvaluestore put-key'|'cloudfront-keyvaluestore delete-key')
                    echo '{"ItemCount": 2, "TotalSizeInBytes": 180, "ETag": "KV2NEXT"}' ;;
                  *) echo "fake aws: unexpected $*" >&2; exit 2 ;;
                esac
                """.formatted(bin, ETAG));
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void stackOutput(String text) throws IOException {
        Files.writeString(bin.resolve("stack"), text + "\n");
    }

    private void keys(String tabSeparatedRows) throws IOException {
        Files.writeString(bin.resolve("keys"), tabSeparatedRows);
    }

    private static String row(String hash, String label) {
        return "reader:" + hash + "\t{\"label\":\"" + label + "\",\"created\":\"2026-11-30T10:00:00Z\"}\n";
    }

    @Test
    void create_stores_only_the_sha256_of_a_fresh_key_and_prints_the_key_once() throws Exception {
        keys(row(ALICE, "alice"));

        Run run = readerKey("create", "--stage", "prod", "--label", "grafana-team", "--region", "eu-west-1");

        assertThat(run.status()).as(run.stderr()).isZero();
        String key = run.stdout().strip();
        assertThat(key).matches("qrk_[A-Za-z0-9_-]{43}");
        String hash = sha256(key);
        assertThat(run.awsCalls()).hasSize(4);
        assertThat(run.awsCalls().get(0)).isEqualTo("cloudformation describe-stacks --stack-name quarry-prod --region eu-west-1"
                + " --query Stacks[0].Outputs[?OutputKey=='ReaderKeyStoreArn'].OutputValue --output text");
        assertThat(run.awsCalls().get(1)).isEqualTo("cloudfront-keyvaluestore list-keys --query"
                + " Items[?starts_with(Key, 'reader:')].[Key,Value] --output text --kvs-arn " + ARN + " --region eu-west-1");
        assertThat(run.awsCalls().get(2)).isEqualTo("cloudfront-keyvaluestore describe-key-value-store --query ETag"
                + " --output text --kvs-arn " + ARN + " --region eu-west-1");
        Matcher put = Pattern.compile("cloudfront-keyvaluestore put-key --key reader:([0-9a-f]{64}) --value"
                + " \\{\"label\":\"grafana-team\",\"created\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\"} --if-match " + ETAG
                + " --kvs-arn " + Pattern.quote(ARN) + " --region eu-west-1").matcher(run.awsCalls().get(3));
        assertThat(put.matches()).as(run.awsCalls().get(3)).isTrue();
        assertThat(put.group(1)).isEqualTo(hash);
        assertThat(String.join("\n", run.awsCalls())).doesNotContain(key);
        assertThat(run.stderr()).contains("created grafana-team (" + hash.substring(0, 16) + ")").doesNotContain(key);

        Run second = readerKey("create", "--stage", "prod", "--label", "grafana-team", "--region", "eu-west-1");
        assertThat(second.stdout().strip()).isNotEqualTo(key).matches("qrk_[A-Za-z0-9_-]{43}");
    }

    @Test
    void create_refuses_a_label_the_stage_already_has() throws Exception {
        keys(row(ALICE, "alice"));

        Run run = readerKey("create", "--stage", "dev", "--label", "alice");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.stderr()).contains("stage dev already has a key labelled alice");
        assertThat(run.stdout()).isEmpty();
        assertThat(run.awsCalls()).noneMatch(call -> call.contains("put-key"));
    }

    @Test
    void list_shows_hash_prefixes_labels_and_dates() throws Exception {
        keys(row(ALICE, "alice") + row(BOB, "bob"));

        Run run = readerKey("list", "--stage", "dev");

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stdout().lines().toList()).containsExactly(
                "HASH               LABEL                    CREATED",
                ALICE.substring(0, 16) + "   alice                    2026-11-30T10:00:00Z",
                BOB.substring(0, 16) + "   bob                      2026-11-30T10:00:00Z");
        assertThat(run.awsCalls()).hasSize(2).allMatch(call -> call.contains("--region us-east-1"));
    }

    @Test
    void revoke_deletes_the_one_key_with_that_label_or_hash_prefix_under_the_current_etag() throws Exception {
        keys(row(ALICE, "alice") + row(BOB, "bob"));

        Run byLabel = readerKey("revoke", "--stage", "dev", "--label", "bob");
        assertThat(byLabel.status()).as(byLabel.stderr()).isZero();
        assertThat(byLabel.awsCalls().get(byLabel.awsCalls().size() - 1)).isEqualTo(
                "cloudfront-keyvaluestore delete-key --key reader:" + BOB + " --if-match " + ETAG + " --kvs-arn " + ARN
                        + " --region us-east-1");
        assertThat(byLabel.stdout()).contains("revoked " + BOB.substring(0, 16) + " (label bob)");

        Run byPrefix = readerKey("revoke", "--stage", "dev", ALICE.substring(0, 24));
        assertThat(byPrefix.status()).as(byPrefix.stderr()).isZero();
        assertThat(byPrefix.awsCalls().get(byPrefix.awsCalls().size() - 1))
                .startsWith("cloudfront-keyvaluestore delete-key --key reader:" + ALICE + " --if-match " + ETAG);
    }

    @Test
    void revoke_refuses_an_unknown_label_and_an_ambiguous_prefix() throws Exception {
        keys(row(ALICE, "alice") + row(BOB, "bob"));

        Run unknown = readerKey("revoke", "--stage", "dev", "--label", "carol");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.stderr()).contains("stage dev has no reader key with label carol")
                .contains("scripts/reader-key list --stage dev");

        Run ambiguous = readerKey("revoke", "--stage", "dev", "aaaaaaaa");
        assertThat(ambiguous.status()).isEqualTo(1);
        assertThat(ambiguous.stderr()).contains("hash prefix aaaaaaaa matches 2 reader keys");

        Run notHex = readerKey("revoke", "--stage", "dev", "alice");
        assertThat(notHex.status()).isEqualTo(1);
        assertThat(notHex.stderr()).contains("a hash prefix is 8 to 64 lower-case hex digits");

        assertThat(List.of(unknown, ambiguous, notHex)).allSatisfy(
                run -> assertThat(run.awsCalls()).noneMatch(call -> call.contains("delete-key")));
    }

    @Test
    void without_a_stage_or_a_label_nothing_is_asked_of_aws() throws Exception {
        Run noStage = readerKey("list");
        assertThat(noStage.status()).isEqualTo(1);
        assertThat(noStage.stderr()).contains("--stage is required");

        Run noLabel = readerKey("create", "--stage", "dev");
        assertThat(noLabel.status()).isEqualTo(1);
        assertThat(noLabel.stderr()).contains("create needs --label NAME");

        Run badLabel = readerKey("create", "--stage", "dev", "--label", "a b");
        assertThat(badLabel.status()).isEqualTo(1);
        assertThat(badLabel.stderr()).contains("a label is 1 to 64 letters");

        Run unknownCommand = readerKey("rotate", "--stage", "dev");
        assertThat(unknownCommand.status()).isEqualTo(2);
        assertThat(unknownCommand.stderr()).contains("scripts/reader-key create --stage S --label NAME");

        assertThat(List.of(noStage, noLabel, badLabel, unknownCommand)).allSatisfy(run -> assertThat(run.awsCalls()).isEmpty());
    }

    @Test
    void a_stage_that_is_not_deployed_or_lacks_the_output_is_named() throws Exception {
        Files.delete(bin.resolve("stack"));
        Run missing = readerKey("list", "--stage", "qa");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.stderr()).contains("cannot read the outputs of stack quarry-qa in us-east-1")
                .contains("does not exist");

        stackOutput("None");
        Run old = readerKey("list", "--stage", "qa");
        assertThat(old.status()).isEqualTo(1);
        assertThat(old.stderr()).contains("stack quarry-qa in us-east-1 has no ReaderKeyStoreArn output")
                .contains("scripts/deploy --stage qa");
    }

    @Test
    void without_the_aws_cli_the_script_says_so() throws Exception {
        Files.delete(bin.resolve("aws"));

        Run run = readerKey("list", "--stage", "dev");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.stderr()).contains("the AWS CLI (aws) is needed");
    }

    private Run readerKey(String... arguments) throws IOException, InterruptedException {
        Path calls = bin.resolve("calls");
        Files.deleteIfExists(calls);
        TestingScripts.Output run = TestingScripts.run(bin, List.of(), false, "scripts/reader-key", arguments);
        return new Run(run.status(), run.stdout(), run.stderr(),
                Files.exists(calls) ? Files.readAllLines(calls) : List.of());
    }

    private static String sha256(String text) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
