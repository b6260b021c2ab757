package io.tributary.kafka.admin;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.BrokerEndpoint;
import io.tributary.kafka.api.OperationBits;
import io.tributary.kafka.network.RequestContext;
import io.tributary.spi.BrokerSettings;
import org.apache.kafka.clients.admin.EndpointType;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.Errors;


/**
 * DescribeCluster (v0-2), on the event loop: the cluster id, this node as the only broker (never
 * fenced, no rack) and as the controller id (a KRaft broker names a live broker there, since
 * clients cannot reach controllers). This listener is a broker endpoint: asking it for controllers
 * is MISMATCHED_ENDPOINT_TYPE (INVALID_REQUEST at v0), an unknown endpoint type
 * UNSUPPORTED_ENDPOINT_TYPE, as Kafka answers. With no authorizer every cluster operation is
 * allowed, so {@code includeClusterAuthorizedOperations} gets all of them.
 */
final class DescribeClusterHandler implements ApiHandler {
    private final BrokerSettings settings;
    private final BrokerEndpoint self;

    DescribeClusterHandler(BrokerSettings settings, BrokerEndpoint self) {
        this.settings = settings;
        this.self = self;
    }

    @Override
    public void handle(RequestContext context) {
        DescribeClusterRequestData request = (DescribeClusterRequestData) context.request().body();
        short version = context.request().apiVersion();
        EndpointType wanted = EndpointType.fromId(request.endpointType());
        DescribeClusterResponseData response = new DescribeClusterResponseData();
        if (wanted == EndpointType.UNKNOWN) {
            response.setErrorCode((version == 0 ? Errors.INVALID_REQUEST : Errors.UNSUPPORTED_ENDPOINT_TYPE).code())
                    .setErrorMessage("Unsupported endpoint type " + request.endpointType());
        } else if (wanted != EndpointType.BROKER) {
            response.setErrorCode((version == 0 ? Errors.INVALID_REQUEST : Errors.MISMATCHED_ENDPOINT_TYPE).code())
                    .setErrorMessage("The request was sent to an endpoint of type " + EndpointType.BROKER
                            + ", but we wanted an endpoint of type " + wanted);
        } else {
            response.setClusterId(settings.clusterId()).setControllerId(self.nodeId())
                    .setClusterAuthorizedOperations(request.includeClusterAuthorizedOperations()
                            ? OperationBits.ALL_CLUSTER : OperationBits.NOT_ASKED);
            response.brokers().add(new DescribeClusterBroker().setBrokerId(self.nodeId()).setHost(self.host())
                    .setPort(self.port()).setRack(null));
        }
        if (version >= 1) {
            response.setEndpointType(EndpointType.BROKER.id());
        }
        context.respond(response);
    }
}
