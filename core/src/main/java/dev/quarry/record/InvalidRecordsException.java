package dev.quarry.record;

import java.util.List;

/** A request body that breaks the record contract; nothing of it is accepted. */
public final class InvalidRecordsException extends Exception {
    private final transient List<Violation> violations;

    public InvalidRecordsException(List<Violation> violations) {
        super(violations.isEmpty() ? "invalid request body" : violations.get(0).describe(), null, false, false);
        this.violations = List.copyOf(violations);
    }

    public InvalidRecordsException(Violation violation) {
        this(List.of(violation));
    }

    public List<Violation> violations() {
        return violations;
    }
}
