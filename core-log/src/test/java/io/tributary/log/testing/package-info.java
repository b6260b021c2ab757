/**
 * Test helpers shared with the modules above core-log: {@link io.tributary.log.testing.TestBatches}
 * builds Kafka v2 record batches by hand and {@link io.tributary.log.testing.MutableClock} is a clock
 * tests move themselves.
 *
 * <p>Lives only in core-log's test sources and reaches other modules through core-log's test jar
 * ({@code <type>test-jar</type>}, test scope). Depends on the JDK and the public
 * {@code io.tributary.log} package only; no test framework, so any test may use it.
 */
package io.tributary.log.testing;
