package io.tributary.kafka.security;

import io.tributary.kafka.half.EndHalfRequest;
import io.tributary.kafka.half.PollCheckRequest;
import io.tributary.kafka.half.SendHalfRequest;
import io.tributary.security.acl.Operation;
import org.apache.kafka.common.protocol.ApiMessage;

import java.util.List;

/**
 * What Tributary's extension APIs ask of the authorizer, after the Kafka transaction APIs they resemble: the
 * producer group is authorized as a transactional id (WRITE, as InitProducerId and EndTxn ask), and SendHalf
 * also needs WRITE on its target topic, as Produce does. A body that could not be read passes to its handler,
 * which answers it with its error; an extension unknown here is refused unless the principal may ALTER the
 * cluster, as in {@link ApiRules}.
 */
final class ExtensionRules {
    private ExtensionRules() {
    }

    static void check(Access access, ApiMessage request) {
        if (request instanceof SendHalfRequest send) {
            access.requireTransactionalId(Operation.WRITE, send.producerGroup);
            access.requireTopics(Operation.WRITE, List.of(send.topic));
        } else if (request instanceof EndHalfRequest end) {
            access.requireTransactionalId(Operation.WRITE, end.producerGroup);
        } else if (request instanceof PollCheckRequest poll) {
            access.requireTransactionalId(Operation.WRITE, poll.producerGroup);
        } else if (!(request instanceof io.tributary.kafka.half.MalformedRequest)) {
            access.requireCluster(Operation.ALTER);
        }
    }
}
