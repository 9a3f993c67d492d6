package dev.quarry.summary;

import java.util.ArrayList;
import java.util.List;

/** A hand-written fake of the query port: answers with the rows it is given and remembers what it was asked. */
final class TestingQueryEngine implements QueryEngine {
    final List<BoundQuery> asked = new ArrayList<>();
    private List<List<Object>> rows = List.of();
    private QueryFailedException failure;

    TestingQueryEngine answering(List<List<Object>> rows) {
        this.rows = rows;
        return this;
    }

    TestingQueryEngine failingWith(QueryFailedException failure) {
        this.failure = failure;
        return this;
    }

    @Override
    public List<List<Object>> run(BoundQuery query) throws QueryFailedException {
        asked.add(query);
        if (failure != null) {
            throw failure;
        }
        return rows;
    }
}
