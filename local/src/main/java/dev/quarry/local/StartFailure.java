package dev.quarry.local;

import dev.quarry.local.config.LocalConfig;
import io.quarkus.runtime.QuarkusBindException;
import io.smallrye.config.ConfigValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one line an operator reads when the start fails for a reason of the machine or the settings, in place of
 * Quarkus's own text (which, for a port in use, suggests {@code kill -9}, and for a bad value names the property but
 * not the environment variable that a user of {@code scripts/run-local} sets). Empty for any other failure, which
 * is logged with its stack trace.
 */
final class StartFailure {
    /** SmallRye names the property in each problem: "The config property quarry.flush.max-age with the ...". */
    private static final Pattern PROPERTY = Pattern.compile("(?:config property|property) ([a-z][a-z0-9.\\-\"]*)");
    private static final Pattern CODE = Pattern.compile("^SRCFG\\d+: ");

    private StartFailure() {
    }

    static Optional<String> describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof Refused || root instanceof QuarkusBindException
                    || root instanceof ConfigValidationException) {
                break;
            }
            root = root.getCause();
        }
        if (root instanceof Refused refused) {
            return Optional.of(refused.getMessage());
        }
        if (root instanceof QuarkusBindException bind) {
            return Optional.of(portInUse(bind.getPort()));
        }
        if (root instanceof ConfigValidationException invalid) {
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < invalid.getProblemCount(); i++) {
                problems.add(withVariable(CODE.matcher(invalid.getProblem(i).getMessage()).replaceFirst("")));
            }
            return Optional.of("Cannot start, because a setting is invalid: " + String.join("; ", problems));
        }
        return Optional.empty();
    }

    /** A start refused by the composition root before anything is open, with the line to print. */
    static final class Refused extends RuntimeException {
        Refused(String line) {
            super(line, null, false, false);
        }
    }

    static String portInUse(int port) {
        return "Port " + port + " is in use by another process; choose another with QUARKUS_HTTP_PORT (e.g."
                + " QUARKUS_HTTP_PORT=" + (port == 8080 ? 8081 : port + 1) + " scripts/run-local)";
    }

    /** Each property named in the text gets its environment variable beside it. */
    static String withVariable(String text) {
        Matcher matcher = PROPERTY.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String property = matcher.group(1);
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(0) + " ("
                    + LocalConfig.environmentVariable(property) + ")"));
        }
        matcher.appendTail(out);
        return out.toString();
    }

}
