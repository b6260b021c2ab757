package io.tributary.kafka.admin;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.BrokerEndpoint;
import io.tributary.kafka.network.RequestContext;
import io.tributary.spi.BrokerSettings;
import org.apache.kafka.clients.admin.EndpointType;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;

import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * DescribeCluster (v0-2), on the event loop: the cluster id, this node as the only broker (never
 * fenced, no rack) and as the controller id (a KRaft broker names a live broker there, since
 * clients cannot reach controllers). This listener is a broker endpoint: asking it for controllers
 * is MISMATCHED_ENDPOINT_TYPE (INVALID_REQUEST at v0), an unknown endpoint type
 * UNSUPPORTED_ENDPOINT_TYPE, as Kafka answers. With no authorizer every cluster operation is
 * allowed, so {@code includeClusterAuthorizedOperations} gets all of them.
 */
final class DescribeClusterHandler implements ApiHandler {
    /** The cluster operations Kafka lists for an unrestricted principal. */
    private static final int ALL_CLUSTER_OPERATIONS = Utils.to32BitField(Stream.of(AclOperation.ALTER,
                    AclOperation.ALTER_CONFIGS, AclOperation.CLUSTER_ACTION, AclOperation.CREATE, AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS, AclOperation.IDEMPOTENT_WRITE)
            .map(AclOperation::code).collect(Collectors.<Byte>toSet()));

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
                            ? ALL_CLUSTER_OPERATIONS : Integer.MIN_VALUE);
            response.brokers().add(new DescribeClusterBroker().setBrokerId(self.nodeId()).setHost(self.host())
                    .setPort(self.port()).setRack(null));
        }
        if (version >= 1) {
            response.setEndpointType(EndpointType.BROKER.id());
        }
        context.respond(response);
    }
}
