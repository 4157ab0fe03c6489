package dev.iotdr.deploy.fleet;

import java.net.InetSocketAddress;

/** The {@code address:port} endpoints state.json records (the DNS, each region's MQTT and api endpoints). */
public final class Endpoints {
    private Endpoints() {}

    /** {@code 127.0.1.1:8883} as a socket address. */
    public static InetSocketAddress parse(String endpoint) {
        int split = endpoint.lastIndexOf(':');
        if (split < 1) {
            throw new IllegalArgumentException("not address:port: " + endpoint);
        }
        return new InetSocketAddress(endpoint.substring(0, split), Integer.parseInt(endpoint.substring(split + 1)));
    }
}
