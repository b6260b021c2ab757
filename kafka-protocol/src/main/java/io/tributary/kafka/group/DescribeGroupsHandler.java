package io.tributary.kafka.group;

import io.tributary.delivery.group.ClassicGroupDescription;
import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.group.GroupError;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.api.OperationBits;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;

/**
 * DescribeGroups (classic groups). An unknown group is reported Dead with no error before v6 and
 * GROUP_ID_NOT_FOUND from v6, as Kafka does; a consumer-protocol group is GROUP_ID_NOT_FOUND (use
 * ConsumerGroupDescribe).
 */
public final class DescribeGroupsHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public DescribeGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void handle(RequestContext context) {
        DescribeGroupsRequestData request = (DescribeGroupsRequestData) context.request().body();
        short version = context.request().apiVersion();
        DescribeGroupsResponseData response = new DescribeGroupsResponseData();
        for (String groupId : request.groups()) {
            ClassicGroupDescription description = coordinator.describeClassicGroup(groupId);
            DescribeGroupsResponseData.DescribedGroup group = new DescribeGroupsResponseData.DescribedGroup()
                    .setGroupId(groupId).setGroupState(description.state().displayName())
                    .setProtocolType(description.protocolType()).setProtocolData(description.protocolName());
            GroupError error = description.error();
            boolean unknown = error == GroupError.NONE && description.state() == io.tributary.delivery.group.GroupState.DEAD;
            if (unknown && version >= 6) {
                error = GroupError.GROUP_ID_NOT_FOUND;
            }
            if (error != GroupError.NONE && version < 6) {
                error = GroupError.NONE;
                group.setGroupState("Dead").setProtocolType("").setProtocolData("");
            } else if (error != GroupError.NONE) {
                group.setErrorMessage("Group " + groupId + " is not a classic group or does not exist");
            }
            group.setErrorCode(GroupErrors.code(error));
            if (error == GroupError.NONE && request.includeAuthorizedOperations()) {
                group.setAuthorizedOperations(OperationBits.ALL_GROUP);
            }
            for (ClassicGroupDescription.Member member : description.members()) {
                group.members().add(new DescribeGroupsResponseData.DescribedGroupMember()
                        .setMemberId(member.memberId()).setGroupInstanceId(member.groupInstanceId())
                        .setClientId(member.clientId() == null ? "" : member.clientId())
                        .setClientHost(member.clientHost() == null ? "" : member.clientHost())
                        .setMemberMetadata(member.metadata()).setMemberAssignment(member.assignment()));
            }
            response.groups().add(group);
        }
        context.respond(response);
    }
}
