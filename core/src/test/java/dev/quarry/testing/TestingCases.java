package dev.quarry.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Generated cases for property tests: plain JUnit 5 {@code @ParameterizedTest @MethodSource} over a seeded
 * {@link SplittableRandom}, in place of jqwik (whose authors ask AI coding agents not to use it).
 *
 * <p>Each run draws one seed, or takes {@code -Dquarry.seed=N}; every property derives its cases from that seed
 * and its own name, so a failure names the seed and the failing input, and the same seed replays the same cases.
 * Generators bias towards edges themselves (boundaries, empty, maximum sizes, surrogates): nothing mixes them in
 * behind the test's back.
 *
 * <p>Every seed that ever failed a property is listed in {@value #FAILED_SEEDS} (one {@code <seed> <property>} a
 * line, {@code #} starts a comment), and that property replays its cases in every build, after this run's.
 */
public final class TestingCases {
    /** The seed of this run: {@code -Dquarry.seed} replays a failure. */
    public static final long SEED = Long.getLong("quarry.seed", new SplittableRandom().nextLong());
    /** The test resource listing the seeds that once failed, with the property each failed. */
    public static final String FAILED_SEEDS = "dev/quarry/testing/failed-seeds.txt";
    private static final List<FailedSeed> FAILED = failedSeeds();
    private static final int SHOWN = 160;

    private TestingCases() {
    }

    /**
     * {@code count} inputs of one property, each from its own random stream split off the run's seed; then the same
     * number from each seed in {@value #FAILED_SEEDS} that once failed this property.
     */
    public static <T> Stream<Case<T>> cases(String property, int count, Function<SplittableRandom, T> generator) {
        Stream<Long> seeds = Stream.concat(Stream.of(SEED), FAILED.stream()
                .filter(failed -> failed.property().equals(property) && failed.seed() != SEED)
                .map(FailedSeed::seed));
        return seeds.flatMap(seed -> {
            SplittableRandom run = new SplittableRandom(seed ^ property.hashCode());
            return IntStream.range(0, count).mapToObj(i -> new Case<>(property, seed, i, generator.apply(run.split())));
        });
    }

    /** A seed that once failed a property, kept as a fixed case. */
    public record FailedSeed(long seed, String property) {
    }

    /** The seeds listed in {@value #FAILED_SEEDS}. */
    public static List<FailedSeed> failedSeeds() {
        InputStream in = TestingCases.class.getClassLoader().getResourceAsStream(FAILED_SEEDS);
        if (in == null) {
            throw new IllegalStateException("Cannot replay the failed seeds, because " + FAILED_SEEDS
                    + " is not on the test classpath");
        }
        List<FailedSeed> seeds = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String content = line.replaceFirst("#.*", "").strip();
                if (content.isEmpty()) {
                    continue;
                }
                String[] fields = content.split("\\s+");
                if (fields.length != 2) {
                    throw new IllegalStateException("Cannot read " + FAILED_SEEDS + ", because the line '" + line
                            + "' is not '<seed> <property>'");
                }
                seeds.add(new FailedSeed(Long.parseLong(fields[0]), fields[1]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(seeds);
    }

    /** One generated input: its display name is short, its failure message names the seed and the whole input. */
    public record Case<T>(String property, long seed, int index, T input) {
        public void check(Check<T> check) {
            try {
                check.accept(input);
            } catch (Throwable e) {
                AssertionError failure = new AssertionError(String.format(
                        "Property %s failed on case %d of seed %d (replay: -Dquarry.seed=%d), input: %s%n%s",
                        property, index, seed, seed, describe(input), e.getMessage()), e);
                throw failure;
            }
        }

        @Override
        public String toString() {
            String shown = describe(input);
            String name = seed == SEED ? "" : "seed " + seed + ": ";
            return name + (shown.length() <= SHOWN ? shown : shown.substring(0, SHOWN) + "… (" + shown.length() + " chars)");
        }
    }

    public interface Check<T> {
        void accept(T input) throws Exception;
    }

    /** The input with controls, line terminators and surrogates escaped, so the printed text is the real one. */
    public static String describe(Object input) {
        String text = String.valueOf(input);
        StringBuilder out = new StringBuilder(text.length() + 2);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029
                    || Character.isSurrogate(c) || c == 0xFEFF) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // ---- generators ----

    /** A long in [min, max], both inclusive, uniform. */
    public static long between(SplittableRandom random, long min, long max) {
        if (max < Long.MAX_VALUE) {
            return random.nextLong(min, max + 1);
        }
        return min == Long.MIN_VALUE ? random.nextLong() : random.nextLong(min - 1, max) + 1;
    }

    /** An int in [min, max], both inclusive, uniform. */
    public static int between(SplittableRandom random, int min, int max) {
        return (int) between(random, (long) min, max);
    }

    /**
     * An int in [min, max], with one case in eight on an edge: min, min + 1, max - 1, max, or zero when in range
     * (the edge cases jqwik would have mixed in).
     */
    public static int biasedBetween(SplittableRandom random, int min, int max) {
        if (random.nextInt(8) == 0) {
            List<Integer> edges = new ArrayList<>(List.of(min, max));
            if (max > min) {
                edges.addAll(List.of(min + 1, max - 1));
            }
            if (min < 0 && max > 0) {
                edges.add(0);
            }
            return edges.get(random.nextInt(edges.size()));
        }
        return between(random, min, max);
    }

    /** Any long, one case in four on an edge: the extremes, their neighbours, -1, 0, 1. */
    public static long anyLong(SplittableRandom random) {
        if (random.nextInt(4) == 0) {
            return oneOf(random, Long.MIN_VALUE, Long.MIN_VALUE + 1, -1L, 0L, 1L, Long.MAX_VALUE - 1, Long.MAX_VALUE);
        }
        return random.nextLong();
    }

    /** The index of a choice, drawn with the given weights. */
    public static int weighted(SplittableRandom random, int... weights) {
        int total = IntStream.of(weights).sum();
        int draw = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            draw -= weights[i];
            if (draw < 0) {
                return i;
            }
        }
        throw new AssertionError("unreachable");
    }

    @SafeVarargs
    public static <T> T oneOf(SplittableRandom random, T... values) {
        return values[random.nextInt(values.length)];
    }

    public static <T> List<T> listOf(SplittableRandom random, int size, Function<SplittableRandom, T> element) {
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.apply(random));
        }
        return list;
    }

    /** Text of {@code length} code points, each drawn by {@code codePoint} (which may return a lone surrogate). */
    public static String text(SplittableRandom random, int length, Function<SplittableRandom, Integer> codePoint) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(codePoint.apply(random));
        }
        return text.toString();
    }

    /** Any Unicode scalar value (no surrogates), biased towards what JSON, URLs and storage find hardest. */
    public static int scalarValue(SplittableRandom random) {
        while (true) {
            int c = switch (weighted(random, 4, 3, 2, 2, 2)) {
                case 0 -> between(random, 0, 0x10FFFF);
                case 1 -> between(random, 0x20, 0x7E);
                case 2 -> oneOf(random, (int) '"', (int) '\\', (int) '/', (int) '\n', (int) '\r', (int) '\t', 0,
                        0x7F, 0x85, 0x2028, 0x2029, 0xFEFF, 0xFFFD, 0xFFFF, 0x10FFFF, (int) '%', (int) '+');
                case 3 -> between(random, 0x1F300, 0x1FAFF);
                default -> between(random, 0x0400, 0x9FFF);
            };
            if (c < 0xD800 || c > 0xDFFF) {
                return c;
            }
        }
    }

    /**
     * Any Java string: empty one case in twenty, otherwise up to 255 chars (jqwik's default) of ASCII, any scalar
     * value, or any UTF-16 unit including lone surrogates.
     */
    public static String anyString(SplittableRandom random) {
        if (random.nextInt(20) == 0) {
            return "";
        }
        int length = biasedBetween(random, 1, 255);
        return switch (weighted(random, 2, 3, 1)) {
            case 0 -> text(random, length, r -> between(r, 0x20, 0x7E));
            case 1 -> text(random, length, TestingCases::scalarValue);
            default -> text(random, length, r -> between(r, 0, 0xFFFF));
        };
    }
}
