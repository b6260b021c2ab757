package io.tributary.broker;

import io.tributary.log.InvalidConfigException;
import io.tributary.spi.ListenerConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code listeners} and {@code advertised.listeners} entries of the form {@code NAME://host:port}
 * ({@code [v6addr]} in brackets; an empty host binds every interface). Each listener's security protocol is
 * the one {@code listener.security.protocol.map} gives its name ({@code INTERNAL:SASL_SSL}); a name the map
 * does not list is its own security protocol.
 */
final class ListenerParser {
    private static final Pattern ENTRY = Pattern.compile("^([A-Za-z][A-Za-z0-9_]*)://(\\[[^\\]]*\\]|[^:\\[\\]]*):(\\d{1,5})$");
    private static final String ALLOWED = "comma-separated NAME://host:port entries with unique names and ports in [0, 65535]";

    private ListenerParser() {
    }

    /**
     * @param listenersKey   key name used in error messages for {@code listeners}
     * @param advertisedKey  key name used in error messages for {@code advertised.listeners}
     * @throws InvalidConfigException naming the key of the first malformed entry
     */
    static List<ListenerConfig> parse(String listenersKey, List<String> listeners,
                                      String advertisedKey, List<String> advertised) {
        return parse(listenersKey, listeners, advertisedKey, advertised, "listener.security.protocol.map", List.of());
    }

    /**
     * As {@link #parse(String, List, String, List)}, with {@code protocolMap} entries {@code NAME:PROTOCOL}.
     *
     * @throws InvalidConfigException naming {@code protocolMapKey} for an entry that is not NAME:PROTOCOL
     */
    static List<ListenerConfig> parse(String listenersKey, List<String> listeners,
                                      String advertisedKey, List<String> advertised,
                                      String protocolMapKey, List<String> protocolMap) {
        Map<String, String> protocols = new HashMap<>();
        for (String entry : protocolMap) {
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new InvalidConfigException(protocolMapKey, String.join(",", protocolMap),
                        "comma-separated NAME:PROTOCOL entries");
            }
            protocols.put(entry.substring(0, colon).trim().toUpperCase(java.util.Locale.ROOT),
                    entry.substring(colon + 1).trim().toUpperCase(java.util.Locale.ROOT));
        }
        Map<String, Endpoint> advertisedByName = new HashMap<>();
        for (String entry : advertised) {
            Endpoint endpoint = endpoint(advertisedKey, entry);
            if (advertisedByName.put(endpoint.name, endpoint) != null) {
                throw new InvalidConfigException(advertisedKey, String.join(",", advertised), ALLOWED);
            }
        }
        List<ListenerConfig> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : listeners) {
            Endpoint bind = endpoint(listenersKey, entry);
            if (!names.add(bind.name)) {
                throw new InvalidConfigException(listenersKey, String.join(",", listeners), ALLOWED);
            }
            Endpoint adv = advertisedByName.remove(bind.name);
            String bindHost = bind.host.isEmpty() ? "0.0.0.0" : bind.host;
            String advertisedHost = adv != null ? adv.host : bind.host;
            int advertisedPort = adv != null ? adv.port : bind.port;
            if (advertisedHost.isEmpty() || advertisedHost.equals("0.0.0.0") || advertisedHost.equals("::")) {
                advertisedHost = adv != null ? invalidAdvertised(advertisedKey, entry) : "localhost";
            }
            result.add(new ListenerConfig(bind.name, protocols.getOrDefault(bind.name, bind.name), bindHost, bind.port, advertisedHost, advertisedPort));
        }
        if (!advertisedByName.isEmpty()) {
            throw new InvalidConfigException(advertisedKey, String.join(",", advertised),
                    "entries whose names all appear in " + listenersKey + "; unmatched: " + advertisedByName.keySet());
        }
        return List.copyOf(result);
    }

    private static String invalidAdvertised(String key, String entry) {
        throw new InvalidConfigException(key, entry, "an address clients can connect to (not empty or 0.0.0.0)");
    }

    private static Endpoint endpoint(String key, String entry) {
        Matcher m = ENTRY.matcher(entry);
        if (!m.matches()) {
            throw new InvalidConfigException(key, entry, ALLOWED);
        }
        int port = Integer.parseInt(m.group(3));
        if (port > 65535) {
            throw new InvalidConfigException(key, entry, ALLOWED);
        }
        String host = m.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Endpoint(m.group(1).toUpperCase(java.util.Locale.ROOT), host, port);
    }

    private record Endpoint(String name, String host, int port) {
    }
}
