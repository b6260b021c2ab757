package io.tributary.kafka.api;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.pipeline.AppendCallback;
import io.tributary.pipeline.AppendError;
import io.tributary.pipeline.AppendResult;
import io.tributary.pipeline.CommitListener;
import io.tributary.pipeline.IngestPipeline;
import io.tributary.pipeline.OfferResult;
import io.tributary.pipeline.ProducerIdAllocator;
import io.tributary.transactions.PartitionsAdded;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Produce over a scripted pipeline: error mapping, back-pressure, shutdown, acks=0. */
@Timeout(10)
class ProduceHandlerTest {
    @TempDir
    Path dir;
    private LogManager log;
    private EventLoop loop;
    private final ScriptedPipeline pipeline = new ScriptedPipeline();

    @BeforeEach
    void setUp() {
        log = LogManager.open(LogManagerConfig.builder(dir).build());
        log.createTopic("t", 1, Map.of());
        loop = new DefaultEventLoop();
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        log.close();
    }

    @Test
    void appendErrorsBecomeKafkaErrorCodesWithTheirMessage() throws Exception {
        pipeline.answer = AppendResult.failure(AppendError.RECORD_TOO_LARGE, "batch of 2000 bytes > 1000");
        ProduceResponseData.PartitionProduceResponse partition = produce((short) -1, 5000);
        assertThat(partition.errorCode()).isEqualTo(Errors.MESSAGE_TOO_LARGE.code());
        assertThat(partition.errorMessage()).isEqualTo("batch of 2000 bytes > 1000");
    }

    @Test
    void successReportsOffsetsAndTimes() throws Exception {
        pipeline.answer = AppendResult.success(42, 1234, 7);
        ProduceResponseData.PartitionProduceResponse partition = produce((short) 1, 5000);
        // a client id without the #fsync suffix ("test-client") leaves durability to the flush policy
        assertThat(pipeline.lastDurability).isEqualTo(io.tributary.pipeline.Durability.FLUSH_POLICY);
        assertThat(partition.errorCode()).isZero();
        assertThat(partition.baseOffset()).isEqualTo(42);
        assertThat(partition.logAppendTimeMs()).isEqualTo(1234);
        assertThat(partition.logStartOffset()).isEqualTo(7);
    }

    @Test
    void fullRingIsRetriedThenTimesOut() throws Exception {
        pipeline.offerResult = OfferResult.BACK_PRESSURED;
        ProduceResponseData.PartitionProduceResponse partition = produce((short) -1, 100);
        assertThat(partition.errorCode()).isEqualTo(Errors.REQUEST_TIMED_OUT.code());
        assertThat(pipeline.offers.get()).isGreaterThan(2);
    }

    @Test
    void fullRingThatDrainsInTimeSucceeds() throws Exception {
        pipeline.offerResult = OfferResult.BACK_PRESSURED;
        pipeline.acceptAfter = 3;
        pipeline.answer = AppendResult.success(0, -1, 0);
        ProduceResponseData.PartitionProduceResponse partition = produce((short) -1, 5000);
        assertThat(partition.errorCode()).isZero();
        assertThat(pipeline.offers.get()).isEqualTo(4);
    }

    @Test
    void closedPipelineAnswersNotLeader() throws Exception {
        pipeline.offerResult = OfferResult.CLOSED;
        ProduceResponseData.PartitionProduceResponse partition = produce((short) -1, 5000);
        assertThat(partition.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
    }

    @Test
    void acksZeroSendsNothingOnSuccessAndClosesOnFailure() throws Exception {
        pipeline.answer = AppendResult.success(0, -1, 0);
        TestContext ok = run((short) 0, 5000);
        assertThat(ok.outcome.get(5, TimeUnit.SECONDS)).isEqualTo(new TestContext.Outcome(null, null));

        pipeline.answer = AppendResult.failure(AppendError.CORRUPT_MESSAGE, "bad crc");
        TestContext failed = run((short) 0, 5000);
        assertThat(failed.outcome.get(5, TimeUnit.SECONDS).closeReason()).contains("t-0 CORRUPT_MESSAGE");
    }

    @Test
    void unknownTopicIsNotCreatedByProduce() throws Exception {
        ProduceRequestData request = request((short) -1, 1000, "missing");
        TestContext context = new TestContext(ApiKeys.PRODUCE, (short) 9, request, loop);
        loop.execute(() -> new ProduceHandler(log, pipeline, (id, epoch, topic, partition) -> io.tributary.transactions.TxnError.INVALID_TXN_STATE).handle(context));
        ProduceResponseData response = (ProduceResponseData) context.outcome.get(5, TimeUnit.SECONDS).response();
        assertThat(response.responses().iterator().next().partitionResponses().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(log.topic("missing")).isEmpty();
        assertThat(pipeline.offers.get()).isZero();
    }

    @Test
    void clientsCannotWriteTheHalfMessageTopic() throws Exception {
        log.createTopic("__half_messages", 1, Map.of());
        TestContext context = new TestContext(ApiKeys.PRODUCE, (short) 9, request((short) -1, 1000, "__half_messages"), loop);
        loop.execute(() -> new ProduceHandler(log, pipeline, (id, epoch, topic, partition) -> io.tributary.transactions.TxnError.INVALID_TXN_STATE).handle(context));
        ProduceResponseData response = (ProduceResponseData) context.outcome.get(5, TimeUnit.SECONDS).response();
        assertThat(response.responses().iterator().next().partitionResponses().get(0).errorCode())
                .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
        assertThat(pipeline.offers.get()).isZero();
    }

    @Test
    void clientsCannotWriteInternalTopics() throws Exception {
        log.createTopic("__consumer_offsets", 1, Map.of());
        TestContext context = new TestContext(ApiKeys.PRODUCE, (short) 9, request((short) -1, 1000, "__consumer_offsets"), loop);
        loop.execute(() -> new ProduceHandler(log, pipeline, (id, epoch, topic, partition) -> io.tributary.transactions.TxnError.INVALID_TXN_STATE).handle(context));
        ProduceResponseData response = (ProduceResponseData) context.outcome.get(5, TimeUnit.SECONDS).response();
        assertThat(response.responses().iterator().next().partitionResponses().get(0).errorCode())
                .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
        assertThat(pipeline.offers.get()).isZero();
    }

    @Test
    void timedOutAppendKeepsItsFrameUntilThePipelineIsDoneWithIt() throws Exception {
        // Given a pipeline that takes the batches but completes only when told
        pipeline.holdCallbacks = true;
        pipeline.answer = AppendResult.success(0, -1, 0);

        // When the request times out first
        TestContext context = run((short) 1, 50);
        ProduceResponseData response = (ProduceResponseData) context.outcome.get(5, TimeUnit.SECONDS).response();
        assertThat(response.responses().iterator().next().partitionResponses().get(0).errorCode())
                .isEqualTo(Errors.REQUEST_TIMED_OUT.code());

        // Then the frame stays held while the pipeline may still read it, and is released once it is done
        assertThat(context.openHolds.get()).as("hold while the append is in the pipeline").isEqualTo(1);
        pipeline.completeHeld();
        awaitReleased(context);
    }

    @Test
    void everyEndingReleasesTheFrameExactlyOnce() throws Exception {
        // success, append error, back-pressure until timeout, back-pressure then success, closed pipeline, acks=0
        pipeline.answer = AppendResult.success(0, -1, 0);
        awaitReleased(finished(run((short) 1, 5000)));
        pipeline.answer = AppendResult.failure(AppendError.CORRUPT_MESSAGE, "bad crc");
        awaitReleased(finished(run((short) 0, 5000)));
        pipeline.offerResult = OfferResult.BACK_PRESSURED;
        awaitReleased(finished(run((short) 1, 30)));
        pipeline.acceptAfter = pipeline.offers.get() + 2;
        pipeline.answer = AppendResult.success(0, -1, 0);
        awaitReleased(finished(run((short) 1, 5000)));
        pipeline.offerResult = OfferResult.CLOSED;
        pipeline.acceptAfter = Integer.MAX_VALUE;
        awaitReleased(finished(run((short) -1, 5000)));
    }

    private static TestContext finished(TestContext context) throws Exception {
        context.outcome.get(5, TimeUnit.SECONDS);
        return context;
    }

    /** A retry pending at the timeout releases its hold when it next runs, so wait a little. */
    private static void awaitReleased(TestContext context) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (context.openHolds.get() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(context.openHolds.get()).as("open frame holds").isZero();
        assertThat(context.doubleReleases.get()).as("holds released twice").isZero();
    }

    @Test
    void batchForAPartitionNotInTheTransactionIsTransactionAbortableFromV11AndInvalidTxnStateBefore() throws Exception {
        TransactionalWrites notAdded = (id, epoch, topic, partition) -> io.tributary.transactions.TxnError.TRANSACTION_ABORTABLE;

        short v11 = transactionalProduce((short) 11, notAdded, null);
        short v10 = transactionalProduce((short) 10, notAdded, null);
        short v12WithoutVersion2 = transactionalProduce((short) 12, notAdded, null);

        assertThat(v11).isEqualTo(Errors.TRANSACTION_ABORTABLE.code());
        assertThat(v10).isEqualTo(Errors.INVALID_TXN_STATE.code());
        assertThat(v12WithoutVersion2).isEqualTo(Errors.TRANSACTION_ABORTABLE.code());
        assertThat(pipeline.offers.get()).isZero();
    }

    @Test
    void produceV12AddsItsPartitionToTheTransactionBeforeWritingAndMapsFencing() throws Exception {
        pipeline.answer = AppendResult.success(0, -1, 0);
        TransactionalWrites notAdded = (id, epoch, topic, partition) -> io.tributary.transactions.TxnError.TRANSACTION_ABORTABLE;
        java.util.List<String> added = new java.util.concurrent.CopyOnWriteArrayList<>();
        ImplicitPartitions accepting = (id, producerId, epoch, partitions) -> {
            added.add(id + " " + producerId + "/" + epoch + " " + partitions);
            java.util.Map<io.tributary.transactions.TxnPartition, io.tributary.transactions.TxnError> result =
                    new java.util.HashMap<>();
            partitions.forEach(p -> result.put(p, io.tributary.transactions.TxnError.NONE));
            return java.util.concurrent.CompletableFuture.completedFuture(added(result));
        };
        ImplicitPartitions fencing = (id, producerId, epoch, partitions) -> java.util.concurrent.CompletableFuture
                .completedFuture(added(java.util.Map.of(partitions.iterator().next(),
                        io.tributary.transactions.TxnError.PRODUCER_FENCED)));

        short ok = transactionalProduce((short) 12, notAdded, accepting);
        short fenced = transactionalProduce((short) 12, notAdded, fencing);
        short v11 = transactionalProduce((short) 11, notAdded, accepting);

        assertThat(ok).isEqualTo(Errors.NONE.code());
        assertThat(added).containsExactly("tx 7/3 [TxnPartition[topic=t, partition=0]]");
        assertThat(fenced).isEqualTo(Errors.INVALID_PRODUCER_EPOCH.code());
        assertThat(v11).isEqualTo(Errors.TRANSACTION_ABORTABLE.code());
        assertThat(pipeline.offers.get()).isEqualTo(1);
    }

    @Test
    void laterProduceOfTheSameProducerWaitsForTheOneAddingItsPartition() throws Exception {
        // Given a Produce v12 whose partition the coordinator is still adding
        pipeline.answer = AppendResult.success(0, -1, 0);
        java.util.concurrent.atomic.AtomicReference<io.tributary.transactions.TxnError> verified =
                new java.util.concurrent.atomic.AtomicReference<>(io.tributary.transactions.TxnError.TRANSACTION_ABORTABLE);
        java.util.concurrent.CompletableFuture<PartitionsAdded> adding = new java.util.concurrent.CompletableFuture<>();
        ProduceHandler handler = new ProduceHandler(log, pipeline, (id, epoch, topic, partition) -> verified.get(),
                (id, producerId, epoch, partitions) -> adding);
        TestContext first = new TestContext(ApiKeys.PRODUCE, (short) 12, transactionalRequest(0), loop);
        loop.submit(() -> handler.handle(first)).get(5, TimeUnit.SECONDS);

        // When the next Produce of the producer finds the partition added already
        verified.set(io.tributary.transactions.TxnError.NONE);
        TestContext second = new TestContext(ApiKeys.PRODUCE, (short) 12, transactionalRequest(1), loop);
        loop.submit(() -> handler.handle(second)).get(5, TimeUnit.SECONDS);

        // Then it offers nothing until the first one has offered its batch
        assertThat(pipeline.offers.get()).isZero();
        adding.complete(added(java.util.Map.of(new io.tributary.transactions.TxnPartition("t", 0),
                io.tributary.transactions.TxnError.NONE)));
        assertThat(first.outcome.get(5, TimeUnit.SECONDS).response()).isNotNull();
        assertThat(second.outcome.get(5, TimeUnit.SECONDS).response()).isNotNull();
        assertThat(pipeline.offers.get()).isEqualTo(2);
        assertThat(pipeline.offeredSequences).containsExactly(0, 1);
    }

    @Test
    void aBatchWrittenAheadOfItsAddAnswersTheErrorOfStoringTheAdd() throws Exception {
        // Given a coordinator that put the add in the ring (the batch is written after it) but could not store it
        pipeline.answer = AppendResult.success(0, -1, 0);
        TransactionalWrites notAdded = (id, epoch, topic, partition) -> io.tributary.transactions.TxnError.TRANSACTION_ABORTABLE;
        ImplicitPartitions notStored = (id, producerId, epoch, partitions) -> java.util.concurrent.CompletableFuture
                .completedFuture(new PartitionsAdded(java.util.Map.of(partitions.iterator().next(),
                        io.tributary.transactions.TxnError.NONE), java.util.concurrent.CompletableFuture.completedFuture(
                        io.tributary.transactions.TxnError.COORDINATOR_NOT_AVAILABLE)));

        // When a Produce v12 adds its partition and its batch is appended
        short error = transactionalProduce((short) 12, notAdded, notStored);

        // Then the batch was offered right away, and the partition answers the store's error, not success
        assertThat(pipeline.offers.get()).isEqualTo(1);
        assertThat(error).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
    }

    /** An add answered with {@code errors}, its state stored. */
    private static PartitionsAdded added(java.util.Map<io.tributary.transactions.TxnPartition,
            io.tributary.transactions.TxnError> errors) {
        return new PartitionsAdded(errors, java.util.concurrent.CompletableFuture.completedFuture(
                io.tributary.transactions.TxnError.NONE));
    }

    private static ProduceRequestData transactionalRequest(int sequence) {
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName("t");
        data.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(MemoryRecords.withTransactionalRecords(Compression.NONE, 7L, (short) 3, sequence,
                        new SimpleRecord("v".getBytes()))));
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(5000)
                .setTransactionalId("tx");
        request.topicData().add(data);
        return request;
    }

    /** A transactional batch of producer 7 epoch 3 to t-0 at {@code version}; the partition's error code. */
    private short transactionalProduce(short version, TransactionalWrites writes, ImplicitPartitions implicit)
            throws Exception {
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName("t");
        data.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(MemoryRecords.withTransactionalRecords(Compression.NONE, 7L, (short) 3, 0,
                        new SimpleRecord("v".getBytes()))));
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(5000)
                .setTransactionalId("tx");
        request.topicData().add(data);
        TestContext context = new TestContext(ApiKeys.PRODUCE, version, request, loop);
        loop.execute(() -> new ProduceHandler(log, pipeline, writes, implicit).handle(context));
        ProduceResponseData response = (ProduceResponseData) context.outcome.get(5, TimeUnit.SECONDS).response();
        return response.responses().iterator().next().partitionResponses().get(0).errorCode();
    }

    private ProduceResponseData.PartitionProduceResponse produce(short acks, int timeoutMs) throws Exception {
        ProduceResponseData response = (ProduceResponseData) run(acks, timeoutMs).outcome.get(5, TimeUnit.SECONDS).response();
        return response.responses().iterator().next().partitionResponses().get(0);
    }

    private TestContext run(short acks, int timeoutMs) throws Exception {
        TestContext context = new TestContext(ApiKeys.PRODUCE, (short) 11, request(acks, timeoutMs, "t"), loop);
        loop.execute(() -> new ProduceHandler(log, pipeline, (id, epoch, topic, partition) -> io.tributary.transactions.TxnError.INVALID_TXN_STATE).handle(context));
        return context;
    }

    private static ProduceRequestData request(short acks, int timeoutMs, String topic) {
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName(topic);
        data.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes()))));
        ProduceRequestData request = new ProduceRequestData().setAcks(acks).setTimeoutMs(timeoutMs);
        request.topicData().add(data);
        return request;
    }

    /** Answers offers as told; the callback runs on another thread, like the commit stage. */
    private static final class ScriptedPipeline implements IngestPipeline {
        volatile OfferResult offerResult = OfferResult.ACCEPTED;
        volatile int acceptAfter = Integer.MAX_VALUE;
        volatile AppendResult answer;
        volatile boolean holdCallbacks;
        final AtomicInteger offers = new AtomicInteger();
        final java.util.List<Integer> offeredSequences = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.util.List<Runnable> held = new java.util.concurrent.CopyOnWriteArrayList<>();

        void completeHeld() {
            held.forEach(Runnable::run);
            held.clear();
        }

        volatile io.tributary.pipeline.Durability lastDurability;

        @Override
        public OfferResult offer(PartitionLog partition, ByteBuffer batches, io.tributary.pipeline.Durability durability,
                                 AppendCallback callback) {
            lastDurability = durability;
            offeredSequences.add(batches.getInt(batches.position() + 53));
            int n = offers.incrementAndGet();
            OfferResult result = n > acceptAfter ? OfferResult.ACCEPTED : offerResult;
            if (result == OfferResult.ACCEPTED) {
                AppendResult value = answer;
                if (holdCallbacks) {
                    held.add(() -> callback.onComplete(value));
                } else {
                    new Thread(() -> callback.onComplete(value), "fake-commit").start();
                }
            }
            return result;
        }

        @Override
        public OfferResult offerMarker(PartitionLog partition, long producerId, short producerEpoch,
                                       io.tributary.pipeline.MarkerType type, int coordinatorEpoch,
                                       io.tributary.pipeline.Durability durability, AppendCallback callback) {
            throw new UnsupportedOperationException("no markers in these tests");
        }

        @Override
        public io.tributary.pipeline.TransactionView transactions(PartitionLog partition) {
            throw new UnsupportedOperationException("no transactions in these tests");
        }

        @Override
        public void addCommitListener(CommitListener listener) {
        }

        @Override
        public ProducerIdAllocator producerIds() {
            return () -> 1L;
        }

        @Override
        public void close() {
        }
    }
}
