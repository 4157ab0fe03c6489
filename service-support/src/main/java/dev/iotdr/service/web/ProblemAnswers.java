package dev.iotdr.service.web;

import dev.iotdr.service.aws.DependencyUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
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
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The RFC 9457 answers every service gives: client mistakes are 4xx with a detail that says what is wrong,
 * AWS being unable to serve is 503 with {@code Retry-After}, anything unexpected is a 500 that reveals
 * nothing internal. Each service's one {@code @RestControllerAdvice} extends this with its own problems.
 */
public abstract class ProblemAnswers extends ResponseEntityExceptionHandler {
    public static final String TYPES = "https://iotdr.dev/problems/";
    private static final Logger log = LoggerFactory.getLogger(ProblemAnswers.class);

    /**
     * What a 503's or 500's detail tells the caller to do about {@code request}; services say how to retry
     * it safely.
     */
    protected String retryAdvice(HttpServletRequest request) {
        return "nothing was lost; retry later";
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> invalid(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
    }

    @ExceptionHandler(DependencyUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(DependencyUnavailableException e, HttpServletRequest request) {
        log.warn("{} unavailable: {}", e.dependency(), e.getMessage());
        return retryLater(
                HttpStatus.SERVICE_UNAVAILABLE,
                "dependency-unavailable",
                "Region cannot serve this now",
                "AWS (" + e.dependency() + ") cannot serve this request now; " + retryAdvice(request),
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
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected failure", e);
        return problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
                "the request failed unexpectedly; " + retryAdvice(request));
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

    protected static ResponseEntity<ProblemDetail> retryLater(
            HttpStatus status, String type, String title, String detail, Duration retryAfter) {
        ResponseEntity<ProblemDetail> response = problem(status, type, title, detail);
        return ResponseEntity.status(status)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())))
                .body(response.getBody());
    }

    protected static ResponseEntity<ProblemDetail> problem(
            HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPES + type));
        problem.setTitle(title);
        return ResponseEntity.status(status).body(problem);
    }
}
