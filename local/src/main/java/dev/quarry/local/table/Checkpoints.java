package dev.quarry.local.table;

/** Called as a flush or a compaction passes each step of its transaction; tests stop one there to play a crash. */
@FunctionalInterface
public interface Checkpoints {
    Checkpoints NONE = step -> { };

    void reached(String step);
}
