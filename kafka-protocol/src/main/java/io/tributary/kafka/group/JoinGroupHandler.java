package io.tributary.kafka.group;

import io.tributary.delivery.group.ClassicProtocol;
import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.group.JoinGroupRequest;
import io.tributary.delivery.group.JoinGroupResult;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * JoinGroup (classic protocol). The answer comes when the join phase of the rebalance ends. From
 * v4 a first join without member id gets MEMBER_ID_REQUIRED (KIP-394); before v1 the rebalance
 * timeout is the session timeout.
 */
public final class JoinGroupHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public JoinGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context) {
        JoinGroupRequestData request = (JoinGroupRequestData) context.request().body();
        short version = context.request().apiVersion();
        List<ClassicProtocol> protocols = new ArrayList<>();
        request.protocols().forEach(p -> protocols.add(new ClassicProtocol(p.name(), p.metadata())));
        int rebalanceTimeout = version >= 1 ? request.rebalanceTimeoutMs() : request.sessionTimeoutMs();
        JoinGroupRequest join = new JoinGroupRequest(request.groupId(), request.memberId(), request.groupInstanceId(),
                request.protocolType(), protocols, request.sessionTimeoutMs(), rebalanceTimeout,
                context.request().header().clientId(), host(context), version >= 4);
        coordinator.joinGroup(join).whenComplete((result, failure) -> {
            if (failure != null) {
                context.respond(new JoinGroupResponseData().setErrorCode(Errors.forException(failure).code())
                        .setGenerationId(-1).setProtocolName(version >= 7 ? null : "").setLeader("")
                        .setMemberId(request.memberId()));
            } else {
                context.respond(response(result, version));
            }
        });
    }

    private static JoinGroupResponseData response(JoinGroupResult result, short version) {
        JoinGroupResponseData response = new JoinGroupResponseData()
                .setErrorCode(GroupErrors.code(result.error()))
                .setGenerationId(result.generationId())
                .setProtocolType(result.protocolType())
                .setProtocolName(result.protocolName() == null && version < 7 ? "" : result.protocolName())
                .setLeader(result.leaderId() == null ? "" : result.leaderId())
                .setSkipAssignment(version >= 9 && result.skipAssignment())
                .setMemberId(result.memberId() == null ? "" : result.memberId());
        for (JoinGroupResult.JoinedMember member : result.members()) {
            response.members().add(new JoinGroupResponseData.JoinGroupResponseMember().setMemberId(member.memberId())
                    .setGroupInstanceId(member.groupInstanceId()).setMetadata(member.metadata()));
        }
        return response;
    }

    static String host(RequestContext context) {
        return context.remoteAddress() instanceof InetSocketAddress address
                ? "/" + address.getAddress().getHostAddress() : String.valueOf(context.remoteAddress());
    }
}
