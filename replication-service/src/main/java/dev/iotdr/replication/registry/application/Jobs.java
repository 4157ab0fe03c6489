package dev.iotdr.replication.registry.application;

import dev.iotdr.replication.registry.domain.Job;
import java.util.List;
import java.util.Optional;

/** Where replication's jobs are kept, in this region; each save is conditional on the job's revision. */
public interface Jobs {

    /** Stores a new job (revision 1). */
    Job create(Job job);

    Optional<Job> find(String id);

    /**
     * Stores {@code job} if the stored revision is still {@code job.revision()}.
     *
     * @return the job as stored, at the next revision
     * @throws StaleJobException when another worker saved it meanwhile
     */
    Job save(Job job);

    /** The newest jobs first, at most {@code limit}. */
    List<Job> recent(int limit);

    /** Jobs not finished (a short list: jobs are started by operators and by stream gaps). */
    List<Job> running();

    /** Another worker saved the job meanwhile. */
    final class StaleJobException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StaleJobException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
