package dev.iotdr.replication.registry.adapter.in.web;

import dev.iotdr.service.web.ProblemAnswers;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The replication API's RFC 9457 answers (the shared ones; replication has no refusals of its own). */
@RestControllerAdvice
class ProblemAdvice extends ProblemAnswers {}
