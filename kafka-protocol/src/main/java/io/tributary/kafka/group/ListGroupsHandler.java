package io.tributary.kafka.group;

import io.tributary.delivery.group.GroupCoordinator;
import io.tributary.delivery.share.ShareEngine;
import io.tributary.delivery.share.ShareGroupDescription;
import io.tributary.delivery.group.GroupListing;
import io.tributary.delivery.group.GroupState;
import io.tributary.delivery.group.GroupType;
import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;

import java.util.EnumSet;
import java.util.Set;

/** ListGroups, with the state filter (v4+) and type filter (v5+), both case-insensitive as in Kafka. */
public final class ListGroupsHandler implements ApiHandler {
    private static final String SHARE_TYPE = "share";

    private final GroupCoordinator coordinator;
    private final ShareEngine shares;

    public ListGroupsHandler(GroupCoordinator coordinator) {
        this(coordinator, null);
    }

    /** Lists the share groups of {@code shares} too, with type {@code share}. */
    public ListGroupsHandler(GroupCoordinator coordinator, ShareEngine shares) {
        this.coordinator = coordinator;
        this.shares = shares;
    }

    @Override
    public void handle(RequestContext context) {
        ListGroupsRequestData request = (ListGroupsRequestData) context.request().body();
        Set<GroupState> states = EnumSet.noneOf(GroupState.class);
        for (String name : request.statesFilter()) {
            for (GroupState state : GroupState.values()) {
                if (state.displayName().equalsIgnoreCase(name)) {
                    states.add(state);
                }
            }
        }
        Set<GroupType> types = EnumSet.noneOf(GroupType.class);
        for (String name : request.typesFilter()) {
            for (GroupType type : GroupType.values()) {
                if (type.displayName().equalsIgnoreCase(name)) {
                    types.add(type);
                }
            }
        }
        ListGroupsResponseData response = new ListGroupsResponseData();
        boolean filteredOut = (!request.statesFilter().isEmpty() && states.isEmpty())
                || (!request.typesFilter().isEmpty() && types.isEmpty());
        if (!filteredOut) {
            for (GroupListing listing : coordinator.listGroups(states, types)) {
                response.groups().add(new ListGroupsResponseData.ListedGroup().setGroupId(listing.groupId())
                        .setProtocolType(listing.protocolType()).setGroupState(listing.state().displayName())
                        .setGroupType(listing.type().displayName()));
            }
        }
        if (shares != null && (request.typesFilter().isEmpty()
                || request.typesFilter().stream().anyMatch(SHARE_TYPE::equalsIgnoreCase))) {
            for (String groupId : shares.groupIds()) {
                ShareGroupDescription group = shares.describe(groupId);
                if (group != null && (request.statesFilter().isEmpty()
                        || request.statesFilter().stream().anyMatch(group.state()::equalsIgnoreCase))) {
                    response.groups().add(new ListGroupsResponseData.ListedGroup().setGroupId(groupId)
                            .setProtocolType(SHARE_TYPE).setGroupState(group.state()).setGroupType(SHARE_TYPE));
                }
            }
        }
        context.respond(response);
    }
}
