package io.tributary.perf.transport;

import java.util.Map;

/** Makes a {@link Transport}; registered in {@code META-INF/services} and chosen by {@link #name()}. */
public interface TransportProvider {

    /** The name given to {@code --transport}, e.g. {@code kafka}. */
    String name();

    /**
     * Connects to {@code bootstrap} (transport-specific address syntax); {@code properties} are
     * passed to every client the transport creates (e.g. Kafka client configs).
     */
    Transport open(String bootstrap, Map<String, String> properties);
}
