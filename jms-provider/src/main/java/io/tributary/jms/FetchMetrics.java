package io.tributary.jms;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.util.Map;

/**
 * Whether a Kafka consumer or share consumer has had its fetches answered. kafka-clients says so only through its
 * {@code fetch-total} metric (group {@code consumer-fetch-manager-metrics}, or
 * {@code consumer-share-fetch-manager-metrics} for a share consumer), recorded when a Fetch or ShareFetch response
 * arrives, with or without records.
 */
final class FetchMetrics {
    private static final String FETCH_TOTAL = "fetch-total";
    private static final String GROUP_SUFFIX = "fetch-manager-metrics";

    private FetchMetrics() {
    }

    /**
     * Whether the consumer whose {@code metrics()} these are has had a fetch answered and its records handed to
     * the consumer's buffer. The metric is recorded when a response arrives, before its records are buffered (the
     * share consumer and the consumer-protocol consumer do both on their background thread), so one answer is not
     * enough: a second fetch is only sent once the first one's records are buffered, so two answers are.
     */
    static boolean answered(Map<MetricName, ? extends Metric> metrics) {
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            if (FETCH_TOTAL.equals(e.getKey().name()) && e.getKey().group().endsWith(GROUP_SUFFIX)
                    && e.getValue().metricValue() instanceof Double d && d >= 2) {
                return true;
            }
        }
        return false;
    }
}
