package dev.iotdr.onboarding.devices.adapter.in.web;

import dev.iotdr.onboarding.devices.application.Problems;
import dev.iotdr.service.aws.DependencyUnavailableException;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps every failure of the API to an RFC 9457 problem ({@code application/problem+json}): client mistakes
 * to 4xx with a detail that says what is wrong, AWS being unable to serve to 503 with {@code Retry-After},
 * and anything unexpected to a 500 that reveals nothing internal.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
    private static final String TYPES = "https://iotdr.dev/problems/";

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> invalid(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
    }

    @ExceptionHandler(Problems.InvalidCsr.class)
    ResponseEntity<ProblemDetail> invalidCsr(Problems.InvalidCsr e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-csr", "Invalid certificate signing request", e.getMessage());
    }

    @ExceptionHandler(Problems.DeviceAlreadyRegistered.class)
    ResponseEntity<ProblemDetail> registered(Problems.DeviceAlreadyRegistered e) {
        return problem(HttpStatus.CONFLICT, "device-exists", "Device already registered", e.getMessage());
    }

    @ExceptionHandler(Problems.DeviceStateConflict.class)
    ResponseEntity<ProblemDetail> changed(Problems.DeviceStateConflict e) {
        return problem(HttpStatus.CONFLICT, "device-state-conflict", "Device state conflict", e.getMessage());
    }

    @ExceptionHandler(Problems.IdempotencyKeyReused.class)
    ResponseEntity<ProblemDetail> reused(Problems.IdempotencyKeyReused e) {
        return problem(
                HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused", "Idempotency-Key reused", e.getMessage());
    }

    @ExceptionHandler(Problems.RequestInProgress.class)
    ResponseEntity<ProblemDetail> inProgress(Problems.RequestInProgress e) {
        return retryLater(
                HttpStatus.CONFLICT, "request-in-progress", "Request in progress", e.getMessage(), e.retryAfter());
    }

    @ExceptionHandler(Problems.DeviceNotFound.class)
    ResponseEntity<ProblemDetail> notFound(Problems.DeviceNotFound e) {
        return problem(HttpStatus.NOT_FOUND, "device-not-found", "Device not found", e.getMessage());
    }

    @ExceptionHandler(DependencyUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(DependencyUnavailableException e) {
        log.warn("{} unavailable: {}", e.dependency(), e.getMessage());
        return retryLater(
                HttpStatus.SERVICE_UNAVAILABLE,
                "dependency-unavailable",
                "Region cannot serve this now",
                "AWS (" + e.dependency() + ") cannot serve this request now; nothing was lost, retry with the same "
                        + "Idempotency-Key",
                e.retryAfter());
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Request body too large", e.getMessage());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> mismatch(MethodArgumentTypeMismatchException e) {
        return problem(
                HttpStatus.BAD_REQUEST,
                "invalid-request",
                "Invalid request",
                "parameter '" + e.getName() + "' has an invalid value");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("unexpected failure", e);
        return problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
                "the request failed unexpectedly; it is safe to retry with the same Idempotency-Key");
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof PayloadTooLargeException tooLarge) {
            return asObject(tooLarge(tooLarge));
        }
        String detail = cause.getClass().getSimpleName().contains("UnrecognizedProperty")
                ? "unknown field: " + unknownField(cause.getMessage())
                : "the body is not valid JSON of the expected shape";
        return asObject(problem(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body", detail));
    }

    @Override
    protected ResponseEntity<Object> handleServletRequestBindingException(
            ServletRequestBindingException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (e instanceof MissingRequestHeaderException missing) {
            return asObject(problem(
                    HttpStatus.BAD_REQUEST,
                    "missing-header",
                    "Missing header",
                    "header " + missing.getHeaderName() + " is required"));
        }
        return super.handleServletRequestBindingException(e, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = e.getBindingResult().getFieldErrors().stream()
                .map(error -> error.getDefaultMessage() == null
                        ? error.getField() + " is invalid"
                        : error.getDefaultMessage())
                .sorted()
                .reduce((a, b) -> a + "; " + b)
                .orElse("the body is invalid");
        return asObject(problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail));
    }

    private static String unknownField(String message) {
        int start = message == null ? -1 : message.indexOf('"');
        int end = start < 0 ? -1 : message.indexOf('"', start + 1);
        return end > start ? message.substring(start + 1, end) : "(unnamed)";
    }

    private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> response) {
        return ResponseEntity.status(response.getStatusCode())
                .headers(response.getHeaders())
                .body(response.getBody());
    }

    private static ResponseEntity<ProblemDetail> retryLater(
            HttpStatus status, String type, String title, String detail, Duration retryAfter) {
        ResponseEntity<ProblemDetail> response = problem(status, type, title, detail);
        return ResponseEntity.status(status)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())))
                .body(response.getBody());
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPES + type));
        problem.setTitle(title);
        return ResponseEntity.status(status).body(problem);
    }
}
