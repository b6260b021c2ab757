package io.tributary.jms.selector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SelectorTest {
    private static final Map<String, Object> MESSAGE = new HashMap<>();

    static {
        MESSAGE.put("color", "red");
        MESSAGE.put("size", 5);
        MESSAGE.put("weight", 2.5d);
        MESSAGE.put("small", (byte) 1);
        MESSAGE.put("ratio", 0.5f);
        MESSAGE.put("big", Long.MAX_VALUE);
        MESSAGE.put("urgent", true);
        MESSAGE.put("quiet", false);
        MESSAGE.put("JMSPriority", 4);
        MESSAGE.put("JMSDeliveryMode", "PERSISTENT");
        MESSAGE.put("JMSType", "order");
        MESSAGE.put("JMSCorrelationID", "abc_%1");
        MESSAGE.put("code", "100%");
        MESSAGE.put("odd", new Object());
    }

    private static boolean matches(String selector) throws SelectorSyntaxException {
        return Selector.parse(selector).matches(MESSAGE::get);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "color = 'red'", "color <> 'blue'", "size = 5", "size = 5.0", "size > 4", "size >= 5", "size < 6",
            "size <= 5", "size <> 4", "weight > 2", "weight = 2.5", "small = 1", "ratio = 0.5", "ratio < 1",
            "big = 9223372036854775807", "urgent", "urgent = TRUE", "NOT quiet", "quiet = false",
            "JMSPriority BETWEEN 0 AND 4", "size NOT BETWEEN 6 AND 9", "size BETWEEN 2 * 2 AND 6 - 1",
            "color IN ('red', 'green')", "color NOT IN ('blue')", "color LIKE 'r%'", "color LIKE '_e_'",
            "color NOT LIKE 'b%'", "JMSCorrelationID LIKE 'abc\\_\\%_' ESCAPE '\\'", "code LIKE '100!%' ESCAPE '!'",
            "missing IS NULL", "color IS NOT NULL", "size + 1 = 6", "size - 1 = 4", "size * 2 = 10",
            "size / 2 = 2", "size / 2.0 = 2.5", "-size = -5", "+size = 5", "- -size = 5", "size * 2 + 1 = 11",
            "(size + 1) * 2 = 12", "1 + 2 * 3 = 7", "urgent AND size = 5", "quiet OR size = 5",
            "NOT (color = 'blue')", "JMSDeliveryMode = 'PERSISTENT'", "JMSType = 'order' AND JMSPriority > 3",
            "color = 'red' or missing = 1", "missing = 1 OR color = 'red'", "TRUE", "NOT FALSE",
            "size = 5 AND (color = 'red' OR color = 'blue')", "7E0 = 7", "7. = 7", ".5e1 = 5", "1e-1 < 1",
            "-9223372036854775808 < 0", "color=   'red'", "COLOR IS NULL", "color not in ('x','y')",
            "color LIKE 'red'", "'red' = color", "5 = size", "color = 'it''s' OR TRUE", "size IN ('5') OR TRUE",
    })
    void selects(String selector) throws SelectorSyntaxException {
        assertThat(matches(selector)).as(selector).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "color = 'blue'", "size > 5", "size BETWEEN 6 AND 9", "color IN ('blue', 'green')",
            "color LIKE 'b%'", "color LIKE 're'", "color LIKE '_e'", "color IS NULL", "missing IS NOT NULL",
            "FALSE", "NOT TRUE", "quiet", "urgent AND quiet",
            // UNKNOWN: never selected, and NOT does not turn it into TRUE
            "missing = 1", "NOT (missing = 1)", "missing > 1 OR missing < 1", "NOT missing", "missing",
            "missing + 1 = 1", "missing BETWEEN 0 AND 10", "missing NOT BETWEEN 0 AND 10",
            "missing LIKE '%'", "missing NOT LIKE '%'", "missing IN ('a')", "missing NOT IN ('a')",
            "color = 5", "NOT (color = 5)", "size = 'red'", "NOT (size = 'red')", "urgent = 1",
            "color", "NOT color", "size", "size LIKE '5'", "size IN ('5')", "color + 1 = 1",
            "size / 0 = 1", "NOT (size / 0 = 1)", "odd IS NOT NULL", "odd = odd",
            "urgent AND missing = 1", "NOT (urgent AND missing = 1)", "color = 'RED'",
            "Color = 'red'", "color LIKE 'R%'", "JMSCorrelationID LIKE 'abc\\_\\%_x' ESCAPE '\\'",
    })
    void rejects(String selector) throws SelectorSyntaxException {
        assertThat(matches(selector)).as(selector).isFalse();
    }

    @Test
    void threeValuedLogicFollowsSqlTruthTables() throws SelectorSyntaxException {
        // FALSE AND UNKNOWN is FALSE, so NOT of it is TRUE; TRUE OR UNKNOWN is TRUE
        assertThat(matches("NOT (quiet AND missing = 1)")).isTrue();
        assertThat(matches("urgent OR missing = 1")).isTrue();
        // TRUE AND UNKNOWN, FALSE OR UNKNOWN stay UNKNOWN under NOT
        assertThat(matches("NOT (urgent AND missing = 1)")).isFalse();
        assertThat(matches("NOT (quiet OR missing = 1)")).isFalse();
    }

    @Test
    void nanIsEqualToNothing() throws SelectorSyntaxException {
        Identifiers nan = name -> Double.NaN;
        assertThat(Selector.parse("x = x").matches(nan)).isFalse();
        assertThat(Selector.parse("x <> x").matches(nan)).isTrue();
        assertThat(Selector.parse("x < 1 OR x >= 1").matches(nan)).isFalse();
    }

    @Test
    void likeMatchesAcrossLineBreaksAndQuotesRegexCharacters() throws SelectorSyntaxException {
        Identifiers value = name -> "a.b\n[c]";
        assertThat(Selector.parse("v LIKE 'a.b%]'").matches(value)).isTrue();
        assertThat(Selector.parse("v LIKE 'a_b%'").matches(value)).isTrue();
        assertThat(Selector.parse("v LIKE 'a.b_[c]'").matches(value)).isTrue();
        assertThat(Selector.parse("v LIKE 'axb%'").matches(value)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void blankSelectsEverything(String selector) throws SelectorSyntaxException {
        Selector parsed = Selector.parse(selector);
        assertThat(parsed.selectsAll()).isTrue();
        assertThat(parsed.matches(name -> null)).isTrue();
        assertThat(Selector.parse(null).selectsAll()).isTrue();
    }

    @Test
    void identifiersAreLookedUpOncePerMessageAndCaseSensitive() throws SelectorSyntaxException {
        Selector selector = Selector.parse("Name = 'x' AND name = 'y'");
        assertThat(selector.matches(Map.<String, Object>of("Name", "x", "name", "y")::get)).isTrue();
        assertThat(selector.matches(Map.<String, Object>of("Name", "y", "name", "x")::get)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "color =", "= 'red'", "color = 'red", "size > 1 AND", "(size > 1", "size > 1)", "size # 1",
            "1", "'red'", "size + 1", "1 AND urgent", "urgent OR 'x'", "NOT 5", "'a' + 1", "-'a' = 1",
            "'a' > 'b'", "color < 'b'", "TRUE > FALSE", "1 = 'a'", "TRUE = 1", "5 LIKE '5'",
            "'x' IN ('x')", "color IN ()", "color IN ('a', 1)", "color IN 'a'", "color LIKE name",
            "color LIKE 'a' ESCAPE 'ab'", "color LIKE 'a!' ESCAPE '!'", "5 IS NULL", "color IS NOTNULL",
            "size BETWEEN 1", "size BETWEEN 'a' AND 'b'", "size NOT 5", "9223372036854775808 > 1",
            "1e > 0", "12abc = 1", "size = 1 = 1", "color NOT NULL", "AND", "NULL = NULL", "size = NULL",
    })
    void invalidSelectorsAreSyntaxErrors(String selector) {
        assertThatThrownBy(() -> Selector.parse(selector)).as(selector)
                .isInstanceOf(SelectorSyntaxException.class)
                .hasMessageContaining("at position");
    }

    @Test
    void syntaxErrorsNameThePosition() {
        assertThatThrownBy(() -> Selector.parse("size > 1 AND color # 'x'"))
                .isInstanceOfSatisfying(SelectorSyntaxException.class, e -> {
                    assertThat(e.position()).isEqualTo(19);
                    assertThat(e.getMessage()).contains("'#'");
                });
    }

    @Test
    void keywordsAreCaseInsensitive() throws SelectorSyntaxException {
        assertThat(matches("size between 1 and 9 and color like 'r%' and color is not null and urgent = true"))
                .isTrue();
    }

    @Test
    void toStringIsTheSelectorText() throws SelectorSyntaxException {
        assertThat(Selector.parse("size > 1")).hasToString("size > 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"JMSXDeliveryCount > 1", "color = 'red' OR NOT (JMSXDeliveryCount BETWEEN 1 AND 2)",
            "-JMSXDeliveryCount < 0", "JMSXDeliveryCount IN ('1')", "JMSXDeliveryCount IS NULL",
            "size + JMSXDeliveryCount * 2 > 3"})
    void findsAnIdentifierAnywhere(String selector) throws SelectorSyntaxException {
        assertThat(Selector.parse(selector).references("JMSXDeliveryCount")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "color = 'JMSXDeliveryCount'", "jmsxdeliverycount > 1", "size > 1 AND urgent"})
    void anAbsentIdentifierIsNotReferenced(String selector) throws SelectorSyntaxException {
        assertThat(Selector.parse(selector).references("JMSXDeliveryCount")).isFalse();
    }
}
