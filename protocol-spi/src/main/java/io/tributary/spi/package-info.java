/**
 * The protocol SPI: how the broker starts a protocol module's listeners and what it hands them, and
 * {@link io.tributary.spi.CoreServices}, the one assembly of the core services that every adapter
 * shares. Depends on the public APIs of {@code core-log}, {@code disruptor-pipeline} and
 * {@code delivery}; knows no protocol.
 */
package io.tributary.spi;
