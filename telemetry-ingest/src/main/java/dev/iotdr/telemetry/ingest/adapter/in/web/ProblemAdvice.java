package dev.iotdr.telemetry.ingest.adapter.in.web;

import dev.iotdr.service.web.ProblemAnswers;
import dev.iotdr.telemetry.ingest.domain.InvalidTelemetry;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The telemetry API's RFC 9457 answers: the shared ones, plus invalid telemetry naming its field. */
@RestControllerAdvice
class ProblemAdvice extends ProblemAnswers {

    @ExceptionHandler(InvalidTelemetry.class)
    ResponseEntity<ProblemDetail> invalid(InvalidTelemetry e) {
        ResponseEntity<ProblemDetail> answer =
                problem(HttpStatus.BAD_REQUEST, "invalid-telemetry", "Invalid telemetry", e.getMessage());
        answer.getBody().setProperty("field", e.field());
        return answer;
    }

    @ExceptionHandler(TelemetryBatchController.UnsupportedEncoding.class)
    ResponseEntity<ProblemDetail> encoding(TelemetryBatchController.UnsupportedEncoding e) {
        ResponseEntity<ProblemDetail> answer = problem(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "unsupported-encoding",
                "Unsupported content encoding",
                e.getMessage());
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .header("Accept-Encoding", "gzip")
                .body(answer.getBody());
    }
}
