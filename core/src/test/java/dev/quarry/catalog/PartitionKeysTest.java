package dev.quarry.catalog;

import static dev.quarry.testing.TestingCases.between;
import static dev.quarry.testing.TestingCases.biasedBetween;
import static dev.quarry.testing.TestingCases.cases;
import static dev.quarry.testing.TestingCases.oneOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.testing.TestingCases;
import dev.quarry.testing.TestingCases.Case;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PartitionKeysTest {
    private static final int TRIES = 1000;

    record DayAndName(LocalDate day, String name) {
    }

    record OtherKey(String prefix, LocalDate day, String name) {
    }

    record DateFields(int year, int month, int dayOfMonth, String name) {
    }

    @ParameterizedTest
    @MethodSource("daysAndNames")
    void any_object_name_under_a_real_day_directory_belongs_to_that_day(Case<DayAndName> c) {
        c.check(in -> assertThat(PartitionKeys.dayOf("logs/dt=" + in.day() + "/" + in.name())).contains(in.day()));
    }

    @ParameterizedTest
    @MethodSource("daysAndNames")
    void the_directory_of_a_day_and_the_day_of_a_key_agree(Case<DayAndName> c) {
        c.check(in -> assertThat(PartitionKeys.dayOf(PartitionKeys.directoryOf(in.day()) + in.name()))
                .contains(in.day()));
    }

    @ParameterizedTest
    @MethodSource("otherKeys")
    void keys_outside_the_logs_day_directories_have_no_day(Case<OtherKey> c) {
        c.check(in -> assertThat(PartitionKeys.dayOf(in.prefix() + "dt=" + in.day() + "/" + in.name())).isEmpty());
    }

    @ParameterizedTest
    @MethodSource("dateFields")
    void impossible_dates_have_no_day(Case<DateFields> c) {
        c.check(in -> {
            String date = String.format("%04d-%02d-%02d", in.year(), in.month(), in.dayOfMonth());
            boolean real = in.month() >= 1 && in.month() <= 12 && in.dayOfMonth() >= 1
                    && in.dayOfMonth() <= YearMonth.of(in.year(), in.month()).lengthOfMonth();
            assertThat(PartitionKeys.dayOf("logs/dt=" + date + "/" + in.name()).isPresent()).isEqualTo(real);
            assertThat(PartitionKeys.dayOfDirectory("dt=" + date).isPresent()).isEqualTo(real);
            assertThat(PartitionKeys.dayOfValue(date).isPresent()).isEqualTo(real);
        });
    }

    @ParameterizedTest
    @MethodSource("anyStrings")
    void any_string_is_answered_without_an_exception(Case<String> c) {
        c.check(key -> {
            assertThat(PartitionKeys.dayOf(key)).isNotNull();
            assertThat(PartitionKeys.dayOf("logs/dt=" + key)).isNotNull();
            assertThat(PartitionKeys.dayOfDirectory(key)).isNotNull();
            assertThat(PartitionKeys.dayOfDirectory("dt=" + key)).isNotNull();
            assertThat(PartitionKeys.dayOfValue(key)).isNotNull();
        });
    }

    @ParameterizedTest
    @MethodSource("daysAndNames")
    void a_day_directory_and_a_dt_value_read_back_as_the_day_they_were_written_for(Case<DayAndName> c) {
        c.check(in -> {
            assertThat(PartitionKeys.directoryName(in.day())).isEqualTo("dt=" + PartitionKeys.value(in.day()))
                    .matches("dt=\\d{4}-\\d{2}-\\d{2}");
            assertThat(PartitionKeys.dayOfDirectory(PartitionKeys.directoryName(in.day()))).contains(in.day());
            assertThat(PartitionKeys.dayOfValue(PartitionKeys.value(in.day()))).contains(in.day());
            assertThat(PartitionKeys.parseValue(PartitionKeys.value(in.day()))).isEqualTo(in.day());
            assertThat(PartitionKeys.directoryOf(in.day())).isEqualTo("logs/" + PartitionKeys.directoryName(in.day())
                    + "/");
        });
    }

    @ParameterizedTest
    @MethodSource("daysAndNames")
    void a_day_directory_with_another_prefix_or_trailing_text_has_no_day(Case<DayAndName> c) {
        c.check(in -> {
            String name = PartitionKeys.directoryName(in.day());
            assertThat(PartitionKeys.dayOfDirectory(name + in.name())).isEmpty();
            assertThat(PartitionKeys.dayOfDirectory(in.name() + name)).isEmpty();
            assertThat(PartitionKeys.dayOfDirectory(name.substring(1))).isEmpty();
            assertThat(PartitionKeys.dayOfDirectory("DT=" + PartitionKeys.value(in.day()))).isEmpty();
            assertThat(PartitionKeys.dayOfValue(PartitionKeys.value(in.day()) + in.name())).isEmpty();
            assertThatThrownBy(() -> PartitionKeys.parseValue(PartitionKeys.value(in.day()) + in.name()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("YYYY-MM-DD");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dt=2026-11-26/", "dt=2026-11-26.tmp", " dt=2026-11-26", "dt=2026-1-26", "dt=+2026-11-2",
            "dt=2026-02-29", "dt=٢٠٢٦-١١-٢٦", "day=2026-11-26", "dt=", ""})
    void day_directories_in_other_forms_have_no_day(String name) {
        assertThat(PartitionKeys.dayOfDirectory(name)).isEmpty();
    }

    @Test
    void a_day_directory_names_its_day_and_only_four_digit_years_have_a_dt_value() {
        assertThat(PartitionKeys.dayOfDirectory("dt=2026-11-26")).contains(LocalDate.of(2026, 11, 26));
        assertThat(PartitionKeys.dayOfDirectory(null)).isEmpty();
        assertThat(PartitionKeys.dayOfValue(null)).isEmpty();
        assertThatThrownBy(() -> PartitionKeys.value(LocalDate.of(10000, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PartitionKeys.value(LocalDate.of(0, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void directory_markers_and_dates_in_other_forms_have_no_day() {
        assertThat(PartitionKeys.dayOf("logs/dt=2026-11-26/")).isEmpty();
        assertThat(PartitionKeys.dayOf("logs/dt=2026-11-26")).isEmpty();
        assertThat(PartitionKeys.dayOf("logs/dt=2026-11-26x/a.parquet")).isEmpty();
        assertThat(PartitionKeys.dayOf("logs/dt=2026-1-26/a.parquet")).isEmpty();
        assertThat(PartitionKeys.dayOf("logs/dt=+2026-11-2/a.parquet")).isEmpty();
        assertThat(PartitionKeys.dayOf("logs/dt=2026-02-29/a.parquet")).isEmpty();
        assertThat(PartitionKeys.dayOf("logs/dt=2028-02-29/a.parquet")).contains(LocalDate.of(2028, 2, 29));
        assertThat(PartitionKeys.dayOf("logs/dt=٢٠٢٦-١١-٢٦/a.parquet")).isEmpty();
        assertThat(PartitionKeys.dayOf("/logs/dt=2026-11-26/a.parquet")).isEmpty();
        assertThat(PartitionKeys.dayOf("LOGS/dt=2026-11-26/a.parquet")).isEmpty();
        assertThat(PartitionKeys.dayOf(null)).isEmpty();
    }

    @Test
    void firehose_objects_with_and_without_a_suffix_and_in_subdirectories_count() {
        LocalDate day = LocalDate.of(2026, 11, 26);
        assertThat(PartitionKeys.dayOf("logs/dt=2026-11-26/quarry-1-2026-11-26-10-15-30-abc.parquet")).contains(day);
        assertThat(PartitionKeys.dayOf("logs/dt=2026-11-26/quarry-1-2026-11-26-10-15-30-abc")).contains(day);
        assertThat(PartitionKeys.dayOf("logs/dt=2026-11-26/part/file name.parquet")).contains(day);
        assertThat(PartitionKeys.dayOf("errors/dt=2026-11-26/format-conversion-failed/x")).isEmpty();
    }

    // ---- generators ----

    static Stream<Case<DayAndName>> daysAndNames() {
        return cases("daysAndNames", TRIES, r -> new DayAndName(day(r), objectName(r)));
    }

    static Stream<Case<OtherKey>> otherKeys() {
        return cases("otherKeys", TRIES, r -> new OtherKey(otherPrefix(r), day(r), objectName(r)));
    }

    static Stream<Case<DateFields>> dateFields() {
        return cases("dateFields", TRIES, r -> new DateFields(biasedBetween(r, 0, 9999), biasedBetween(r, 0, 99),
                r.nextInt(3) == 0 ? between(r, 27, 32) : biasedBetween(r, 0, 99), objectName(r)));
    }

    static Stream<Case<String>> anyStrings() {
        return cases("anyStrings", TRIES, TestingCases::anyString);
    }

    /** Any day of years 1 to 9999, a fifth of them on the first or last day, a leap day, or a month's end. */
    static LocalDate day(SplittableRandom r) {
        LocalDate first = LocalDate.of(1, 1, 1);
        LocalDate last = LocalDate.of(9999, 12, 31);
        if (r.nextInt(5) == 0) {
            return oneOf(r, first, last, LocalDate.of(2028, 2, 29), LocalDate.of(2000, 2, 29),
                    LocalDate.of(2026, 12, 31), LocalDate.of(1970, 1, 1));
        }
        return LocalDate.ofEpochDay(between(r, first.toEpochDay(), last.toEpochDay()));
    }

    /** One to three segments of 1 to 40 chars of any kind but '/', joined by '/'. */
    static String objectName(SplittableRandom r) {
        return IntStream.range(0, between(r, 1, 3)).mapToObj(i -> {
            String segment;
            do {
                segment = TestingCases.anyString(r);
                segment = segment.substring(0, Math.min(segment.length(), between(r, 1, 40)));
            } while (segment.isEmpty() || segment.contains("/"));
            return segment;
        }).collect(Collectors.joining("/"));
    }

    static String otherPrefix(SplittableRandom r) {
        if (r.nextBoolean()) {
            return oneOf(r, "", "errors/", "errors/logs/", "/logs/", "Logs/", "logs//", "log/", "logs/x/");
        }
        String prefix;
        do {
            prefix = TestingCases.text(r, between(r, 1, 10),
                    q -> q.nextBoolean() ? between(q, 'a', 'z') : between(q, 'A', 'Z')) + "/";
        } while (prefix.equals("logs/"));
        return prefix;
    }
}
