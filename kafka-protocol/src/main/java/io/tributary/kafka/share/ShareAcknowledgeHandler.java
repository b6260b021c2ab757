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

import java.util.ArrayList;
import java.util.List;

/**
 * ShareAcknowledge (KIP-932, v1-2): acknowledgements without a fetch, within an open share session
 * (epoch 0 cannot open one: INVALID_SHARE_SESSION_EPOCH). Epoch -1 closes the session after applying
 * them, and releases every record the member still holds, which is what a consumer's close() relies on.
 */
public final class ShareAcknowledgeHandler implements ApiHandler {
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
            context.respond(new ShareAcknowledgeResponseData().setErrorCode(error.code())
                    .setErrorMessage("Share session epoch " + epoch + " of member " + member)
                    .setAcquisitionLockTimeoutMs(engine.config().recordLockDurationMs()));
            return;
        }
        ShareAcknowledgeResponseData response = new ShareAcknowledgeResponseData()
                .setAcquisitionLockTimeoutMs(engine.config().recordLockDurationMs());
        for (ShareAcknowledgeRequestData.AcknowledgeTopic ackTopic : request.topics()) {
            Topic topic = Topics.byId(log, ackTopic.topicId()).orElse(null);
            ShareAcknowledgeResponseData.ShareAcknowledgeTopicResponse topicResponse =
                    new ShareAcknowledgeResponseData.ShareAcknowledgeTopicResponse().setTopicId(ackTopic.topicId());
            for (ShareAcknowledgeRequestData.AcknowledgePartition p : ackTopic.partitions()) {
                Errors ackError;
                if (topic == null) {
                    ackError = Errors.UNKNOWN_TOPIC_ID;
                } else if (p.partitionIndex() < 0 || p.partitionIndex() >= topic.partitionCount()) {
                    ackError = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                } else {
                    List<Acknowledgements.Batch> batches = new ArrayList<>();
                    p.acknowledgementBatches().forEach(b -> batches.add(
                            new Acknowledgements.Batch(b.firstOffset(), b.lastOffset(), b.acknowledgeTypes())));
                    ackError = Acknowledgements.apply(engine, group, member,
                            new TopicPartition(topic.name(), p.partitionIndex()), batches);
                }
                topicResponse.partitions().add(new ShareAcknowledgeResponseData.PartitionData()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(ackError.code()));
            }
            response.responses().add(topicResponse);
        }
        sessions.update(group, member, epoch, List.of(), List.of());
        if (epoch == ShareSessions.FINAL_EPOCH) {
            engine.releaseMember(group, member);
        }
        context.respond(response);
    }
}
