package io.tributary.kafka.group;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.BrokerEndpoint;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;

/**
 * FindCoordinator: this node coordinates every group (key type 0) and every transactional id (key
 * type 1). The share coordinator (key type 2) does not exist yet: INVALID_REQUEST with a message
 * saying so, since a retriable COORDINATOR_NOT_AVAILABLE would make a client retry until it times
 * out without saying why. Versions 0-3 ask for one key, 4+ for a batch.
 */
public final class FindCoordinatorHandler implements ApiHandler {
    private static final byte GROUP_KEY_TYPE = 0;
    private static final byte TRANSACTION_KEY_TYPE = 1;

    private final BrokerEndpoint self;

    public FindCoordinatorHandler(BrokerEndpoint self) {
        this.self = self;
    }

    @Override
    public void handle(RequestContext context) {
        FindCoordinatorRequestData request = (FindCoordinatorRequestData) context.request().body();
        boolean group = request.keyType() == GROUP_KEY_TYPE || request.keyType() == TRANSACTION_KEY_TYPE;
        Errors error = group ? Errors.NONE : Errors.INVALID_REQUEST;
        String message = group ? null
                : "Tributary has no share-group coordinator yet; only consumer groups (key type 0) and"
                  + " transactional ids (key type 1) are coordinated";
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (context.request().apiVersion() < 4) {
            response.setErrorCode(error.code()).setErrorMessage(message)
                    .setNodeId(group ? self.nodeId() : -1).setHost(group ? self.host() : "").setPort(group ? self.port() : -1);
        } else {
            List<String> keys = request.coordinatorKeys();
            for (String key : keys) {
                response.coordinators().add(new FindCoordinatorResponseData.Coordinator().setKey(key)
                        .setErrorCode(error.code()).setErrorMessage(message)
                        .setNodeId(group ? self.nodeId() : -1).setHost(group ? self.host() : "")
                        .setPort(group ? self.port() : -1));
            }
        }
        context.respond(response);
    }
}
