package dev.iotdr.dataplane.dns;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A Route 53 health check's configuration, as far as probing it needs: what to connect to, how, how often,
 * and after how many results the other way its status flips.
 *
 * @param id the health check id
 * @param type what the probe does
 * @param ipAddress the address to probe; when empty, {@code fqdn} is resolved
 * @param fqdn the name to resolve (when no address) and to send as HTTP Host and, with {@code enableSni}, as SNI
 * @param port the port to connect to
 * @param resourcePath the HTTP path, for HTTP types
 * @param searchString the text the first 5,120 bytes of the body must hold, for the string-matching types
 * @param requestInterval how often one checker probes
 * @param failureThreshold consecutive results the other way that flip the status (1 to 10)
 * @param inverted whether the status is reported the other way round
 * @param disabled whether checking is stopped (Route 53 then reports the check healthy)
 * @param enableSni whether HTTPS probes send the name as SNI
 */
record HealthCheckSpec(
        String id,
        ProbeType type,
        Optional<String> ipAddress,
        Optional<String> fqdn,
        int port,
        String resourcePath,
        Optional<String> searchString,
        Duration requestInterval,
        int failureThreshold,
        boolean inverted,
        boolean disabled,
        boolean enableSni) {

    HealthCheckSpec {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a health check needs an id");
        }
        if (type == null) {
            throw new IllegalArgumentException("health check " + id + " needs a type");
        }
        if (type.probes() && ipAddress.isEmpty() && fqdn.isEmpty()) {
            throw new IllegalArgumentException(
                    "health check " + id + " of type " + type + " needs an IP address or a domain name to probe");
        }
        if (type.probes() && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("health check " + id + " port must be 1 to 65535, was " + port);
        }
        resourcePath = resourcePath == null || resourcePath.isEmpty() ? "/" : resourcePath;
        if (!resourcePath.startsWith("/")) {
            resourcePath = "/" + resourcePath; // Route 53 accepts a path without its leading slash
        }
        if (requestInterval == null || requestInterval.isNegative() || requestInterval.isZero()) {
            throw new IllegalArgumentException(
                    "health check " + id + " request interval must be positive, was " + requestInterval);
        }
        if (failureThreshold < 1 || failureThreshold > 10) {
            throw new IllegalArgumentException(
                    "health check " + id + " failure threshold must be 1 to 10, was " + failureThreshold);
        }
        if (type.matchesString() && searchString.filter(text -> !text.isEmpty()).isEmpty()) {
            throw new IllegalArgumentException("health check " + id + " of type " + type + " needs a search string");
        }
    }

    /** The name or address the probe talks to, for HTTP Host headers and log lines. */
    String host() {
        return fqdn.orElseGet(ipAddress::orElseThrow);
    }

    /** What a Route 53 health check does, by its {@code Type}. */
    enum ProbeType {
        HTTP(true, false, false),
        HTTPS(true, true, false),
        HTTP_STR_MATCH(true, false, true),
        HTTPS_STR_MATCH(true, true, true),
        TCP(false, false, false),
        /** CALCULATED, CLOUDWATCH_METRIC, RECOVERY_CONTROL: nothing to probe here. */
        NOT_PROBED(false, false, false);

        private final boolean http;
        private final boolean tls;
        private final boolean matchesString;

        ProbeType(boolean http, boolean tls, boolean matchesString) {
            this.http = http;
            this.tls = tls;
            this.matchesString = matchesString;
        }

        static ProbeType of(String route53Type) {
            return switch (route53Type == null ? "" : route53Type.toUpperCase(Locale.ROOT)) {
                case "HTTP" -> HTTP;
                case "HTTPS" -> HTTPS;
                case "HTTP_STR_MATCH" -> HTTP_STR_MATCH;
                case "HTTPS_STR_MATCH" -> HTTPS_STR_MATCH;
                case "TCP" -> TCP;
                default -> NOT_PROBED;
            };
        }

        boolean probes() {
            return this != NOT_PROBED;
        }

        boolean http() {
            return http;
        }

        boolean tls() {
            return tls;
        }

        boolean matchesString() {
            return matchesString;
        }
    }
}
