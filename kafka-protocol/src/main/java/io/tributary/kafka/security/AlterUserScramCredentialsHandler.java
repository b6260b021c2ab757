package io.tributary.kafka.security;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.kafka.network.RequestContext;
import io.tributary.security.sasl.ScramCredential;
import io.tributary.security.sasl.ScramCredentialStore;
import io.tributary.security.sasl.ScramMechanism;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * AlterUserScramCredentials: what {@code kafka-configs --alter --add-config 'SCRAM-SHA-256=[...]'
 * --entity-type users} and {@code Admin.alterUserScramCredentials} send. The client salts and
 * hashes the password; the broker keeps the derived keys. Each user's changes are checked as Kafka
 * checks them (known mechanism, iterations within 4096–16384, a deletion of something that exists,
 * a user changed once per request — a second deletion or upsertion of a user, whatever its mechanism,
 * is DUPLICATE_RESOURCE and drops the first, as Kafka's KRaft controller answers) and applied together;
 * the credential file is written on the admin thread before the answer.
 */
final class AlterUserScramCredentialsHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AlterUserScramCredentialsHandler.class);

    private final ScramCredentialStore store;
    private final Executor admin;

    AlterUserScramCredentialsHandler(ScramCredentialStore store, Executor admin) {
        this.store = store;
        this.admin = admin;
    }

    @Override
    public void handle(RequestContext context) {
        AlterUserScramCredentialsRequestData request = (AlterUserScramCredentialsRequestData) context.request().body();
        admin.execute(() -> context.respond(alter(request)));
    }

    private AlterUserScramCredentialsResponseData alter(AlterUserScramCredentialsRequestData request) {
        Map<String, Error> errors = new HashMap<>();
        Set<String> touched = new HashSet<>();
        Set<String> users = new java.util.LinkedHashSet<>();
        List<Map.Entry<String, ScramMechanism>> deletions = new ArrayList<>();
        List<Map.Entry<String, ScramCredential>> upserts = new ArrayList<>();
        for (ScramCredentialDeletion d : request.deletions()) {
            users.add(d.name());
            ScramMechanism mechanism = check(d.name(), d.mechanism(), touched, errors);
            if (mechanism != null) {
                if (store.get(d.name(), mechanism) == null) {
                    errors.putIfAbsent(d.name(), new Error(Errors.RESOURCE_NOT_FOUND,
                            "Attempt to delete a user credential that does not exist"));
                } else {
                    deletions.add(Map.entry(d.name(), mechanism));
                }
            }
        }
        for (ScramCredentialUpsertion u : request.upsertions()) {
            users.add(u.name());
            ScramMechanism mechanism = check(u.name(), u.mechanism(), touched, errors);
            if (mechanism == null) {
                continue;
            }
            if (u.iterations() < ScramMechanism.MIN_ITERATIONS) {
                errors.putIfAbsent(u.name(), new Error(Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations"));
            } else if (u.iterations() > ScramMechanism.MAX_ITERATIONS) {
                errors.putIfAbsent(u.name(), new Error(Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations"));
            } else {
                upserts.add(Map.entry(u.name(), ScramCredential.fromSaltedPassword(mechanism, u.salt(),
                        u.saltedPassword(), u.iterations())));
            }
        }
        deletions.removeIf(d -> errors.containsKey(d.getKey()));
        upserts.removeIf(u -> errors.containsKey(u.getKey()));
        Error storeError = null;
        if (!deletions.isEmpty() || !upserts.isEmpty()) {
            try {
                store.apply(deletions, upserts);
            } catch (RuntimeException e) {
                LOG.error("Cannot store SCRAM credentials: {}", e.toString());
                storeError = new Error(Errors.KAFKA_STORAGE_ERROR, "Cannot store the credentials: " + e.getMessage());
            }
        }
        Map<String, AlterUserScramCredentialsResult> results = new LinkedHashMap<>();
        for (String user : users) {
            Error error = errors.getOrDefault(user, storeError);
            AlterUserScramCredentialsResult result = new AlterUserScramCredentialsResult().setUser(user);
            if (error != null) {
                result.setErrorCode(error.code.code()).setErrorMessage(error.message);
            }
            results.put(user, result);
        }
        return new AlterUserScramCredentialsResponseData().setResults(new ArrayList<>(results.values()));
    }

    private static ScramMechanism check(String user, byte type, Set<String> touched, Map<String, Error> errors) {
        if (errors.containsKey(user)) {
            return null;
        }
        if (!touched.add(user)) {
            errors.put(user, new Error(Errors.DUPLICATE_RESOURCE,
                    "A user credential cannot be altered twice in the same request"));
            return null;
        }
        if (user.isEmpty()) {
            errors.putIfAbsent(user, new Error(Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty"));
            return null;
        }
        ScramMechanism mechanism = ScramMechanism.forType(type);
        if (mechanism == null) {
            errors.putIfAbsent(user, new Error(Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism"));
            return null;
        }
        return mechanism;
    }

    private record Error(Errors code, String message) {
    }
}
