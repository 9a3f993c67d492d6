package dev.quarry.athena;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the canned queries run on Athena.
 *
 * @param workgroup the Athena workgroup (its per-query scan cutoff and result location apply)
 * @param database the Glue database of the logs table
 * @param table the logs table
 * @param resultReuseMaxAgeMinutes the longest Athena may reuse an earlier result of the same query; the age actually
 *     asked for follows the response's cache time ({@link QueryToAthena#resultReuseMinutes}) and never exceeds this;
 *     0 turns result reuse off
 */
public record AthenaConfig(String workgroup, String database, String table, int resultReuseMaxAgeMinutes) {
    /** The defaults, written once: the Lambda's configuration mapping ({@code QUARRY_*}) names them too. */
    public static final String DEFAULT_WORKGROUP = "quarry";
    public static final String DEFAULT_DATABASE = "quarry";
    public static final String DEFAULT_TABLE = "logs";
    /** Athena's own maximum: 7 days (https://docs.aws.amazon.com/athena/latest/ug/reusing-query-results.html). */
    public static final int MAX_RESULT_REUSE_MINUTES = 7 * 24 * 60;

    /** Workgroup names: https://docs.aws.amazon.com/athena/latest/APIReference/API_WorkGroup.html */
    private static final Pattern WORKGROUP = Pattern.compile("[a-zA-Z0-9._-]{1,128}\\z");
    /**
     * Glue stores names in lowercase; Athena accepts letters, digits and '_' (and '-' when quoted, as they are here).
     * A double quote would end the quoted identifier, so it can never pass.
     */
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,255}\\z");

    public AthenaConfig {
        check("workgroup", workgroup, WORKGROUP, "letters, digits, '.', '_' and '-' (1 to 128)");
        check("database", database, NAME, "lowercase letters, digits, '_' and '-' (1 to 255)");
        check("table", table, NAME, "lowercase letters, digits, '_' and '-' (1 to 255)");
        if (resultReuseMaxAgeMinutes < 0 || resultReuseMaxAgeMinutes > MAX_RESULT_REUSE_MINUTES) {
            throw new IllegalArgumentException("Cannot reuse Athena results for " + resultReuseMaxAgeMinutes
                    + " minutes, because Athena allows 0 to " + MAX_RESULT_REUSE_MINUTES);
        }
    }

    /** The defaults: workgroup, database {@code quarry}, table {@code logs}, reuse up to Athena's maximum. */
    public static AthenaConfig defaults() {
        return new AthenaConfig(DEFAULT_WORKGROUP, DEFAULT_DATABASE, DEFAULT_TABLE, MAX_RESULT_REUSE_MINUTES);
    }

    public AthenaConfig withResultReuseMaxAgeMinutes(int minutes) {
        return new AthenaConfig(workgroup, database, table, minutes);
    }

    private static void check(String what, String value, Pattern pattern, String rule) {
        Objects.requireNonNull(value, what);
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("Cannot use '" + value + "' as the Athena " + what + ", because it must be "
                    + rule);
        }
    }
}
