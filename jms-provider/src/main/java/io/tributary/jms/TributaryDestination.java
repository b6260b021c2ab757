package io.tributary.jms;

import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;

import java.io.Serializable;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A JMS destination: a Tributary topic of the same name. Written in record headers (JMSReplyTo) as
 * {@code queue://name}, {@code topic://name}, {@code temp-queue://name} or {@code temp-topic://name}.
 */
public abstract class TributaryDestination implements Destination, Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final String name;

    TributaryDestination(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The Tributary (Kafka) topic name. */
    public final String name() {
        return name;
    }

    /** {@code queue}, {@code topic}, {@code temp-queue} or {@code temp-topic}. */
    abstract String scheme();

    /** The form written into record headers. */
    public final String address() {
        return scheme() + "://" + name;
    }

    /**
     * Whether {@code name} can be a topic name: 1–249 of {@code a-z A-Z 0-9 . _ -}, and not {@code .} or {@code ..}.
     *
     * @throws InvalidDestinationException naming the rule otherwise
     */
    static String checkName(String name) throws InvalidDestinationException {
        if (name == null || !LEGAL.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new InvalidDestinationException("invalid destination name '" + name + "': a Tributary topic name is"
                    + " 1 to 249 characters of a-z, A-Z, 0-9, '.', '_' and '-'");
        }
        return name;
    }

    /** The destination written as {@link #address()}, or {@code null} for an unknown form. */
    public static TributaryDestination parse(String address) {
        if (address == null) {
            return null;
        }
        int sep = address.indexOf("://");
        if (sep < 0) {
            return null;
        }
        String name = address.substring(sep + 3);
        return switch (address.substring(0, sep)) {
            case "queue" -> new TributaryQueue(name);
            case "topic" -> new TributaryTopic(name);
            case "temp-queue" -> new TributaryTemporaryQueue(name, null);
            case "temp-topic" -> new TributaryTemporaryTopic(name, null);
            default -> null;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TributaryDestination d && d.scheme().equals(scheme()) && d.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + scheme().hashCode();
    }

    @Override
    public String toString() {
        return address();
    }
}
