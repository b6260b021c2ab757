package io.tributary.kafka.share;

import io.tributary.delivery.TopicPartition;
import io.tributary.delivery.share.ShareEngine;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.Topics;
import io.tributary.kafka.network.RequestContext;
import io.tributary.log.LogManager;
import io.tributary.log.Topic;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * ShareAcknowledge (KIP-932, v1-2): acknowledgements without a fetch, within an open share session
 * (epoch 0 cannot open one: INVALID_SHARE_SESSION_EPOCH). Epoch -1 closes the session after applying
 * them, and releases every record the member still holds, which is what a consumer's close() relies on.
 * Each partition's acknowledgements are answered as Kafka answers them, checked in its order: a topic id of no
 * topic UNKNOWN_TOPIC_ID, malformed batches ({@link Acknowledgements#wellFormed(List)}) INVALID_REQUEST, a
 * topic the principal may not READ ({@link RequestContext#mayReadTopic}) TOPIC_AUTHORIZATION_FAILED, a partition
 * the topic lacks UNKNOWN_TOPIC_OR_PARTITION; only then are they applied.
 */
public final class ShareAcknowledgeHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ShareAcknowledgeHandler.class);

    private final ShareEngine engine;
    private final LogManager log;
    private final ShareSessions sessions;

    ShareAcknowledgeHandler(ShareEngine engine, LogManager log, ShareSessions sessions) {
        this.engine = engine;
        this.log = log;
        this.sessions = sessions;
    }

    @Override
    public void handle(RequestContext context) {
        ShareAcknowledgeRequestData request = (ShareAcknowledgeRequestData) context.request().body();
        String group = request.groupId();
        String member = request.memberId();
        int epoch = request.shareSessionEpoch();
        Errors error = epoch == ShareSessions.INITIAL_EPOCH ? Errors.INVALID_SHARE_SESSION_EPOCH
                : sessions.check(group, member, epoch);
        if (error != Errors.NONE) {
            LOG.info("Share group {} member {}: ShareAcknowledge refused: {} (share session epoch {})", group, member,
                    error.name(), epoch);
            context.respond(new ShareAcknowledgeResponseData().setErrorCode(error.code())
                    .setErrorMessage("Share session epoch " + epoch + " of member " + member)
                    .setAcquisitionLockTimeoutMs(engine.recordLockDurationMs(group)));
            return;
        }
        ShareAcknowledgeResponseData response = new ShareAcknowledgeResponseData()
                .setAcquisitionLockTimeoutMs(engine.recordLockDurationMs(group));
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (ShareAcknowledgeRequestData.AcknowledgeTopic ackTopic : request.topics()) {
            Topic topic = Topics.byId(log, ackTopic.topicId()).orElse(null);
            ShareAcknowledgeResponseData.ShareAcknowledgeTopicResponse topicResponse =
                    new ShareAcknowledgeResponseData.ShareAcknowledgeTopicResponse().setTopicId(ackTopic.topicId());
            for (ShareAcknowledgeRequestData.AcknowledgePartition p : ackTopic.partitions()) {
                ShareAcknowledgeResponseData.PartitionData data = new ShareAcknowledgeResponseData.PartitionData()
                        .setPartitionIndex(p.partitionIndex());
                topicResponse.partitions().add(data);
                List<Acknowledgements.Batch> batches = new ArrayList<>();
                p.acknowledgementBatches().forEach(b -> batches.add(
                        new Acknowledgements.Batch(b.firstOffset(), b.lastOffset(), b.acknowledgeTypes())));
                if (topic == null) {
                    data.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code());
                } else if (!Acknowledgements.wellFormed(group, member,
                        new TopicPartition(topic.name(), p.partitionIndex()), batches)) {
                    data.setErrorCode(Errors.INVALID_REQUEST.code());
                } else if (!context.mayReadTopic(topic.name())) {
                    data.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                } else if (p.partitionIndex() < 0 || p.partitionIndex() >= topic.partitionCount()) {
                    data.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else {
                    Acknowledgements.Outcome outcome = Acknowledgements.apply(engine, group, member,
                            new TopicPartition(topic.name(), p.partitionIndex()), batches);
                    data.setErrorCode(outcome.error().code());
                    writes.add(outcome.durable().whenComplete((v, failure) -> data.setErrorCode(
                            Acknowledgements.afterWrite(outcome.error(), failure).code())));
                }
            }
            response.responses().add(topicResponse);
        }
        sessions.update(group, member, epoch, List.of(), List.of());
        if (epoch == ShareSessions.FINAL_EPOCH) {
            engine.releaseMember(group, member);
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                .whenComplete((v, failure) -> context.respond(response));
    }
}
