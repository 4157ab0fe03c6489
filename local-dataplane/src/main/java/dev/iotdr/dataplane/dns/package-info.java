/**
 * The local stack's DNS for the fleet's domain: what Route 53's resolvers and health checkers do for the
 * hosted zone, on loopback, so that the drill sees the names move exactly when Route 53 would move them.
 *
 * <p>What it emulates: the public hosted zone named after the domain is read from Route 53 (the global
 * emulator) every refresh interval (default 1 s), paged, and the last good read is kept while Route 53 cannot
 * be read. Queries over UDP and TCP on one port are answered authoritatively from it: failover record sets
 * answer the PRIMARY while its health check is healthy (or it has none), else the SECONDARY while healthy (or
 * unchecked), else the PRIMARY, which is what Route 53 documents for an unhealthy SECONDARY; CNAME chains are
 * followed within the zone and into the regional AWS names the records point at ({@code
 * *.iot.<region>.amazonaws.com}, {@code *.<region>.elb.amazonaws.com}: the region's loopback address, TTL
 * 60); every record carries its stored TTL; a name without records is NXDOMAIN (NOERROR when it has
 * records below it or records of other types) with the SOA in authority; other names are REFUSED;
 * unparseable queries get FORMERR. UDP answers are truncated (TC) past 512 bytes, or past what EDNS offers,
 * up to 1232. The health checks records reference, and only those, are probed as Route 53's checkers probe
 * them: TCP connect within 10 s; HTTP(S) connect within 4 s and a 2xx/3xx status within 2 s (HTTPS without
 * validating the certificate, SNI only when the check enables it); the string-matching types search the
 * first 5,120 bytes of the body. A status flips after FailureThreshold consecutive results the other way; a new
 * check is healthy until then, as Route 53 considers a new check healthy until it has data; a disabled check
 * is healthy; an inverted one reports the other way round.
 *
 * <p>Where it differs from Route 53: one checker location instead of many (Route 53 calls an endpoint
 * healthy when more than 18 % of its checkers do; here the single checker decides); a check's domain name is
 * resolved through this DNS itself instead of public DNS; weighted, latency, geolocation and other
 * one-of-many policies answer the first healthy set by set identifier instead of weighing; calculated,
 * CloudWatch-alarm and recovery-control checks are not evaluated (they count as healthy), nor are checks
 * Route 53 no longer has; a delegated subdomain gets a referral without glue; no DNSSEC, no zone transfers,
 * no EDNS options and no IPv6 answers for the regional names unless a region's address is IPv6. The
 * emulator lets two zones share a name: the lowest id answers (the rule the failover deciders use) and a
 * warning says so.
 */
package dev.iotdr.dataplane.dns;
