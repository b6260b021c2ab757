package io.tributary.security.sasl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code sasl.jaas.config} value as Kafka writes it:
 * <pre>
 * org.apache.kafka.common.security.plain.PlainLoginModule required
 *     username="admin" password="admin-secret" user_admin="admin-secret" user_alice="alice-secret";
 * </pre>
 * The login module class, its control flag, and its options; option values in double quotes
 * (with {@code \"} and {@code \\} escapes) or bare words.
 *
 * @param loginModule the class name, e.g. {@code org.apache.kafka.common.security.plain.PlainLoginModule}
 * @param options     the options in order
 */
public record JaasConfig(String loginModule, Map<String, String> options) {
    private static final Pattern HEAD = Pattern.compile(
            "\\s*([A-Za-z_$][\\w.$]*)\\s+(required|requisite|sufficient|optional)\\b");
    private static final Pattern OPTION = Pattern.compile(
            "\\s*([\\w.\\-]+)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s;\"]+))");
    private static final Pattern END = Pattern.compile("\\s*;\\s*");

    /** Prefix of PLAIN's static users: {@code user_<name>="<password>"}. */
    public static final String USER_PREFIX = "user_";

    /**
     * @throws IllegalArgumentException if {@code text} is not one login module entry ending in {@code ;}
     */
    public static JaasConfig parse(String text) {
        Matcher head = HEAD.matcher(text);
        if (!head.lookingAt()) {
            throw new IllegalArgumentException("expected '<LoginModule class> required key=\"value\" ...;'");
        }
        Map<String, String> options = new LinkedHashMap<>();
        int at = head.end();
        Matcher option = OPTION.matcher(text);
        while (option.find(at) && option.start() == at) {
            String value = option.group(2) != null ? option.group(2).replaceAll("\\\\(.)", "$1") : option.group(3);
            options.put(option.group(1), value);
            at = option.end();
        }
        Matcher end = END.matcher(text);
        if (!end.find(at) || end.start() != at || end.end() != text.length()) {
            throw new IllegalArgumentException("cannot parse the options after position " + at
                    + " (expected key=\"value\" pairs and a final ';')");
        }
        return new JaasConfig(head.group(1), java.util.Collections.unmodifiableMap(options));
    }

    /** The static users of PLAIN: each {@code user_<name>} option, by name. */
    public Map<String, String> plainUsers() {
        Map<String, String> users = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (k.startsWith(USER_PREFIX) && k.length() > USER_PREFIX.length()) {
                users.put(k.substring(USER_PREFIX.length()), v);
            }
        });
        return users;
    }
}
