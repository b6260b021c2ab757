package io.tributary.kafka.half;

/** A Tributary extension body that does not follow its layout; answered INVALID_REQUEST. */
final class MalformedBodyException extends RuntimeException {
    MalformedBodyException(String message) {
        super(message, null, false, false);
    }
}
