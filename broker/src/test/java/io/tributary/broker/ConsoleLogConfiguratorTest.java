package io.tributary.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(5)
class ConsoleLogConfiguratorTest {

    @Test
    void configuresInfoToStdoutWithThePatternOfConfigLogbackXml() throws Exception {
        // Given a fresh logging context
        LoggerContext context = new LoggerContext();

        // When
        Configurator.ExecutionStatus status = new ConsoleLogConfigurator().configure(context);

        // Then
        assertThat(status).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(root.getAppender("STDOUT")).isInstanceOf(ConsoleAppender.class);
        assertThat(Files.readString(Path.of("..", "config", "logback.xml"))).contains(ConsoleLogConfigurator.PATTERN);
        context.stop();
    }
}
