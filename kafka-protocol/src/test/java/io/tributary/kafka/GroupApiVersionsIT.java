package io.tributary.kafka;

import io.tributary.kafka.api.SupportedApis;
import io.tributary.kafka.group.GroupRequestSamples;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every accepted version of every group API over a real socket, answered in a form kafka-clients'
 * own parser reads exactly; so old clients (kafkajs speaks JoinGroup up to v5) get valid answers.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GroupApiVersionsIT {
    private static final List<ApiKeys> GROUP_APIS = List.of(ApiKeys.FIND_COORDINATOR, ApiKeys.JOIN_GROUP,
            ApiKeys.SYNC_GROUP, ApiKeys.HEARTBEAT, ApiKeys.LEAVE_GROUP, ApiKeys.OFFSET_COMMIT, ApiKeys.OFFSET_FETCH,
            ApiKeys.OFFSET_DELETE, ApiKeys.LIST_GROUPS, ApiKeys.DESCRIBE_GROUPS, ApiKeys.DELETE_GROUPS,
            ApiKeys.CONSUMER_GROUP_HEARTBEAT, ApiKeys.CONSUMER_GROUP_DESCRIBE);

    @TempDir
    static Path dir;
    static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(dir);
        broker.log().createTopic("t", 1, java.util.Map.of());
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyVersionOfEveryGroupApiIsAnsweredParseably() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            for (ApiKeys key : GROUP_APIS) {
                assertThat(SupportedApis.isSupported(key)).as("%s advertised", key).isTrue();
                for (short v = SupportedApis.minVersion(key); v <= SupportedApis.maxVersion(key); v++) {
                    if (!SupportedApis.accepts(key, v)) {
                        continue;
                    }
                    ApiMessage request = GroupRequestSamples.sample(key, v);
                    if (request instanceof JoinGroupRequestData join) {
                        join.setGroupId("join-v" + v);
                    }
                    ApiMessage response = client.call(key, v, request);
                    assertThat(response).as("%s v%d", key, v).isNotNull();
                    if (response instanceof JoinGroupResponseData joined) {
                        Errors expected = v >= 4 ? Errors.MEMBER_ID_REQUIRED : Errors.NONE;
                        assertThat(Errors.forCode(joined.errorCode())).as("JoinGroup v%d", v).isEqualTo(expected);
                        assertThat(joined.memberId()).isNotEmpty();
                    }
                }
            }
        }
    }

}
