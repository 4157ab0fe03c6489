package dev.iotdr.replication.stream.application;

import java.util.List;

/**
 * The tables replication copies besides the device table (table-copy mode: the local stack; in AWS they are global
 * tables and this is empty): per table, one replicator per source region and the table's own lag, kept apart from
 * the device table's (the failover rule weighs the registry's; the telemetry's is reported beside it).
 */
public record CopiedTables(List<CopiedTable> tables) {
    public CopiedTables {
        tables = List.copyOf(tables);
    }

    /** Every copied table's replicators. */
    public List<StreamReplicator<?>> replicators() {
        return tables.stream().flatMap(table -> table.replicators().stream()).toList();
    }

    /** One copied table: its replicators (one per source), its lag, and the sink they share. */
    public record CopiedTable(
            String table, List<StreamReplicator<?>> replicators, ReplicationLag lag, StreamSink<?> sink) {
        public CopiedTable {
            replicators = List.copyOf(replicators);
        }
    }
}
