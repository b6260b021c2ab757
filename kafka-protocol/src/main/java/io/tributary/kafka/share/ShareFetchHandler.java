package io.tributary.kafka.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.share.ShareEngine;
import io.tributary.delivery.share.ShareError;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.FetchPurgatory;
import io.tributary.kafka.api.Topics;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;
import io.tributary.log.Topic;
import io.tributary.pipeline.TransactionView;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * ShareFetch (KIP-932, v1-2): first the piggy-backed acknowledgements, then the share session (epoch 0
 * opens it, -1 closes it and releases the member's records, others name only added and forgotten
 * partitions), then acquisition with long poll ({@link ShareFetchOperation}), beside the durable write of the
 * acknowledged state (the answer waits for that write), for a member whose client id carries a message selector
 * ({@link MemberSelectors}) only of the records it selects. A request with
 * {@code IsRenewAck} only renews, as Kafka does (KIP-1222), and acquires nothing.
 *
 * <p>Topics the principal may not READ ({@link RequestContext#mayReadTopic}, asked on every request as Kafka does,
 * so a revoked ACL takes effect within a session): their acknowledgements are not applied and answered
 * TOPIC_AUTHORIZATION_FAILED, their partitions stay in the session and each fetch answers them
 * TOPIC_AUTHORIZATION_FAILED beside what it serves of the others. As in Kafka, a partition's malformed
 * acknowledgement batches ({@link Acknowledgements#wellFormed(List)}) are answered INVALID_REQUEST before its
 * topic's ACLs or partitions are looked at, and none of them is applied; its fetch is served as any other.
 */
public final class ShareFetchHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ShareFetchHandler.class);

    private final ShareEngine engine;
    private final LogManager log;
    private final ShareSessions sessions;
    private final FetchPurgatory purgatory;
    private final Executor reads;
    private final Function<PartitionLog, TransactionView> transactions;
    private final MemberSelectors selectors = new MemberSelectors();

    ShareFetchHandler(ShareEngine engine, LogManager log, ShareSessions sessions, FetchPurgatory purgatory,
                      Executor reads, Function<PartitionLog, TransactionView> transactions) {
        this.engine = engine;
        this.transactions = transactions;
        this.log = log;
        this.sessions = sessions;
        this.purgatory = purgatory;
        this.reads = reads;
    }

    @Override
    public void handle(RequestContext context) {
        ShareFetchRequestData request = (ShareFetchRequestData) context.request().body();
        String group = request.groupId();
        String member = request.memberId();
        int epoch = request.shareSessionEpoch();
        boolean hasAcks = request.topics().stream()
                .anyMatch(t -> t.partitions().stream().anyMatch(p -> !p.acknowledgementBatches().isEmpty()));
        if (group == null || group.isEmpty() || member == null || member.isEmpty()
                || epoch == ShareSessions.INITIAL_EPOCH && hasAcks) {
            respondError(context, Errors.INVALID_REQUEST, "ShareFetch needs a group and member id, and an initial"
                    + " request (session epoch 0) carries no acknowledgements");
            return;
        }
        MemberSelectors.MemberSelector selector;
        try {
            selector = selectors.of(context.request().header().clientId());
        } catch (IllegalArgumentException e) {
            // such a member never acquired anything; its closing request still closes its session
            if (epoch != ShareSessions.FINAL_EPOCH) {
                respondError(context, Errors.INVALID_REQUEST, e.getMessage());
                return;
            }
            selector = null;
        }
        Errors sessionError = sessions.check(group, member, epoch);
        if (sessionError != Errors.NONE) {
            respondError(context, sessionError, "Share session epoch " + epoch + " of member " + member);
            return;
        }
        if (epoch != ShareSessions.FINAL_EPOCH && engine.checkMember(group, member) != ShareError.NONE) {
            respondError(context, Errors.UNKNOWN_MEMBER_ID, "Member " + member + " is not in share group " + group);
            return;
        }
        Map<ShareSessions.SessionPartition, ShareFetchResponseData.PartitionData> answers = new LinkedHashMap<>();
        List<ShareSessions.SessionPartition> added = new ArrayList<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (ShareFetchRequestData.FetchTopic fetchTopic : request.topics()) {
            Topic topic = Topics.byId(log, fetchTopic.topicId()).orElse(null);
            for (ShareFetchRequestData.FetchPartition p : fetchTopic.partitions()) {
                ShareSessions.SessionPartition sp = new ShareSessions.SessionPartition(fetchTopic.topicId(),
                        p.partitionIndex());
                added.add(sp);
                ShareFetchResponseData.PartitionData data = ShareFetchOperation.emptyPartition(p.partitionIndex());
                answers.put(sp, data);
                acknowledge(context, group, member, topic, p, data, writes);
            }
        }
        List<ShareSessions.SessionPartition> forgotten = new ArrayList<>();
        for (ShareFetchRequestData.ForgottenTopic t : request.forgottenTopicsData()) {
            t.partitions().forEach(p -> forgotten.add(new ShareSessions.SessionPartition(t.topicId(), p)));
        }
        ShareSessions.Update update = sessions.update(group, member, epoch, added, forgotten);
        if (update.error() != Errors.NONE) {
            respondError(context, update.error(), "Share session epoch " + epoch + " of member " + member);
            return;
        }
        if (epoch == ShareSessions.FINAL_EPOCH) {
            engine.releaseMember(group, member);
        }
        List<ShareSessions.SessionPartition> toFetch = epoch == ShareSessions.FINAL_EPOCH || request.isRenewAck()
                ? List.of() : update.partitions();
        // acquisition runs beside the acknowledgements' durable write (it sees them applied in memory already);
        // the answer waits for both
        CompletableFuture<Void> durable = writes.isEmpty() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
        new ShareFetchOperation(context, request, engine, log, purgatory, reads, answers, durable, toFetch,
                transactions, selector).run();
    }

    /**
     * Answers (and, when nothing refuses them, applies) the piggy-backed acknowledgements of one fetched partition,
     * refused in Kafka's order: a topic id of no topic, malformed batches, a topic the principal may not READ
     * (whose partition stays in the session, as in Kafka, and is answered refused by every fetch that serves it),
     * a partition the topic lacks. Sets the partition's fetch error when its topic id or index names nothing.
     */
    private void acknowledge(RequestContext context, String group, String member, Topic topic,
                             ShareFetchRequestData.FetchPartition p, ShareFetchResponseData.PartitionData data,
                             List<CompletableFuture<Void>> writes) {
        List<Acknowledgements.Batch> batches = new ArrayList<>();
        p.acknowledgementBatches().forEach(b -> batches.add(
                new Acknowledgements.Batch(b.firstOffset(), b.lastOffset(), b.acknowledgeTypes())));
        boolean readable = topic != null && context.mayReadTopic(topic.name());
        boolean noPartition = topic != null && (p.partitionIndex() < 0 || p.partitionIndex() >= topic.partitionCount());
        if (topic == null || readable && noPartition) {
            data.setErrorCode((topic == null ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
        }
        if (batches.isEmpty()) {
            return;
        }
        Errors refusal = topic == null ? Errors.UNKNOWN_TOPIC_ID
                : !Acknowledgements.wellFormed(group, member, new TopicPartition(topic.name(), p.partitionIndex()),
                        batches) ? Errors.INVALID_REQUEST
                : !readable ? Errors.TOPIC_AUTHORIZATION_FAILED
                : noPartition ? Errors.UNKNOWN_TOPIC_OR_PARTITION
                : Errors.NONE;
        if (refusal != Errors.NONE) {
            data.setAcknowledgeErrorCode(refusal.code());
            return;
        }
        Acknowledgements.Outcome outcome = Acknowledgements.apply(engine, group, member,
                new TopicPartition(topic.name(), p.partitionIndex()), batches);
        data.setAcknowledgeErrorCode(outcome.error().code());
        writes.add(outcome.durable().whenComplete((v, failure) -> data.setAcknowledgeErrorCode(
                Acknowledgements.afterWrite(outcome.error(), failure).code())));
    }

    private void respondError(RequestContext context, Errors error, String message) {
        ShareFetchRequestData request = (ShareFetchRequestData) context.request().body();
        String group = request.groupId();
        LOG.info("Share group {} member {}: ShareFetch refused: {} ({})", group, request.memberId(), error.name(),
                message);
        context.respond(new ShareFetchResponseData().setErrorCode(error.code()).setErrorMessage(message)
                .setAcquisitionLockTimeoutMs(engine.recordLockDurationMs(group)));
    }
}
