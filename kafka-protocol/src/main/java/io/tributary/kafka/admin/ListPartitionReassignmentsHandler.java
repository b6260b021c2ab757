package io.tributary.kafka.admin;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * ListPartitionReassignments (v0). A partition's one replica never moves, so no reassignment is ever
 * in progress: the answer lists none, for the partitions asked about or for all, whether they exist
 * or not, as Kafka answers when none is ongoing.
 */
final class ListPartitionReassignmentsHandler implements ApiHandler {
    @Override
    public void handle(RequestContext context) {
        context.respond(new ListPartitionReassignmentsResponseData().setErrorCode(Errors.NONE.code()));
    }
}
