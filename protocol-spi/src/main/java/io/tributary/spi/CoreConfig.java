package io.tributary.spi;

import io.tributary.delivery.group.GroupConfig;
import io.tributary.delivery.group.store.GroupStoreConfig;
import io.tributary.delivery.share.ShareConfig;
import io.tributary.log.LogManagerConfig;
import io.tributary.pipeline.PipelineConfig;
import io.tributary.transactions.HalfTransactionConfig;
import io.tributary.transactions.TransactionConfig;

import java.util.Objects;

/**
 * The typed configuration of every core service, one record each; the broker parses them from its
 * configuration file and nobody else does. Build with {@link #builder}; unset parts take their
 * services' defaults.
 *
 * @param log         the log: directory, topic defaults, retention checks
 * @param pipeline    the ingest pipeline
 * @param groups      the group coordinator
 * @param groupStore  {@code __consumer_offsets}
 * @param readThreads {@code num.io.threads}: threads of the read executor
 * @param settings    broker-wide settings adapters read
 * @param shares      the share-group engine ({@code group.share.*})
 * @param transactions the transaction coordinator ({@code transaction.*})
 * @param halfTransactions the half-message coordinator ({@code transaction.check.*})
 */
public record CoreConfig(LogManagerConfig log, PipelineConfig pipeline, GroupConfig groups,
                         GroupStoreConfig groupStore, int readThreads, BrokerSettings settings,
                         ShareConfig shares, TransactionConfig transactions,
                         HalfTransactionConfig halfTransactions) {
    /** Default of {@code num.io.threads}. */
    public static final int DEFAULT_READ_THREADS = 4;

    public CoreConfig {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(groups, "groups");
        Objects.requireNonNull(groupStore, "groupStore");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(shares, "shares");
        Objects.requireNonNull(transactions, "transactions");
        Objects.requireNonNull(halfTransactions, "halfTransactions");
        if (readThreads < 1) {
            throw new IllegalArgumentException("num.io.threads must be at least 1, got " + readThreads);
        }
    }

    /** A builder over the log in {@code log.dir()}, with {@code settings} for the adapters. */
    public static Builder builder(LogManagerConfig log, BrokerSettings settings) {
        return new Builder(log, settings);
    }

    /** Collects the parts; every part not set keeps its service's default. */
    public static final class Builder {
        private final LogManagerConfig log;
        private final BrokerSettings settings;
        private PipelineConfig pipeline;
        private GroupConfig groups = GroupConfig.defaults();
        private GroupStoreConfig groupStore = GroupStoreConfig.defaults();
        private int readThreads = DEFAULT_READ_THREADS;
        private ShareConfig shares = ShareConfig.defaults();
        private TransactionConfig transactions = TransactionConfig.defaults();
        private HalfTransactionConfig halfTransactions = HalfTransactionConfig.defaults();

        private Builder(LogManagerConfig log, BrokerSettings settings) {
            this.log = log;
            this.settings = settings;
            this.pipeline = PipelineConfig.builder().stateDir(log.dir()).build();
        }

        public Builder pipeline(PipelineConfig value) {
            this.pipeline = value;
            return this;
        }

        public Builder groups(GroupConfig value) {
            this.groups = value;
            return this;
        }

        public Builder groupStore(GroupStoreConfig value) {
            this.groupStore = value;
            return this;
        }

        public Builder readThreads(int value) {
            this.readThreads = value;
            return this;
        }

        public Builder shares(ShareConfig value) {
            this.shares = value;
            return this;
        }

        public Builder transactions(TransactionConfig value) {
            this.transactions = value;
            return this;
        }

        public Builder halfTransactions(HalfTransactionConfig value) {
            this.halfTransactions = value;
            return this;
        }

        public CoreConfig build() {
            return new CoreConfig(log, pipeline, groups, groupStore, readThreads, settings, shares, transactions,
                    halfTransactions);
        }
    }
}
