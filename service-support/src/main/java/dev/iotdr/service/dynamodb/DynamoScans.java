package dev.iotdr.service.dynamodb;

import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** A whole-table scan, page by page, each page one guarded call. */
public final class DynamoScans {
    private DynamoScans() {}

    /** Hands every item {@code request} selects to {@code each}, following pagination to the end. */
    public static void forEach(
            DynamoDbClient dynamo,
            GuardedAwsCalls calls,
            Consumer<ScanRequest.Builder> request,
            Consumer<Map<String, AttributeValue>> each) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = calls.call(
                    AwsApi.DYNAMODB_SCAN,
                    () -> dynamo.scan(builder -> {
                        request.accept(builder);
                        if (from != null) {
                            builder.exclusiveStartKey(from);
                        }
                    }));
            page.items().forEach(each);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }
}
