/**
 * AWS IoT's rules engine for the local data plane, which moto lacks: {@link dev.iotdr.dataplane.rules.TopicRules}
 * runs the topic rules stored in its region's registry on each message the broker accepts, and
 * {@link dev.iotdr.dataplane.rules.FleetRules} ensures the fleet's rules and queues at startup.
 *
 * <p>The IoT SQL subset is parsed by a hand-written recursive-descent parser ({@code RuleSqlParser}): no IoT SQL
 * library exists for Java. Supported: {@code SELECT} with {@code *} and {@code <expression> [AS name]} (fields
 * {@code a.b}, string/number/boolean literals, {@code topic()}, {@code topic(n)}, {@code clientid()},
 * {@code timestamp()}, {@code principal()}); {@code FROM '<filter>'} with MQTT {@code +} and {@code #}
 * ({@code $aws/...} topics match only a filter naming them); {@code WHERE} with {@code = <> != < <= > >=},
 * {@code AND}, {@code OR}, {@code NOT} and parentheses. Actions: SQS only (queue found by name, {@code useBase64}
 * honoured), and an SQS error action receiving AWS's error message shape. A rule using anything else is logged at
 * ERROR when loaded and listed by {@code unsupported()}; it is never executed approximately.
 *
 * <p>Where it differs from AWS IoT's rules engine:
 *
 * <ul>
 *   <li>{@code timestamp()} is when the broker received the message, not when the rule ran.
 *   <li>Undefined (a missing field, a comparison of incomparable types) makes a WHERE false, and {@code AND}/
 *       {@code OR} treat it as unknown ({@code false AND x} is false, {@code true OR x} true); a string that
 *       reads as a number compares with a number as that number. Named SELECT items override payload fields of
 *       the same name (so a device cannot forge {@code thingName}).
 *   <li>A payload that is not a JSON object passes through a lone {@code SELECT *} unchanged, as AWS does; a
 *       query that would add fields to it fails for that message and the message goes to the error action with
 *       {@code failedAction} {@code SqlEvaluation} (AWS only logs SQL failures; we keep the message).
 *   <li>An output that is not UTF-8 text fails an SQS action without {@code useBase64} (SQS bodies are text).
 *   <li>Throttled sends are retried (3 times, backoff from 100 ms, doubling) before the action fails. When both
 *       the actions and the error action fail, or no thread is free to run the rule, the message is logged at
 *       ERROR as LOST with rule, message id and base64 payload, and counted.
 *   <li>The SQS action's {@code roleArn} is not checked; the queue's account and host are ignored.
 * </ul>
 */
package dev.iotdr.dataplane.rules;
