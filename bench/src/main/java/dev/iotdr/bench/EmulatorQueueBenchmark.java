package dev.iotdr.bench;

import dev.iotdr.deploy.localcloud.MotoEmulator;
import dev.iotdr.deploy.localcloud.MotoRuntime;
import dev.iotdr.shared.aws.AwsClientSettings;
import dev.iotdr.shared.aws.RegionalAwsClients;
import dev.iotdr.shared.domain.Region;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * What one SQS send and one receive cost on the local stack's emulator as its queue's backlog grows, with the
 * stack's wrapper ({@code moto_server.py}: sends and receives no longer count the whole queue per message) and
 * without it (moto as it is, {@code IOTDR_MOTO_QUEUE_COUNTS=per-message}), in one run on two emulators of their
 * own.
 *
 * <p>For each backlog in {@code --backlogs} (default 0,500,2000) a fresh queue is filled to that many messages
 * in batches of ten, then {@code --sends} single sends (default 50) and as many receives of up to ten messages
 * (each followed by a batch delete, so the backlog stays where it is) are timed one after another. The topic
 * rules' sends and the telemetry service's receives are these calls; a backlog is what a region's queue holds
 * while its consumer is behind or stopped.
 */
public final class EmulatorQueueBenchmark {
    private static final Region REGION = Region.of("us-east-1");

    private EmulatorQueueBenchmark() {}

    public static void main(String[] args) throws Exception {
        List<Integer> backlogs = java.util.Arrays.stream(
                        option(args, "--backlogs", "0,500,2000").split(","))
                .map(String::strip)
                .map(Integer::parseInt)
                .toList();
        int sends = Integer.parseInt(option(args, "--sends", "50"));
        MotoRuntime runtime = MotoRuntime.ensure();
        Path logs = Files.createTempDirectory("emulator-queue-bench");
        System.out.printf(
                "emulator queue benchmark: moto %s, backlogs %s, %d sends and %d receives per backlog%n",
                runtime.motoVersion(), backlogs, sends, sends);
        List<String> lines = new ArrayList<>();
        try (MotoEmulator baseline = new MotoEmulator(
                        "baseline",
                        runtime,
                        logs.resolve("baseline.log"),
                        Map.of("IOTDR_MOTO_QUEUE_COUNTS", "per-message"));
                MotoEmulator wrapped = new MotoEmulator("stack", runtime, logs.resolve("stack.log"))) {
            baseline.start(Duration.ofSeconds(60));
            wrapped.start(Duration.ofSeconds(60));
            try (RegionalAwsClients before = clients(baseline);
                    RegionalAwsClients after = clients(wrapped)) {
                for (int backlog : backlogs) {
                    // the two emulators alternate per backlog, so the machine's drift touches both alike
                    Result without = measure(before.sqs(REGION), backlog, sends);
                    Result with = measure(after.sqs(REGION), backlog, sends);
                    lines.add(String.format(
                            "backlog %5d  send p50 %7.2f ms -> %6.2f ms (%5.1fx)  receive p50 %7.2f ms -> %6.2f ms (%5.1fx)",
                            backlog,
                            without.sendP50Millis(),
                            with.sendP50Millis(),
                            without.sendP50Millis() / Math.max(0.001, with.sendP50Millis()),
                            without.receiveP50Millis(),
                            with.receiveP50Millis(),
                            without.receiveP50Millis() / Math.max(0.001, with.receiveP50Millis())));
                    System.out.println(lines.getLast());
                }
            }
        }
        System.out.println("(left: moto as it is; right: the local stack's wrapper; ratio: how many times faster)");
    }

    private record Result(double sendP50Millis, double receiveP50Millis) {}

    private static Result measure(SqsClient sqs, int backlog, int sends) {
        String url = sqs.createQueue(request -> request.queueName("bench-" + UUID.randomUUID()))
                .queueUrl();
        for (int filled = 0; filled < backlog; filled += 10) {
            int batch = Math.min(10, backlog - filled);
            sqs.sendMessageBatch(request -> request.queueUrl(url)
                    .entries(IntStream.range(0, batch)
                            .mapToObj(i -> SendMessageBatchRequestEntry.builder()
                                    .id("m" + i)
                                    .messageBody("{\"backlog\":" + i + "}")
                                    .build())
                            .toList()));
        }
        List<Long> sendMicros = new ArrayList<>();
        List<Long> receiveMicros = new ArrayList<>();
        for (int i = 0; i < sends; i++) {
            int n = i;
            long started = System.nanoTime();
            sqs.sendMessage(request -> request.queueUrl(url).messageBody("{\"n\":" + n + "}"));
            sendMicros.add((System.nanoTime() - started) / 1000);

            started = System.nanoTime();
            var received = sqs.receiveMessage(request ->
                            request.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(600))
                    .messages();
            receiveMicros.add((System.nanoTime() - started) / 1000);
            if (!received.isEmpty()) {
                sqs.deleteMessageBatch(request -> request.queueUrl(url)
                        .entries(received.stream()
                                .map(m ->
                                        software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry
                                                .builder()
                                                .id(m.messageId())
                                                .receiptHandle(m.receiptHandle())
                                                .build())
                                .toList()));
            }
        }
        sqs.deleteQueue(request -> request.queueUrl(url));
        return new Result(p50(sendMicros) / 1000.0, p50(receiveMicros) / 1000.0);
    }

    private static long p50(List<Long> micros) {
        long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        return LatencySummary.percentile(sorted, 50);
    }

    private static RegionalAwsClients clients(MotoEmulator emulator) {
        return new RegionalAwsClients(
                AwsClientSettings.emulated(Map.of(REGION, emulator.endpoint()), emulator.endpoint()));
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
