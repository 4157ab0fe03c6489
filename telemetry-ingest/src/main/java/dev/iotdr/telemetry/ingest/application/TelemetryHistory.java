package dev.iotdr.telemetry.ingest.application;

import dev.iotdr.shared.domain.TelemetryRecord;
import dev.iotdr.shared.domain.ThingName;
import java.util.List;
import java.util.Optional;

/** A device's stored telemetry by device time, page by page. */
public interface TelemetryHistory {
    /** A page of records with {@code from <= ts < to}, oldest first, and the cursor of the next page if any. */
    Page between(ThingName thing, long from, long to, int limit, Optional<String> cursor);

    record Page(List<TelemetryRecord> records, Optional<String> next) {
        public Page {
            records = List.copyOf(records);
        }
    }
}
