/**
 * The web edge every service shares: RFC 9457 answers ({@link dev.iotdr.service.web.ProblemAnswers}), the
 * OAuth2 resource-server pieces ({@link dev.iotdr.service.web.ResourceServer}) and the request-size limit.
 */
package dev.iotdr.service.web;
