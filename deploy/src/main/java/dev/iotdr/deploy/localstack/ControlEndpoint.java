package dev.iotdr.deploy.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.iotdr.deploy.localcloud.LocalCloudException;
import dev.iotdr.shared.domain.Region;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The supervisor's loopback control API: {@code POST /regions/{region}/stop} makes a real outage of one
 * region (its services and its emulator stop), {@code POST /regions/{region}/start} brings it back (the
 * emulator empty, the services re-creating what they need); {@code /stop-services} and
 * {@code /start-services} stop and start only the region's services, its emulator keeping its state (the
 * scale benchmark loads a fleet so). Answers problem JSON on errors.
 */
final class ControlEndpoint implements AutoCloseable {
    private static final Pattern REGION_ACTION =
            Pattern.compile("/regions/([a-z0-9-]+)/(stop|start|stop-services|start-services)");

    private final HttpServer server;
    private final LocalStack stack;
    private final Runnable onChange;

    ControlEndpoint(LocalStack stack, Runnable onChange) {
        this.stack = stack;
        this.onChange = onChange;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the control endpoint", e);
        }
        server.createContext("/regions/", this::handle);
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher matcher = REGION_ACTION.matcher(exchange.getRequestURI().getPath());
            if (!matcher.matches()) {
                problem(
                        exchange,
                        404,
                        "Not Found",
                        "known: POST /regions/{region}/stop, /start, /stop-services and /start-services");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                problem(exchange, 405, "Method Not Allowed", "use POST");
                return;
            }
            Region region;
            try {
                region = Region.of(matcher.group(1));
                if (!stack.cloud().regions().contains(region)) {
                    problem(
                            exchange,
                            404,
                            "Unknown region",
                            region + " is not one of " + stack.cloud().regions());
                    return;
                }
            } catch (IllegalArgumentException e) {
                problem(exchange, 400, "Invalid region", e.getMessage());
                return;
            }
            try {
                switch (matcher.group(2)) {
                    case "stop" -> stack.stopRegion(region);
                    case "start" -> stack.startRegion(region);
                    case "stop-services" -> stack.stopServices(region);
                    default -> stack.startServices(region);
                }
            } catch (LocalCloudException e) {
                problem(exchange, 500, "Region action failed", e.getMessage());
                return;
            }
            onChange.run();
            byte[] body = ("{\"region\":\"" + region + "\",\"running\":"
                            + stack.cloud().isRunning(region) + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static void problem(HttpExchange exchange, int status, String title, String detail) throws IOException {
        String json = "{\"type\":\"about:blank\",\"title\":\"" + escape(title) + "\",\"status\":" + status
                + ",\"detail\":\"" + escape(detail) + "\"}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("\\p{Cntrl}", " ");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
