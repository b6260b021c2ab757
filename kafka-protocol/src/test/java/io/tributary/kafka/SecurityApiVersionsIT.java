package io.tributary.kafka;

import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security APIs at every advertised version on a PLAINTEXT listener, each answer parsed by
 * kafka-clients: SASL requests there are out of place (ILLEGAL_SASL_STATE, as Kafka answers), the
 * SCRAM credential APIs work on any listener.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecurityApiVersionsIT {
    @TempDir
    Path dir;

    @Test
    void saslOnAPlaintextListenerIsIllegalStateAndScramCredentialsRoundTrip() throws Exception {
        try (TestBroker broker = TestBroker.start(dir); RawClient client = new RawClient(broker.port())) {
            for (short v : AdvertisedVersionsIT.versions(ApiKeys.SASL_HANDSHAKE)) {
                SaslHandshakeResponseData r = (SaslHandshakeResponseData) client.call(ApiKeys.SASL_HANDSHAKE, v,
                        new SaslHandshakeRequestData().setMechanism("PLAIN"));
                assertThat(r.errorCode()).as("v%d", v).isEqualTo(Errors.ILLEGAL_SASL_STATE.code());
            }
            for (short v : AdvertisedVersionsIT.versions(ApiKeys.SASL_AUTHENTICATE)) {
                SaslAuthenticateResponseData r = (SaslAuthenticateResponseData) client.call(ApiKeys.SASL_AUTHENTICATE, v,
                        new SaslAuthenticateRequestData().setAuthBytes(new byte[] {0, 'u', 0, 'p'}));
                assertThat(r.errorCode()).as("v%d", v).isEqualTo(Errors.ILLEGAL_SASL_STATE.code());
            }

            for (short v : AdvertisedVersionsIT.versions(ApiKeys.DESCRIBE_ACLS)) {
                var r = (org.apache.kafka.common.message.DescribeAclsResponseData) client.call(ApiKeys.DESCRIBE_ACLS, v,
                        new org.apache.kafka.common.message.DescribeAclsRequestData().setResourceTypeFilter((byte) 1)
                                .setPatternTypeFilter((byte) 1).setOperation((byte) 1).setPermissionType((byte) 1));
                assertThat(r.errorCode()).as("no authorizer: v%d", v).isEqualTo(Errors.SECURITY_DISABLED.code());
            }
            for (short v : AdvertisedVersionsIT.versions(ApiKeys.CREATE_ACLS)) {
                var r = (org.apache.kafka.common.message.CreateAclsResponseData) client.call(ApiKeys.CREATE_ACLS, v,
                        new org.apache.kafka.common.message.CreateAclsRequestData().setCreations(List.of(
                                new org.apache.kafka.common.message.CreateAclsRequestData.AclCreation()
                                        .setResourceType((byte) 2).setResourceName("t").setResourcePatternType((byte) 3)
                                        .setPrincipal("User:a").setHost("*").setOperation((byte) 3)
                                        .setPermissionType((byte) 3))));
                assertThat(r.results()).singleElement().satisfies(c -> assertThat(c.errorCode()).as("v%d", v)
                        .isEqualTo(Errors.SECURITY_DISABLED.code()));
            }
            for (short v : AdvertisedVersionsIT.versions(ApiKeys.DELETE_ACLS)) {
                var r = (org.apache.kafka.common.message.DeleteAclsResponseData) client.call(ApiKeys.DELETE_ACLS, v,
                        new org.apache.kafka.common.message.DeleteAclsRequestData().setFilters(List.of(
                                new org.apache.kafka.common.message.DeleteAclsRequestData.DeleteAclsFilter()
                                        .setResourceTypeFilter((byte) 1).setPatternTypeFilter((byte) 1)
                                        .setOperation((byte) 1).setPermissionType((byte) 1))));
                assertThat(r.filterResults()).singleElement().satisfies(c -> assertThat(c.errorCode()).as("v%d", v)
                        .isEqualTo(Errors.SECURITY_DISABLED.code()));
            }

            for (short v : AdvertisedVersionsIT.versions(ApiKeys.DESCRIBE_CLIENT_QUOTAS)) {
                var r = (org.apache.kafka.common.message.DescribeClientQuotasResponseData) client.call(
                        ApiKeys.DESCRIBE_CLIENT_QUOTAS, v, new org.apache.kafka.common.message.DescribeClientQuotasRequestData()
                                .setComponents(List.of()).setStrict(false));
                assertThat(r.errorCode()).as("v%d", v).isZero();
                assertThat(r.entries()).as("no quotas exist").isEmpty();
            }
            for (short v : AdvertisedVersionsIT.versions(ApiKeys.ALTER_CLIENT_QUOTAS)) {
                var r = (org.apache.kafka.common.message.AlterClientQuotasResponseData) client.call(
                        ApiKeys.ALTER_CLIENT_QUOTAS, v, new org.apache.kafka.common.message.AlterClientQuotasRequestData()
                                .setEntries(List.of(new org.apache.kafka.common.message.AlterClientQuotasRequestData.EntryData()
                                        .setEntity(List.of(new org.apache.kafka.common.message.AlterClientQuotasRequestData.EntityData()
                                                .setEntityType("client-id").setEntityName("v" + v)))
                                        .setOps(List.of(new org.apache.kafka.common.message.AlterClientQuotasRequestData.OpData()
                                                .setKey("producer_byte_rate").setValue(1024 + v))))));
                assertThat(r.entries()).singleElement().satisfies(e -> assertThat(e.errorCode()).as("v%d", v).isZero());
            }
            var quotas = (org.apache.kafka.common.message.DescribeClientQuotasResponseData) client.call(
                    ApiKeys.DESCRIBE_CLIENT_QUOTAS, (short) 1, new org.apache.kafka.common.message.DescribeClientQuotasRequestData()
                            .setComponents(List.of(new org.apache.kafka.common.message.DescribeClientQuotasRequestData.ComponentData()
                                    .setEntityType("client-id").setMatchType((byte) 2))).setStrict(true));
            assertThat(quotas.entries()).extracting(e -> e.entity().get(0).entityName() + "=" + e.values().get(0).value())
                    .containsExactlyInAnyOrder("v0=1024.0", "v1=1025.0");

            AlterUserScramCredentialsResponseData altered = (AlterUserScramCredentialsResponseData) client.call(
                    ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, (short) 0, new AlterUserScramCredentialsRequestData()
                            .setUpsertions(List.of(
                                    new ScramCredentialUpsertion().setName("u").setMechanism((byte) 1)
                                            .setIterations(4096).setSalt(new byte[] {1}).setSaltedPassword(new byte[32]),
                                    new ScramCredentialUpsertion().setName("u").setMechanism((byte) 1)
                                            .setIterations(4096).setSalt(new byte[] {2}).setSaltedPassword(new byte[32]),
                                    new ScramCredentialUpsertion().setName("w").setMechanism((byte) 9)
                                            .setIterations(4096).setSalt(new byte[] {1}).setSaltedPassword(new byte[32]),
                                    new ScramCredentialUpsertion().setName("v").setMechanism((byte) 2)
                                            .setIterations(4096).setSalt(new byte[] {1}).setSaltedPassword(new byte[64]))));
            assertThat(altered.results()).extracting(r -> r.user() + "=" + Errors.forCode(r.errorCode()))
                    .containsExactly("u=DUPLICATE_RESOURCE", "w=UNSUPPORTED_SASL_MECHANISM", "v=NONE");

            DescribeUserScramCredentialsResponseData described = (DescribeUserScramCredentialsResponseData) client.call(
                    ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, (short) 0, new DescribeUserScramCredentialsRequestData()
                            .setUsers(List.of(new DescribeUserScramCredentialsRequestData.UserName().setName("v"),
                                    new DescribeUserScramCredentialsRequestData.UserName().setName("u"))));
            assertThat(described.results()).extracting(r -> r.user() + "=" + Errors.forCode(r.errorCode()))
                    .containsExactlyInAnyOrder("v=NONE", "u=RESOURCE_NOT_FOUND");
            assertThat(described.results()).filteredOn(r -> r.user().equals("v")).singleElement()
                    .satisfies(r -> assertThat(r.credentialInfos()).singleElement()
                            .satisfies(c -> assertThat(c.mechanism()).isEqualTo((byte) 2)));
        }
    }
}
