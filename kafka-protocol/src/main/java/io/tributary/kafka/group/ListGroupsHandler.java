package io.tributary.kafka.group;

import io.tributary.delivery.group.GroupCoordinator;
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
    private final GroupCoordinator coordinator;

    public ListGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
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
        context.respond(response);
    }
}
