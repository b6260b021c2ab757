package io.tributary.kafka.api;

/**
 * This node as clients see it in metadata.
 *
 * @param nodeId {@code node.id}
 * @param host   advertised host, else the bound one
 * @param port   advertised port, else the bound one
 */
public record BrokerEndpoint(int nodeId, String host, int port) {
}
