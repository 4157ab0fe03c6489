package dev.iotdr.failover.decision.adapter.in.web;

import dev.iotdr.failover.decision.application.FailoverCoordinator.FailoverBlocked;
import dev.iotdr.service.web.ProblemAnswers;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The failover API's RFC 9457 answers; a blocked failover names the rules that blocked it. */
@RestControllerAdvice
class ProblemAdvice extends ProblemAnswers {

    @ExceptionHandler(FailoverBlocked.class)
    ResponseEntity<ProblemDetail> blocked(FailoverBlocked e) {
        ResponseEntity<ProblemDetail> response = problem(
                HttpStatus.CONFLICT,
                "failover-blocked",
                "Failover blocked",
                e.decision().explanation());
        response.getBody().setProperty("blockedBy", e.decision().blockedBy());
        response.getBody().setProperty("target", e.decision().target().code());
        return response;
    }

    @ExceptionHandler(IllegalStateException.class)
    ResponseEntity<ProblemDetail> notReady(IllegalStateException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "not-ready", "Not ready", e.getMessage());
    }
}
