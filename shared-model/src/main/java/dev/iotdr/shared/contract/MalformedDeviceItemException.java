package dev.iotdr.shared.contract;

/** A device-table item (or stream image) that does not hold a valid device record; says which attribute. */
public class MalformedDeviceItemException extends RuntimeException {
    public MalformedDeviceItemException(String message) {
        super(message);
    }

    public MalformedDeviceItemException(String message, Throwable cause) {
        super(message, cause);
    }
}
