/**
 * IoT Core's policy evaluation for the local data plane: which CONNECT, PUBLISH, SUBSCRIBE and RECEIVE a device's
 * attached policies allow.
 *
 * <p>Emulated as AWS documents it: an explicit {@code Deny} in any attached policy wins, else some {@code Allow}
 * is needed, else the request is denied. {@code Action} and {@code Resource} take {@code *} and {@code ?}
 * wildcards (actions case-insensitively); MQTT's {@code +} and {@code #} are literal characters in a resource.
 * Policy variables ({@code ${iot:ClientId}}, {@code ${iot:Connection.Thing.ThingName}},
 * {@code ${iot:Connection.Thing.ThingTypeName}}, {@code ${iot:Connection.Thing.IsAttached}},
 * {@code ${iot:Connection.Thing.Attributes[name]}}) and the escapes {@code $(*)}, {@code $(?)}, {@code $($)} are
 * substituted before matching; a variable with no value (a thing type on a thing without one, any thing variable
 * when no thing is attached, a variable we do not know) leaves that resource or condition value unmatched, as
 * AWS does for an unresolvable variable. Conditions: {@code Bool}, {@code StringEquals},
 * {@code StringNotEquals}, the {@code IgnoreCase} forms, {@code StringLike} and {@code StringNotLike} on the
 * keys above.
 *
 * <p>Where it differs from AWS IoT: a substituted value is always literal (a client id containing {@code *} does
 * not become a wildcard); anything we cannot evaluate ({@code NotAction}, {@code NotResource}, other condition
 * operators such as {@code ...IfExists} or {@code ForAnyValue:}) is rejected when the document is parsed, with
 * an {@link dev.iotdr.dataplane.policy.InvalidPolicyException} naming it, rather than evaluated approximately;
 * condition key and variable names are matched case-insensitively.
 */
package dev.iotdr.dataplane.policy;
