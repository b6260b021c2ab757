package io.tributary.broker.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Extra broker configuration, {@code key=value} each, for the broker {@link TributaryExtension} starts.
 * On a method it is applied after the one on the class.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface BrokerProperties {
    String[] value();
}
