package dev.iotdr.deploy.localcloud;

/** The local cloud could not be started or controlled; the message says what to do about it. */
public class LocalCloudException extends RuntimeException {
    public LocalCloudException(String message) {
        super(message);
    }

    public LocalCloudException(String message, Throwable cause) {
        super(message, cause);
    }
}
