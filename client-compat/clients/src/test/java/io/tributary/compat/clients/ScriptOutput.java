package io.tributary.compat.clients;

import io.tributary.compat.ExternalCommand.Result;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code name=value} lines a client script prints as its results. */
final class ScriptOutput {
    private ScriptOutput() {
    }

    /** Every {@code name=value} line of the result's standard output; other lines are ignored. */
    static Map<String, String> parse(Result result) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : result.lines()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }
}
