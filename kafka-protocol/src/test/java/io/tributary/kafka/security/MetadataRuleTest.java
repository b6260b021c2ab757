package io.tributary.kafka.security;

import io.tributary.security.acl.Operation;
import io.tributary.security.acl.PatternType;
import io.tributary.security.acl.ResourceType;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.tributary.kafka.security.GateHarness.REFUSED_TOPIC;
import static io.tributary.kafka.security.GateHarness.errors;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MetadataRule} through the gate ({@link GateHarness}): topics hidden, refused, and auto-created only
 * with CREATE.
 */
@Timeout(30)
class MetadataRuleTest {
    @RegisterExtension
    final GateHarness gate = new GateHarness();

    @Test
    void metadataHidesRefusesAndAutoCreatesOnlyWithCreate() throws Exception {
        gate.allow(ResourceType.TOPIC, "allowed", Operation.READ);
        gate.allow(ResourceType.TOPIC, "new-", Operation.DESCRIBE, PatternType.PREFIXED);
        gate.allow(ResourceType.TOPIC, "new-ok", Operation.CREATE);
        gate.handler = m -> {
            MetadataResponseData response = new MetadataResponseData();
            List<String> names = ((MetadataRequestData) m).topics() == null ? List.of("allowed", "denied")
                    : ((MetadataRequestData) m).topics().stream().map(t -> t.name()).toList();
            names.forEach(n -> response.topics().add(new MetadataResponseData.MetadataResponseTopic().setName(n)));
            return response;
        };

        MetadataResponseData all = (MetadataResponseData) gate.send(ApiKeys.METADATA, (short) 12,
                new MetadataRequestData().setTopics(null).setIncludeTopicAuthorizedOperations(true)).response;
        MetadataResponseData named = (MetadataResponseData) gate.send(ApiKeys.METADATA, (short) 12,
                metadata("allowed", "denied", "new-ok", "new-no")).response;

        assertThat(all.topics()).extracting(MetadataResponseData.MetadataResponseTopic::name).containsExactly("allowed");
        assertThat(all.topics().find("allowed").topicAuthorizedOperations())
                .isEqualTo(1 << AclOperation.READ.code() | 1 << AclOperation.DESCRIBE.code());
        assertThat(errors(named.topics().stream().map(t -> Map.entry(t.name(), t.errorCode()))))
                .containsEntry("allowed", (short) 0).containsEntry("denied", REFUSED_TOPIC)
                .containsEntry("new-ok", (short) 0).containsEntry("new-no", REFUSED_TOPIC);
    }

    private static MetadataRequestData metadata(String... names) {
        MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(true);
        for (String name : names) {
            request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(name));
        }
        return request;
    }
}
