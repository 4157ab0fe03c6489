package dev.iotdr.onboarding.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP client for the service under test (no MockMvc: the whole stack, security included). */
public final class OnboardingApi {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    public OnboardingApi(URI base) {
        this.base = base;
    }

    public HttpResponse<String> send(String method, String path, String token, String key, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> onboard(String key, String body) {
        return send("POST", "/v1/devices", TestTokens.token("devices:write devices:read"), key, body);
    }

    public HttpResponse<String> get(String path) {
        return send("GET", path, TestTokens.token("devices:read"), null, null);
    }

    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    public static String onboardBody(String deviceId) {
        return "{\"deviceId\":\"" + deviceId + "\",\"thingGroup\":\"sensors\",\"attributes\":{\"model\":\"th-200\","
                + "\"firmware\":\"1.4.2\",\"site\":\"plant-7\",\"floor\":\"2\"}}";
    }
}
