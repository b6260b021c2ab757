/**
 * The protocol SPI: how the broker starts a protocol module's listeners and what it hands them.
 * Depends on {@code core-log} and {@code disruptor-pipeline} public APIs only.
 */
package io.tributary.spi;
