package dev.quarry.record;

/**
 * One reason a request body was refused.
 *
 * @param index the record's position in an array body, or -1 for a single-record body or the body as a whole
 * @param field the record field at fault (as sent, so a typo such as {@code " source"} is shown), or null
 *              when the fault is the body itself
 * @param detail a sentence for a human
 */
public record Violation(int index, String field, String detail) {

    /** A JSON Pointer (RFC 6901) to the faulty value in the request body. */
    public String pointer() {
        StringBuilder pointer = new StringBuilder();
        if (index >= 0) {
            pointer.append('/').append(index);
        }
        if (field != null) {
            pointer.append('/').append(field.replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }

    /** The detail, prefixed with where the fault is: {@code record 3, field 'source': ...}. */
    public String describe() {
        StringBuilder where = new StringBuilder();
        if (index >= 0) {
            where.append("record ").append(index);
        }
        if (field != null) {
            if (where.length() > 0) {
                where.append(", ");
            }
            where.append("field '").append(field).append('\'');
        }
        return where.length() == 0 ? detail : where + ": " + detail;
    }
}
