package dev.iotdr.telemetry.ingest.application;

import dev.iotdr.telemetry.ingest.domain.StoreOutcome;

/** What ingest tells whoever counts it (the metrics); every method is cheap and never throws. */
public interface IngestEvents {
    void stored(Source source, StoreOutcome outcome);

    void rejected(Source source, String field);

    void failed(Source source);

    /** Which input brought a record. */
    enum Source {
        QUEUE,
        BATCH
    }

    IngestEvents NONE = new IngestEvents() {
        @Override
        public void stored(Source source, StoreOutcome outcome) {}

        @Override
        public void rejected(Source source, String field) {}

        @Override
        public void failed(Source source) {}
    };
}
