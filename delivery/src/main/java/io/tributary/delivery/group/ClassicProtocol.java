package io.tributary.delivery.group;

/** One protocol a classic member supports (e.g. an assignor name) with its opaque subscription metadata. */
public record ClassicProtocol(String name, byte[] metadata) {
}
