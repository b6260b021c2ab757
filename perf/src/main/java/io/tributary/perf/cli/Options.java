package io.tributary.perf.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parsed command-line arguments of one subcommand, checked against its {@link OptionSpec}s:
 * {@code --name value}, {@code --name=value}, flags {@code --name}, and positional arguments.
 * Unknown options are a {@link UsageException}.
 */
public final class Options {

    private final Map<String, OptionSpec> specs = new LinkedHashMap<>();
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Options(List<OptionSpec> specs) {
        for (OptionSpec s : specs) {
            this.specs.put(s.name(), s);
        }
    }

    /** Parses {@code args} against {@code specs}. */
    public static Options parse(List<OptionSpec> specs, String... args) {
        Options o = new Options(specs);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                o.positional.add(a);
                continue;
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            OptionSpec spec = o.specs.get(name);
            if (spec == null) {
                throw new UsageException("unknown option --" + name);
            }
            if (spec.isFlag()) {
                if (value != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                value = "true";
            } else if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("--" + name + " needs a value (" + spec.valueName() + ")");
                }
                value = args[++i];
            }
            List<String> list = o.values.computeIfAbsent(name, k -> new ArrayList<>());
            if (!spec.repeatable() && !list.isEmpty()) {
                throw new UsageException("--" + name + " given twice");
            }
            list.add(value);
        }
        return o;
    }

    /** The value of {@code name}, else its default (may be null). */
    public String get(String name) {
        List<String> v = values.get(spec(name).name());
        return v == null ? spec(name).defaultValue() : v.get(0);
    }

    /** The value of {@code name}; a UsageException if it has none. */
    public String required(String name) {
        String v = get(name);
        if (v == null) {
            throw new UsageException("--" + name + " is required");
        }
        return v;
    }

    /** Whether {@code name} was given on the command line. */
    public boolean has(String name) {
        return values.containsKey(spec(name).name());
    }

    /** A flag: true if given. */
    public boolean flag(String name) {
        return has(name);
    }

    /** Every value of a repeatable option, in order. */
    public List<String> all(String name) {
        return List.copyOf(values.getOrDefault(spec(name).name(), List.of()));
    }

    /** The {@code key=value} values of a repeatable option as a map. */
    public Map<String, String> keyValues(String name) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : all(name)) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--" + name + " wants key=value: " + kv);
            }
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    /** The value as a long; accepts {@code _} separators and k/m suffixes (1000s). */
    public long longValue(String name) {
        String v = required(name).replace("_", "").toLowerCase(Locale.ROOT);
        long mult = 1;
        if (v.endsWith("k")) {
            mult = 1_000;
            v = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            mult = 1_000_000;
            v = v.substring(0, v.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(v), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException("--" + name + ": not a number: " + get(name));
        }
    }

    /** The value as an int (see {@link #longValue}). */
    public int intValue(String name) {
        long v = longValue(name);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new UsageException("--" + name + ": out of range: " + v);
        }
        return (int) v;
    }

    /** The value as a double. */
    public double doubleValue(String name) {
        try {
            return Double.parseDouble(required(name).replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + ": not a number: " + get(name));
        }
    }

    /** The value as a duration: {@code 500ms}, {@code 10s}, {@code 2m}; a bare number is seconds. */
    public Duration duration(String name) {
        return parseDuration(name, required(name));
    }

    /** Parses {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h} or bare seconds. */
    static Duration parseDuration(String name, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofMillis((long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
            }
            if (s.endsWith("m")) {
                return Duration.ofMillis((long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 60_000));
            }
            if (s.endsWith("h")) {
                return Duration.ofMillis((long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 3_600_000));
            }
            return Duration.ofMillis((long) (Double.parseDouble(s) * 1000));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + ": not a duration: " + v);
        }
    }

    /** Arguments that are not options, in order. */
    public List<String> positional() {
        return List.copyOf(positional);
    }

    private OptionSpec spec(String name) {
        OptionSpec s = specs.get(name);
        if (s == null) {
            throw new IllegalArgumentException("option not declared: " + name);
        }
        return s;
    }

    /** Usage text: {@code header}, then one line per option with its default. */
    public static String usage(String header, List<OptionSpec> specs) {
        StringBuilder sb = new StringBuilder(header.strip()).append("\n\nOptions:\n");
        for (OptionSpec s : specs) {
            String left = "  --" + s.name() + (s.isFlag() ? "" : " " + s.valueName());
            sb.append(String.format(Locale.ROOT, "%-30s %s", left, s.description()));
            if (s.defaultValue() != null) {
                sb.append(" [").append(s.defaultValue()).append(']');
            }
            if (s.repeatable()) {
                sb.append(" (repeatable)");
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
