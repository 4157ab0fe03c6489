package dev.iotdr.deploy.localcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iotdr.shared.aws.AwsService;
import dev.iotdr.shared.aws.RegionUnavailableException;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.Region;
import java.net.ConnectException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

@ExtendWith(LocalCloudExtension.class)
class LocalCloudIntegrationTest {
    private static final Region US = Region.of("us-east-1");
    private static final Region EU = Region.of("eu-west-1");

    @Test
    void eachRegionIsItsOwnEmulatorAndAThingCreatedInOneIsAbsentInTheOther(
            LocalCloud cloud, RegionalAwsClients clients) {
        assertThat(cloud.endpoint(US)).isNotEqualTo(cloud.endpoint(EU));
        assertThat(cloud.pids().get(US.code())).isNotEqualTo(cloud.pids().get(EU.code()));
        assertThat(clients.endpoint(AwsService.IOT, US)).contains(cloud.endpoint(US));

        String thing = "isolation-" + UUID.randomUUID();
        clients.iot(US).createThing(request -> request.thingName(thing));

        assertThat(clients.iot(US)
                        .describeThing(request -> request.thingName(thing))
                        .thingName())
                .isEqualTo(thing);
        assertThatThrownBy(() -> clients.iot(EU).describeThing(request -> request.thingName(thing)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    /**
     * The wrapper stops SQS sends and receives from counting the whole queue for every message (moto_server.py):
     * the counts a consumer or an alarm reads must stay exact, delayed and in-flight messages included, and a
     * receive still sees the retention period it reads while the counting is off.
     */
    @Test
    void queueCountsStayExactThroughSendsBatchesReceivesAndDelays(RegionalAwsClients clients) {
        var sqs = clients.sqs(US);
        String url = sqs.createQueue(request -> request.queueName("counts-" + UUID.randomUUID()))
                .queueUrl();
        for (int i = 0; i < 25; i++) {
            int n = i;
            sqs.sendMessage(request -> request.queueUrl(url).messageBody("single-" + n));
        }
        for (int batch = 0; batch < 2; batch++) {
            int b = batch;
            sqs.sendMessageBatch(request -> request.queueUrl(url)
                    .entries(java.util.stream.IntStream.range(0, 10)
                            .mapToObj(i ->
                                    software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder()
                                            .id("e" + i)
                                            .messageBody("batch-" + b + "-" + i)
                                            .build())
                            .toList()));
        }
        sqs.sendMessage(request -> request.queueUrl(url).messageBody("later").delaySeconds(600));

        var received = sqs.receiveMessage(
                        request -> request.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(300))
                .messages();

        assertThat(received).hasSize(10);
        var counts = sqs.getQueueAttributes(request -> request.queueUrl(url)
                        .attributeNames(
                                software.amazon.awssdk.services.sqs.model.QueueAttributeName
                                        .APPROXIMATE_NUMBER_OF_MESSAGES,
                                software.amazon.awssdk.services.sqs.model.QueueAttributeName
                                        .APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                software.amazon.awssdk.services.sqs.model.QueueAttributeName
                                        .APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributesAsStrings();
        assertThat(counts)
                .containsEntry("ApproximateNumberOfMessages", "35")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "10")
                .containsEntry("ApproximateNumberOfMessagesDelayed", "1");
    }

    @Test
    void aTableCreatedInOneRegionIsAbsentInTheOther(RegionalAwsClients clients) {
        String table = "isolation-" + UUID.randomUUID();
        clients.dynamoDb(EU).createTable(request -> request.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder()
                        .attributeName("id")
                        .attributeType(ScalarAttributeType.S)
                        .build())
                .keySchema(KeySchemaElement.builder()
                        .attributeName("id")
                        .keyType(KeyType.HASH)
                        .build()));

        assertThat(clients.dynamoDb(EU).listTables().tableNames()).contains(table);
        assertThat(clients.dynamoDb(US).listTables().tableNames()).doesNotContain(table);
    }

    @Test
    void globalServicesAnswerOnTheirOwnEmulator(LocalCloud cloud, RegionalAwsClients clients) {
        assertThat(clients.endpoint(AwsService.ROUTE53, US)).contains(cloud.globalEndpoint());
        String zone = "isolation-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        clients.route53(US).createHostedZone(request -> request.name(zone).callerReference(zone));
        assertThat(clients.route53(EU).listHostedZones().hostedZones())
                .anySatisfy(hostedZone -> assertThat(hostedZone.name()).isEqualTo(zone + "."));
    }

    @Test
    void aStoppedRegionFailsFastWithAClearErrorWhileTheOtherAnswersAndItAnswersAgainAfterRestart() {
        // A cloud of its own: the outage must not disturb the tests that share one.
        try (LocalCloud cloud = LocalCloud.start(LocalCloudConfig.fromEnvironment());
                RegionalAwsClients clients = new RegionalAwsClients(cloud.awsSettings())) {
            assertThat(clients.dynamoDb(US).listTables().tableNames()).isEmpty();
            long pid = cloud.pids().get(US.code());

            cloud.stopRegion(US);

            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
            assertThat(cloud.isRunning(US)).isFalse();
            assertThatThrownBy(() -> clients.dynamoDb(US).listTables())
                    .isInstanceOfSatisfying(RegionUnavailableException.class, unavailable -> {
                        assertThat(unavailable.region()).isEqualTo(US);
                        assertThat(unavailable.service()).isEqualTo(AwsService.DYNAMODB);
                    })
                    .hasMessageContaining("dynamodb in us-east-1 is unreachable at " + cloud.endpoint(US))
                    .hasRootCauseInstanceOf(ConnectException.class);
            assertThatThrownBy(() -> clients.iot(US).listThings())
                    .isInstanceOf(RegionUnavailableException.class)
                    .hasMessageContaining("iot in us-east-1 is unreachable");
            assertThat(clients.dynamoDb(EU).listTables().tableNames()).isEmpty();
            assertThat(clients.iot(EU).listThings().things()).isEmpty();

            cloud.startRegion(US);

            assertThat(cloud.isRunning(US)).isTrue();
            assertThat(cloud.pids().get(US.code())).isNotEqualTo(pid);
            assertThat(clients.dynamoDb(US).listTables().tableNames()).isEmpty();
        }
    }

    @Test
    void closingStopsEveryEmulatorByItsPid() {
        LocalCloud cloud = LocalCloud.start(LocalCloudConfig.fromEnvironment());
        Map<String, Long> pids = cloud.pids();
        assertThat(pids).containsOnlyKeys(US.code(), EU.code(), LocalCloud.GLOBAL);
        assertThat(pids.values()).allSatisfy(pid -> assertThat(alive(pid)).isTrue());

        cloud.close();

        assertThat(pids.values()).allSatisfy(pid -> assertThat(alive(pid)).isFalse());
        assertThat(cloud.pids()).isEmpty();
        assertThatThrownBy(() -> cloud.startRegion(US)).hasMessageContaining("closed");
    }

    @Test
    void anUnknownRegionIsRefusedWithTheKnownOnes(LocalCloud cloud) {
        assertThatThrownBy(() -> cloud.stopRegion(Region.of("ap-south-1")))
                .hasMessageContaining("ap-south-1 is not a region of this local cloud [us-east-1, eu-west-1]");
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
