/**
 * The broker process: {@link io.tributary.broker.Main} (the command line), {@link io.tributary.broker.BrokerConfig}
 * (properties file and overrides, checked against {@link io.tributary.broker.config.BrokerKeys}) and
 * {@link io.tributary.broker.Broker} (wires the log, the ingest pipeline and the protocol adapters found with
 * {@link java.util.ServiceLoader}). The only module that knows all the others; it exposes no API to them.
 */
package io.tributary.broker;
