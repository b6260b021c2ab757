package io.tributary.transactions;

import java.util.List;

/**
 * The record a half transaction holds back until it is committed.
 *
 * @param key     null for no key
 * @param value   null for a null value
 * @param headers in order
 */
public record HalfMessage(long timestamp, byte[] key, byte[] value, List<Header> headers) {
    public HalfMessage {
        headers = List.copyOf(headers);
    }

    /** One record header; a null value is allowed. */
    public record Header(String key, byte[] value) {
    }
}
