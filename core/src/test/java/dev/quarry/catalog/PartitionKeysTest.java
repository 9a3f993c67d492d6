package dev.quarry.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.time.api.Dates;

class PartitionKeysTest {

    @Property
    void any_object_name_under_a_real_day_directory_belongs_to_that_day(@ForAll("days") LocalDate day,
            @ForAll("objectNames") String name) {
        assertThat(PartitionKeys.dayOf("logs/dt=" + day + "/" + name)).contains(day);
    }

    @Property
    void the_directory_of_a_day_and_the_day_of_a_key_agree(@ForAll("days") LocalDate day,
            @ForAll("objectNames") String name) {
        assertThat(PartitionKeys.dayOf(PartitionKeys.directoryOf(day) + name)).contains(day);
    }

    @Property
    void keys_outside_the_logs_day_directories_have_no_day(@ForAll("otherPrefixes") String prefix,
            @ForAll("days") LocalDate day, @ForAll("objectNames") String name) {
        assertThat(PartitionKeys.dayOf(prefix + "dt=" + day + "/" + name)).isEmpty();
    }

    @Property
    void impossible_dates_have_no_day(@ForAll @IntRange(min = 0, max = 9999) int year,
            @ForAll @IntRange(min = 0, max = 99) int month, @ForAll @IntRange(min = 0, max = 99) int dayOfMonth,
            @ForAll("objectNames") String name) {
        String date = String.format("%04d-%02d-%02d", year, month, dayOfMonth);
        boolean real = month >= 1 && month <= 12 && dayOfMonth >= 1
                && dayOfMonth <= java.time.YearMonth.of(year, month).lengthOfMonth();
        assertThat(PartitionKeys.dayOf("logs/dt=" + date + "/" + name).isPresent()).isEqualTo(real);
    }

    @Property
    void any_string_is_answered_without_an_exception(@ForAll String key) {
        assertThat(PartitionKeys.dayOf(key)).isNotNull();
        assertThat(PartitionKeys.dayOf("logs/dt=" + key)).isNotNull();
    }

    @Example
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

    @Example
    void firehose_objects_with_and_without_a_suffix_and_in_subdirectories_count() {
        LocalDate day = LocalDate.of(2026, 11, 26);
        assertThat(PartitionKeys.dayOf("logs/dt=2026-11-26/quarry-1-2026-11-26-10-15-30-abc.parquet")).contains(day);
        assertThat(PartitionKeys.dayOf("logs/dt=2026-11-26/quarry-1-2026-11-26-10-15-30-abc")).contains(day);
        assertThat(PartitionKeys.dayOf("logs/dt=2026-11-26/part/file name.parquet")).contains(day);
        assertThat(PartitionKeys.dayOf("errors/dt=2026-11-26/format-conversion-failed/x")).isEmpty();
    }

    @Provide
    Arbitrary<LocalDate> days() {
        return Dates.dates().between(LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31));
    }

    @Provide
    Arbitrary<String> objectNames() {
        Arbitrary<String> segment = Arbitraries.strings().ofMinLength(1).ofMaxLength(40)
                .filter(s -> !s.contains("/"));
        return segment.list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join("/", parts));
    }

    @Provide
    Arbitrary<String> otherPrefixes() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "errors/", "errors/logs/", "/logs/", "Logs/", "logs//", "log/", "logs/x/"),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10).map(s -> s + "/")
                        .filter(s -> !s.equals("logs/")));
    }
}
