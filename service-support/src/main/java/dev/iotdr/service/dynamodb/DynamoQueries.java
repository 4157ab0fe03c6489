package dev.iotdr.service.dynamodb;

import dev.iotdr.service.aws.AwsApi;
import dev.iotdr.service.aws.GuardedAwsCalls;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** A key-condition query, page by page, each page one guarded call: reads one partition, never the table. */
public final class DynamoQueries {
    private DynamoQueries() {}

    /** Hands every item {@code request} selects to {@code each}, following pagination to the end. */
    public static void forEach(
            DynamoDbClient dynamo,
            GuardedAwsCalls calls,
            Consumer<QueryRequest.Builder> request,
            Consumer<Map<String, AttributeValue>> each) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = calls.call(
                    AwsApi.DYNAMODB_QUERY,
                    () -> dynamo.query(builder -> {
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
