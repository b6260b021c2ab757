package io.tributary.kafka.security;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.security.quota.ClientQuotaStore;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.Map;
import java.util.concurrent.Executor;

/** Registers the client-quota APIs; the {@link QuotaGate} enforces what they set. */
public final class QuotaApis {
    private QuotaApis() {
    }

    /** @param admin the listener's admin thread, which writes the quota file */
    public static void register(Map<ApiKeys, ApiHandler> handlers, ClientQuotaStore store, Executor admin) {
        handlers.put(ApiKeys.DESCRIBE_CLIENT_QUOTAS, ClientQuotaHandlers.describe(store));
        handlers.put(ApiKeys.ALTER_CLIENT_QUOTAS, ClientQuotaHandlers.alter(store, admin));
    }
}
