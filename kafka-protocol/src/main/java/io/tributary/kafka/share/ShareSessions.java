package io.tributary.kafka.share;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Share sessions (KIP-932): per (group, member) the partitions a member fetches from, so that its
 * ShareFetch requests need only name what changed. Epoch 0 opens (or replaces) a session, -1 closes it,
 * and every other request must carry the session's next epoch, which then advances (after
 * {@link Integer#MAX_VALUE} it wraps to 1).
 */
final class ShareSessions {
    static final int INITIAL_EPOCH = 0;
    static final int FINAL_EPOCH = -1;

    /** One partition of a session. */
    record SessionPartition(Uuid topicId, int partition) {
    }

    private record Key(String group, String member) {
    }

    private static final class Session {
        final Set<SessionPartition> partitions = new LinkedHashSet<>();
        int epoch;
    }

    /** The outcome of an update: an error, or the session's partitions after it. */
    record Update(Errors error, List<SessionPartition> partitions) {
    }

    private final Map<Key, Session> sessions = new ConcurrentHashMap<>();

    /** Whether (group, member) has an open session whose next epoch is {@code epoch}. */
    Errors check(String group, String member, int epoch) {
        if (epoch == INITIAL_EPOCH) {
            return Errors.NONE;
        }
        Session session = sessions.get(new Key(group, member));
        if (session == null) {
            return Errors.SHARE_SESSION_NOT_FOUND;
        }
        synchronized (session) {
            return epoch == FINAL_EPOCH || epoch == session.epoch ? Errors.NONE : Errors.INVALID_SHARE_SESSION_EPOCH;
        }
    }

    /**
     * Opens, advances or closes the session: adds {@code added}, removes {@code forgotten}, and answers the
     * partitions to fetch (none when closing).
     */
    Update update(String group, String member, int epoch, Collection<SessionPartition> added,
                  Collection<SessionPartition> forgotten) {
        Key key = new Key(group, member);
        if (epoch == FINAL_EPOCH) {
            return sessions.remove(key) == null
                    ? new Update(Errors.SHARE_SESSION_NOT_FOUND, List.of()) : new Update(Errors.NONE, List.of());
        }
        Session session;
        if (epoch == INITIAL_EPOCH) {
            session = new Session();
            sessions.put(key, session);
        } else {
            session = sessions.get(key);
            if (session == null) {
                return new Update(Errors.SHARE_SESSION_NOT_FOUND, List.of());
            }
        }
        synchronized (session) {
            if (epoch != INITIAL_EPOCH && epoch != session.epoch) {
                return new Update(Errors.INVALID_SHARE_SESSION_EPOCH, List.of());
            }
            session.epoch = session.epoch == Integer.MAX_VALUE ? 1 : session.epoch + 1;
            session.partitions.addAll(added);
            session.partitions.removeAll(forgotten);
            return new Update(Errors.NONE, List.copyOf(session.partitions));
        }
    }

    /** Drops the member's session (it left the group). */
    void remove(String group, String member) {
        sessions.remove(new Key(group, member));
    }
}
