package dev.quarry.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures one logger's records during a test instead of printing them, so that a test which provokes a failure
 * asserts the lines it expects and a green build prints none. JBoss Logging writes through
 * {@code java.util.logging} (JBoss LogManager or the JDK's), so a JUL handler sees every record.
 */
public final class TestingLogs implements AutoCloseable {
    private final Logger logger;
    private final boolean parentHandlers;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private TestingLogs(Class<?> category) {
        logger = Logger.getLogger(category.getName());
        parentHandlers = logger.getUseParentHandlers();
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
    }

    public static TestingLogs capture(Class<?> category) {
        return new TestingLogs(category);
    }

    /** The formatted messages logged at {@code level} or above. */
    public List<String> messages(Level level) {
        return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue())
                .map(TestingLogs::format).toList();
    }

    /** The records logged at {@code level} or above, for assertions on their thrown exceptions. */
    public List<LogRecord> records(Level level) {
        return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue()).toList();
    }

    /**
     * The message with its parameters, in either style JBoss Logging uses: under JBoss LogManager a record knows
     * its own style ({@code ExtLogRecord.getFormattedMessage}, printf or MessageFormat); a JDK record uses
     * MessageFormat.
     */
    private static String format(LogRecord record) {
        try {
            return (String) record.getClass().getMethod("getFormattedMessage").invoke(record);
        } catch (ReflectiveOperationException e) {
            return FORMATTER.formatMessage(record);
        }
    }

    private static final Formatter FORMATTER = new SimpleFormatter();

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(parentHandlers);
    }
}
