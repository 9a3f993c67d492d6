package dev.quarry.summary;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Strong entity tags of summaries, and the {@code If-None-Match} comparison (RFC 9110, section 13.1.2). */
public final class EntityTags {
    private EntityTags() {
    }

    /** A strong tag for the bytes: {@code "<base64url of the first 128 bits of SHA-256>"}. */
    public static String of(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16))
                    + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot compute an entity tag, because SHA-256 is missing", e);
        }
    }

    /**
     * Whether an {@code If-None-Match} header matches the tag, so the answer is 304. It uses the weak comparison, as
     * RFC 9110 requires for {@code If-None-Match}: {@code W/"x"} matches {@code "x"}; {@code *} matches any.
     */
    public static boolean noneMatchHits(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        String opaque = opaque(etag);
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || opaque(tag).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
