package dev.iotdr.onboarding.devices.adapter.in.web;

import dev.iotdr.onboarding.devices.application.Problems;
import dev.iotdr.service.web.ProblemAnswers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The onboarding API's RFC 9457 answers: the shared ones, plus the devices feature's own refusals. */
@RestControllerAdvice
class ProblemAdvice extends ProblemAnswers {

    /** A request with an Idempotency-Key is retried with the same key; a DELETE is simply repeated. */
    @Override
    protected String retryAdvice(HttpServletRequest request) {
        if (request.getHeader("Idempotency-Key") != null) {
            return "nothing was lost, retry with the same Idempotency-Key";
        }
        if ("DELETE".equals(request.getMethod())) {
            return "repeating the DELETE finishes what this one started (it decommissions the device as it is then)";
        }
        return super.retryAdvice(request);
    }

    @ExceptionHandler(Problems.DeviceChangingElsewhere.class)
    ResponseEntity<ProblemDetail> changingElsewhere(Problems.DeviceChangingElsewhere e) {
        return retryLater(
                HttpStatus.CONFLICT,
                "device-changing-elsewhere",
                "Device changing in another region",
                e.getMessage(),
                e.retryAfter());
    }

    @ExceptionHandler(Problems.DecommissionInProgress.class)
    ResponseEntity<ProblemDetail> decommissioning(Problems.DecommissionInProgress e) {
        return retryLater(
                HttpStatus.CONFLICT,
                "decommission-in-progress",
                "Decommission in progress",
                e.getMessage(),
                e.retryAfter());
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
}
