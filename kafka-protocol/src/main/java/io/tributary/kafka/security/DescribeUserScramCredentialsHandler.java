package io.tributary.kafka.security;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import io.tributary.security.sasl.ScramCredential;
import io.tributary.security.sasl.ScramCredentialStore;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DescribeUserScramCredentials: mechanism and iteration count of each user's credentials (never a
 * salt or key). No users named: every user. A named user without credentials answers
 * RESOURCE_NOT_FOUND, one named twice DUPLICATE_RESOURCE, with Kafka's messages.
 */
final class DescribeUserScramCredentialsHandler implements ApiHandler {
    private final ScramCredentialStore store;

    DescribeUserScramCredentialsHandler(ScramCredentialStore store) {
        this.store = store;
    }

    @Override
    public void handle(RequestContext context) {
        DescribeUserScramCredentialsRequestData request = (DescribeUserScramCredentialsRequestData) context.request().body();
        Map<String, List<ScramCredential>> all = store.all();
        List<DescribeUserScramCredentialsResult> results = new ArrayList<>();
        if (request.users() == null || request.users().isEmpty()) {
            all.forEach((user, credentials) -> results.add(found(user, credentials)));
        } else {
            Set<String> seen = new HashSet<>();
            Set<String> duplicates = new HashSet<>();
            request.users().forEach(u -> {
                if (!seen.add(u.name())) {
                    duplicates.add(u.name());
                }
            });
            for (String user : seen) {
                if (duplicates.contains(user)) {
                    results.add(error(user, Errors.DUPLICATE_RESOURCE,
                            "Cannot describe SCRAM credentials for the same user twice in a single request: " + user));
                } else if (!all.containsKey(user)) {
                    results.add(error(user, Errors.RESOURCE_NOT_FOUND,
                            "Attempt to describe nonexistent SCRAM credential for user " + user));
                } else {
                    results.add(found(user, all.get(user)));
                }
            }
        }
        context.respond(new DescribeUserScramCredentialsResponseData().setResults(results));
    }

    private static DescribeUserScramCredentialsResult found(String user, List<ScramCredential> credentials) {
        List<CredentialInfo> infos = new ArrayList<>();
        for (ScramCredential c : credentials) {
            infos.add(new CredentialInfo().setMechanism(c.mechanism().type()).setIterations(c.iterations()));
        }
        return new DescribeUserScramCredentialsResult().setUser(user).setCredentialInfos(infos);
    }

    private static DescribeUserScramCredentialsResult error(String user, Errors error, String message) {
        return new DescribeUserScramCredentialsResult().setUser(user).setErrorCode(error.code()).setErrorMessage(message);
    }
}
