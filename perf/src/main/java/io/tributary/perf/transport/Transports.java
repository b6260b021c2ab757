package io.tributary.perf.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds {@link TransportProvider}s on the class path. */
public final class Transports {

    private Transports() {
    }

    /** The provider called {@code name}; throws IllegalArgumentException naming the known ones. */
    public static TransportProvider byName(String name) {
        List<String> known = new ArrayList<>();
        for (TransportProvider p : ServiceLoader.load(TransportProvider.class)) {
            if (p.name().equals(name)) {
                return p;
            }
            known.add(p.name());
        }
        throw new IllegalArgumentException("unknown transport '" + name + "' (known: " + known + ")");
    }
}
