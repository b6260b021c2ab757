package io.tributary.kafka.security;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.security.quota.ClientQuotaStore;
import io.tributary.security.quota.ClientQuotaStore.Alteration;
import io.tributary.security.quota.QuotaEntity;
import io.tributary.security.quota.QuotaType;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * AlterClientQuotas and DescribeClientQuotas, what {@code kafka-configs --entity-type users|clients}
 * and {@code Admin.alterClientQuotas/describeClientQuotas} send, over the broker's
 * {@link ClientQuotaStore}. Entities and values are checked as Kafka checks them: a user, a client id
 * or both (each a name or {@code <default>}, given as a null name), each type once, a key Kafka knows,
 * an integral value for the byte rates; a value must also be positive here. {@code ip} entities
 * (connection-rate quotas) are refused with INVALID_REQUEST: they are not supported.
 */
final class ClientQuotaHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ClientQuotaHandlers.class);
    private static final byte MATCH_EXACT = 0;
    private static final byte MATCH_DEFAULT = 1;
    private static final byte MATCH_ANY = 2;

    private ClientQuotaHandlers() {
    }

    /** AlterClientQuotas; the store is written on {@code admin} before the answer. */
    static ApiHandler alter(ClientQuotaStore store, Executor admin) {
        return context -> {
            AlterClientQuotasRequestData request = (AlterClientQuotasRequestData) context.request().body();
            admin.execute(() -> context.respond(alter(store, request)));
        };
    }

    static ApiHandler describe(ClientQuotaStore store) {
        return context -> context.respond(describe(store, (DescribeClientQuotasRequestData) context.request().body()));
    }

    private static AlterClientQuotasResponseData alter(ClientQuotaStore store, AlterClientQuotasRequestData request) {
        List<AlterClientQuotasResponseData.EntryData> results = new ArrayList<>();
        List<Alteration> alterations = new ArrayList<>();
        List<AlterClientQuotasResponseData.EntryData> applied = new ArrayList<>();
        for (AlterClientQuotasRequestData.EntryData entry : request.entries()) {
            List<AlterClientQuotasResponseData.EntityData> entity = new ArrayList<>();
            entry.entity().forEach(e -> entity.add(new AlterClientQuotasResponseData.EntityData()
                    .setEntityType(e.entityType()).setEntityName(e.entityName())));
            AlterClientQuotasResponseData.EntryData result = new AlterClientQuotasResponseData.EntryData().setEntity(entity);
            results.add(result);
            List<Alteration> mine = new ArrayList<>();
            String error;
            try {
                QuotaEntity quotaEntity = entity(entry.entity());
                Set<String> keys = new HashSet<>();
                for (AlterClientQuotasRequestData.OpData op : entry.ops()) {
                    QuotaType type = QuotaType.forKey(op.key());
                    if (type == null) {
                        throw new IllegalArgumentException("Invalid configuration key " + op.key());
                    }
                    if (!keys.add(op.key())) {
                        throw new IllegalArgumentException("Duplicate quota key " + op.key());
                    }
                    if (op.remove()) {
                        mine.add(new Alteration(quotaEntity, type, null));
                        continue;
                    }
                    if (type.integral() && Math.abs(Math.rint(op.value()) - op.value()) > 1e-6) {
                        throw new IllegalArgumentException("Configuration " + op.key() + " must be a Long value");
                    }
                    if (!(op.value() > 0)) {
                        throw new IllegalArgumentException("Configuration " + op.key() + " must be positive");
                    }
                    mine.add(new Alteration(quotaEntity, type, type.integral() ? Math.rint(op.value()) : op.value()));
                }
                error = null;
            } catch (IllegalArgumentException e) {
                error = e.getMessage();
            }
            if (error != null) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(error);
            } else {
                alterations.addAll(mine);
                applied.add(result);
            }
        }
        if (!request.validateOnly() && !alterations.isEmpty()) {
            try {
                store.apply(alterations);
            } catch (RuntimeException e) {
                LOG.error("Cannot store client quotas: {}", e.toString());
                applied.forEach(r -> r.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code())
                        .setErrorMessage("Cannot store the quotas: " + e.getMessage()));
            }
        }
        return new AlterClientQuotasResponseData().setEntries(results);
    }

    private static QuotaEntity entity(List<AlterClientQuotasRequestData.EntityData> parts) {
        QuotaEntity.Name user = null;
        QuotaEntity.Name clientId = null;
        Set<String> types = new HashSet<>();
        for (AlterClientQuotasRequestData.EntityData part : parts) {
            if (!types.add(part.entityType())) {
                throw new IllegalArgumentException("Duplicate " + part.entityType() + " entity type");
            }
            QuotaEntity.Name name = part.entityName() == null ? QuotaEntity.Name.DEFAULT
                    : QuotaEntity.Name.of(part.entityName());
            switch (part.entityType()) {
                case QuotaEntity.USER -> user = name;
                case QuotaEntity.CLIENT_ID -> clientId = name;
                case "ip" -> throw new IllegalArgumentException("ip quotas are not supported");
                default -> throw new IllegalArgumentException("Unhandled client quota entity type: " + part.entityType());
            }
        }
        if (user == null && clientId == null) {
            throw new IllegalArgumentException("Invalid empty client quota entity");
        }
        return new QuotaEntity(user, clientId);
    }

    private static DescribeClientQuotasResponseData describe(ClientQuotaStore store,
                                                             DescribeClientQuotasRequestData request) {
        DescribeClientQuotasResponseData response = new DescribeClientQuotasResponseData();
        Set<String> types = new HashSet<>();
        for (DescribeClientQuotasRequestData.ComponentData component : request.components()) {
            String problem = null;
            if (!types.add(component.entityType())) {
                problem = "Duplicate entity type " + component.entityType();
            } else if (component.matchType() == MATCH_EXACT && component.match() == null) {
                problem = "Exact match of " + component.entityType() + " needs a name";
            } else if (component.matchType() < MATCH_EXACT || component.matchType() > MATCH_ANY) {
                problem = "Unknown match type " + component.matchType();
            }
            if (problem != null) {
                return response.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(problem).setEntries(null);
            }
        }
        List<DescribeClientQuotasResponseData.EntryData> entries = new ArrayList<>();
        for (Map.Entry<QuotaEntity, Map<QuotaType, Double>> quota : store.all().entrySet()) {
            QuotaEntity entity = quota.getKey();
            if (!matches(entity, request)) {
                continue;
            }
            List<DescribeClientQuotasResponseData.EntityData> parts = new ArrayList<>();
            if (entity.user() != null) {
                parts.add(new DescribeClientQuotasResponseData.EntityData().setEntityType(QuotaEntity.USER)
                        .setEntityName(entity.user().name()));
            }
            if (entity.clientId() != null) {
                parts.add(new DescribeClientQuotasResponseData.EntityData().setEntityType(QuotaEntity.CLIENT_ID)
                        .setEntityName(entity.clientId().name()));
            }
            List<DescribeClientQuotasResponseData.ValueData> values = new ArrayList<>();
            quota.getValue().forEach((type, value) -> values.add(
                    new DescribeClientQuotasResponseData.ValueData().setKey(type.key()).setValue(value)));
            entries.add(new DescribeClientQuotasResponseData.EntryData().setEntity(parts).setValues(values));
        }
        return response.setEntries(entries);
    }

    private static boolean matches(QuotaEntity entity, DescribeClientQuotasRequestData request) {
        for (DescribeClientQuotasRequestData.ComponentData component : request.components()) {
            QuotaEntity.Name part = switch (component.entityType()) {
                case QuotaEntity.USER -> entity.user();
                case QuotaEntity.CLIENT_ID -> entity.clientId();
                default -> null;
            };
            if (part == null) {
                return false;
            }
            boolean ok = switch (component.matchType()) {
                case MATCH_EXACT -> !part.isDefault() && part.name().equals(component.match());
                case MATCH_DEFAULT -> part.isDefault();
                default -> true;
            };
            if (!ok) {
                return false;
            }
        }
        if (request.strict()) {
            Set<String> asked = new HashSet<>();
            request.components().forEach(c -> asked.add(c.entityType()));
            return (entity.user() == null || asked.contains(QuotaEntity.USER))
                    && (entity.clientId() == null || asked.contains(QuotaEntity.CLIENT_ID));
        }
        return true;
    }
}
