package dev.quarry.local.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RequestBodyTest {
    private static final int LIMIT = 1024 * 1024;

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] plain, boolean raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, new Deflater(9, raw))) {
            deflate.write(plain);
        }
        return out.toByteArray();
    }

    @Test
    void gzip_zlib_and_raw_deflate_inflate_to_the_same_bytes() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] plain = new byte[random.nextInt(1, LIMIT)];
        for (int i = 0; i < plain.length; i++) {
            plain[i] = (byte) ('a' + random.nextInt(4));
        }
        assertThat(RequestBody.inflate(gzip(plain), RequestBody.Encoding.GZIP, LIMIT, "1 MiB"))
                .as("seed %d", seed).isEqualTo(plain);
        assertThat(RequestBody.inflate(deflate(plain, false), RequestBody.Encoding.DEFLATE, LIMIT, "1 MiB"))
                .as("seed %d", seed).isEqualTo(plain);
        assertThat(RequestBody.inflate(deflate(plain, true), RequestBody.Encoding.DEFLATE, LIMIT, "1 MiB"))
                .as("seed %d", seed).isEqualTo(plain);
    }

    @Test
    void a_body_of_exactly_the_limit_is_taken_and_one_byte_more_is_refused() throws Exception {
        byte[] plain = new byte[LIMIT];
        Arrays.fill(plain, (byte) ' ');
        assertThat(RequestBody.inflate(gzip(plain), RequestBody.Encoding.GZIP, LIMIT, "1 MiB")).hasSize(LIMIT);
        byte[] more = Arrays.copyOf(plain, LIMIT + 1);
        assertThatThrownBy(() -> RequestBody.inflate(gzip(more), RequestBody.Encoding.GZIP, LIMIT, "1 MiB"))
                .isInstanceOfSatisfying(RequestBody.RefusedException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.getMessage()).contains("1048576 bytes (1 MiB").contains("inflating");
                });
    }

    @Test
    void a_gzip_bomb_is_refused_after_inflating_no_more_than_the_limit() throws Exception {
        // One gzip member of 1 MiB of zeros is about 1 KB; 900 members back to back (gzip allows that) are a
        // body under the limit that inflates to 900 MiB: inflating it all would take seconds.
        byte[] member = gzip(new byte[1024 * 1024]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 900; i++) {
            out.write(member);
        }
        byte[] bomb = out.toByteArray();
        assertThat(bomb.length).isLessThan(LIMIT);
        long start = System.nanoTime();
        assertThatThrownBy(() -> RequestBody.inflate(bomb, RequestBody.Encoding.GZIP, LIMIT, "1 MiB"))
                .isInstanceOfSatisfying(RequestBody.RefusedException.class, e -> assertThat(e.status()).isEqualTo(413));
        // Inflating 1 MiB takes milliseconds; 900 times that would blow this bound even on a fast machine.
        assertThat(System.nanoTime() - start).isLessThan(500_000_000L);
    }

    @Test
    void a_corrupt_body_is_a_400_naming_its_encoding() throws Exception {
        byte[] notGzip = "{\"source\":\"a\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RequestBody.inflate(notGzip, RequestBody.Encoding.GZIP, LIMIT, "1 MiB"))
                .isInstanceOfSatisfying(RequestBody.RefusedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("not valid gzip");
                });
        byte[] truncated = Arrays.copyOf(gzip(new byte[5000]), 20);
        assertThatThrownBy(() -> RequestBody.inflate(truncated, RequestBody.Encoding.GZIP, LIMIT, "1 MiB"))
                .isInstanceOfSatisfying(RequestBody.RefusedException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void encodings_other_than_gzip_deflate_and_identity_are_415() throws Exception {
        assertThat(RequestBody.encoding(null)).isEqualTo(RequestBody.Encoding.IDENTITY);
        assertThat(RequestBody.encoding("GZIP")).isEqualTo(RequestBody.Encoding.GZIP);
        assertThat(RequestBody.encoding(" deflate ")).isEqualTo(RequestBody.Encoding.DEFLATE);
        assertThatThrownBy(() -> RequestBody.encoding("br"))
                .isInstanceOfSatisfying(RequestBody.RefusedException.class, e -> {
                    assertThat(e.status()).isEqualTo(415);
                    assertThat(e.getMessage()).isEqualTo("Content-Encoding must be gzip, deflate or identity, not br");
                });
    }
}
