/**
 * Definition and parsing of broker configuration keys: each key is a {@link io.tributary.broker.config.ConfigKey}
 * (name, type, default, validator, one-line doc) listed once in {@link io.tributary.broker.config.BrokerKeys};
 * {@link io.tributary.broker.config.ConfigParser} turns raw strings into checked, typed values.
 * Depends on the JDK and {@code core-log}'s {@code InvalidConfigException} only.
 */
package io.tributary.broker.config;
