package dev.iotdr.dataplane.api;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The region's load balancer for {@code api.<domain>}: HTTPS on a fixed port of the region's address, routing by
 * path as a load balancer's listener rules do ({@code /v1/devices} to onboarding, {@code /v1/telemetry}, {@code
 * /v1/fleet} and {@code /v1/devices/*}{@code /telemetry} to telemetry ingest; the most specific rule wins), and
 * answering 404 problem JSON for any other path. Jetty's
 * {@link ProxyHandler} does the proxying; this class only says where.
 */
public final class ApiLoadBalancer implements AutoCloseable {
    private final Server server;

    private ApiLoadBalancer(Server server) {
        this.server = server;
    }

    /**
     * @param routes path prefix (e.g. {@code /v1/devices}; a {@code *} segment matches any one segment) to the base
     *     URL of the service behind it; the rule with more segments wins, then the one with fewer wildcards
     */
    public static ApiLoadBalancer start(
            InetSocketAddress address, Path keystore, char[] keystorePassword, Map<String, URI> routes) {
        Map<String, URI> ordered = ordered(routes);
        Server server = new Server();
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(keystore.toAbsolutePath().toString());
        tls.setKeyStoreType("PKCS12");
        tls.setKeyStorePassword(new String(keystorePassword));
        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector =
                new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost(address.getAddress().getHostAddress());
        connector.setPort(address.getPort());
        server.addConnector(connector);
        // The route is chosen on the canonical path (dot segments resolved, as the backend will resolve them) and
        // the canonical path is what is forwarded: "/v1/devices/../actuator" never reaches a backend's /actuator.
        ProxyHandler proxy = new ProxyHandler.Reverse(request -> target(ordered, request)
                .map(base -> HttpURI.build(base)
                        .path(URIUtil.encodePath(request.getHttpURI().getCanonicalPath()))
                        .query(request.getHttpURI().getQuery())
                        .asImmutable())
                .orElseThrow());
        server.setHandler(new Handler.Wrapper(proxy) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (target(ordered, request).isEmpty()) {
                    notFound(request, response, callback);
                    return true;
                }
                return super.handle(request, response, callback);
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // the start failure is the one to report
            }
            throw new IllegalStateException(
                    "the api load balancer on " + address + " did not start: " + e.getMessage(), e);
        }
        return new ApiLoadBalancer(server);
    }

    /** The routes, most specific first: more segments, then fewer wildcards, then longer text. */
    static Map<String, URI> ordered(Map<String, URI> routes) {
        Map<String, URI> ordered = new LinkedHashMap<>();
        routes.entrySet().stream()
                .sorted(java.util.Comparator.<Map.Entry<String, URI>>comparingInt(
                                route -> -segments(route.getKey()).length)
                        .thenComparingInt(route -> wildcards(route.getKey()))
                        .thenComparingInt(route -> -route.getKey().length()))
                .forEach(route -> ordered.put(route.getKey(), route.getValue()));
        return ordered;
    }

    private static Optional<URI> target(Map<String, URI> routes, Request request) {
        String path = request.getHttpURI().getCanonicalPath();
        if (path == null) {
            return Optional.empty();
        }
        return target(routes, path);
    }

    /** Where {@code path} goes among {@code ordered} routes (see {@link #ordered}). */
    static Optional<URI> target(Map<String, URI> ordered, String path) {
        return ordered.entrySet().stream()
                .filter(route -> matches(route.getKey(), path))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /**
     * Whether {@code path} is {@code pattern} or below it, segment by segment, where a {@code *} segment stands for
     * any one segment (as a load balancer's path rule {@code /v1/devices/*}{@code /telemetry} does).
     */
    static boolean matches(String pattern, String path) {
        String[] wanted = segments(pattern);
        String[] given = segments(path);
        if (given.length < wanted.length) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            boolean any = wanted[i].equals("*") && !given[i].isEmpty();
            if (!any && !wanted[i].equals(given[i])) {
                return false;
            }
        }
        return true;
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    private static int wildcards(String pattern) {
        int count = 0;
        for (String segment : segments(pattern)) {
            if (segment.equals("*")) {
                count++;
            }
        }
        return count;
    }

    private static void notFound(Request request, Response response, Callback callback) {
        String body = "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                + "\"detail\":\"no route for this path on the api load balancer\"}";
        response.setStatus(404);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the api load balancer did not stop: " + e.getMessage(), e);
        }
    }
}
