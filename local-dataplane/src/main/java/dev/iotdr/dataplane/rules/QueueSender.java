package dev.iotdr.dataplane.rules;

/** Sends a message body to a queue a rule action names; the port the rule executor delivers through. */
interface QueueSender {
    /**
     * @throws QueueSendException when the message was not accepted
     */
    void send(SqsTarget target, String body);
}
