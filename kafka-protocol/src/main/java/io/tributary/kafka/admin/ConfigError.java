package io.tributary.kafka.admin;

import org.apache.kafka.common.protocol.Errors;

/**
 * The outcome of a config operation on one resource: an error code and its message.
 *
 * @param error   {@link Errors#NONE} on success
 * @param message null on success
 */
record ConfigError(Errors error, String message) {
    static final ConfigError NONE = new ConfigError(Errors.NONE, null);

    boolean isError() {
        return error != Errors.NONE;
    }
}
