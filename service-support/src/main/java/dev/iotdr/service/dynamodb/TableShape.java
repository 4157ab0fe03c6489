package dev.iotdr.service.dynamodb;

import java.util.Objects;
import java.util.Optional;

/**
 * A table's key layout: a string hash key, an optional string sort key, and an optional global secondary
 * index (string hash key, number sort key, all attributes projected; sparse when few items carry its keys).
 */
public record TableShape(String table, String hashKey, Optional<String> sortKey, Optional<Index> index) {

    public TableShape {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(hashKey, "hashKey");
        Objects.requireNonNull(sortKey, "sortKey");
        Objects.requireNonNull(index, "index");
    }

    public static TableShape hashOnly(String table, String hashKey) {
        return new TableShape(table, hashKey, Optional.empty(), Optional.empty());
    }

    public static TableShape hashAndSort(String table, String hashKey, String sortKey) {
        return new TableShape(table, hashKey, Optional.of(sortKey), Optional.empty());
    }

    public TableShape withIndex(Index index) {
        return new TableShape(table, hashKey, sortKey, Optional.of(index));
    }

    /** A global secondary index: string hash key, number sort key. */
    public record Index(String name, String hashKey, String sortKey) {
        public Index {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(hashKey, "hashKey");
            Objects.requireNonNull(sortKey, "sortKey");
        }
    }
}
