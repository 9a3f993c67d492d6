package dev.quarry.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerCacheTest {
    private static List<List<Object>> rows(String text) {
        return List.of(List.of(text, 1L));
    }

    @Test
    void the_least_recently_used_answer_leaves_first_once_the_entries_are_full() {
        AnswerCache cache = new AnswerCache(2);
        cache.put("a", rows("x"));
        cache.put("b", rows("y"));
        assertThat(cache.get("a")).isEqualTo(rows("x"));
        cache.put("c", rows("z"));
        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("a")).isEqualTo(rows("x"));
        assertThat(cache.get("c")).isEqualTo(rows("z"));
        assertThat(cache.hits()).isEqualTo(3);
    }

    @Test
    void answers_of_long_text_are_bounded_by_weight_and_one_too_heavy_is_not_kept() {
        AnswerCache cache = new AnswerCache(1_000);
        String quarter = "m".repeat((int) (AnswerCache.MAX_WEIGHT / 4) - 100);
        for (int i = 0; i < 10; i++) {
            cache.put("s" + i, rows(quarter));
            assertThat(cache.weight()).isLessThanOrEqualTo(AnswerCache.MAX_WEIGHT);
        }
        assertThat(cache.get("s9")).isNotNull();
        assertThat(cache.get("s0")).isNull();
        cache.put("heavy", rows("m".repeat((int) (AnswerCache.MAX_WEIGHT / 4) + 1)));
        assertThat(cache.get("heavy")).isNull();
    }

    @Test
    void no_entries_keeps_nothing() {
        AnswerCache cache = new AnswerCache(0);
        cache.put("a", rows("x"));
        assertThat(cache.get("a")).isNull();
        assertThat(cache.weight()).isZero();
    }
}
