package io.tributary.security.quota;

import java.util.Objects;

/**
 * Who a quota applies to: a user, a client id, or both, each a name or the {@code <default>} of its
 * kind. A {@code null} part is absent: {@code (user=alice, clientId=null)} is Kafka's
 * {@code /config/users/alice}, {@code (user=null, clientId=DEFAULT)} is {@code /config/clients/<default>}.
 *
 * @param user     the user part, or {@code null}
 * @param clientId the client-id part, or {@code null}
 */
public record QuotaEntity(Name user, Name clientId) {
    public static final String USER = "user";
    public static final String CLIENT_ID = "client-id";

    public QuotaEntity {
        if (user == null && clientId == null) {
            throw new IllegalArgumentException("a quota entity names a user, a client id or both");
        }
    }

    /**
     * One part of an entity: a name, or the default of its kind.
     *
     * @param name the user name or client id; {@code null} for {@code <default>}
     */
    public record Name(String name) {
        public static final Name DEFAULT = new Name(null);

        public static Name of(String name) {
            return new Name(Objects.requireNonNull(name, "name"));
        }

        public boolean isDefault() {
            return name == null;
        }

        @Override
        public String toString() {
            return name == null ? "<default>" : name;
        }
    }

    public static QuotaEntity user(Name user) {
        return new QuotaEntity(user, null);
    }

    public static QuotaEntity clientId(Name clientId) {
        return new QuotaEntity(null, clientId);
    }

    @Override
    public String toString() {
        return (user == null ? "" : "user=" + user) + (user != null && clientId != null ? "," : "")
                + (clientId == null ? "" : "client-id=" + clientId);
    }
}
