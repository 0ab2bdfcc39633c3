package org.mediaoffload.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped logging configuration, as the daemon's console gets it (built in code by {@link ConsoleLogConfigurator},
 * and logback.xml, its reference): names from disk cannot start a line of their own.
 */
class EscapingConvertersTest {
    private static final String FORGED = "10:00:00.000 INFO  [main] o.m.p.DeletionStage - nothing to see";

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void argumentsAndExceptionMessagesStayOnTheirLineTemplatesKeepTheirs(boolean fromCode) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        if (fromCode) {
            ConsoleLogConfigurator configurator = new ConsoleLogConfigurator(name -> null, name -> null, name -> false);
            configurator.setContext(context);
            configurator.configure(context);
        } else {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(getClass().getResource("/logback.xml"));
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        @SuppressWarnings("unchecked")
        Encoder<ILoggingEvent> encoder = ((OutputStreamAppender<ILoggingEvent>) root.getAppender("STDERR"))
                .getEncoder();

        String name = "local_thumbnails/aa/bb/cc/x\n" + FORGED + "\r\u2028\u001b[31m";
        Exception failure = new UncheckedIOException("cannot delete " + name, new java.io.IOException(name));
        LoggingEvent event = new LoggingEvent(Logger.FQCN, context.getLogger("test"), Level.WARN,
                "Could not delete {}\nsecond line of the template", failure, new Object[] {name});
        List<String> lines = new String(encoder.encode(event), StandardCharsets.UTF_8).lines().toList();

        assertThat(lines).noneMatch(line -> line.startsWith(FORGED));
        assertThat(lines.get(0)).endsWith("Could not delete local_thumbnails/aa/bb/cc/x\\n" + FORGED
                + "\\r\\u2028\\u001b[31m");
        assertThat(lines.get(1)).isEqualTo("second line of the template");
        assertThat(lines.get(2)).startsWith("java.io.UncheckedIOException: cannot delete local_thumbnails/aa/bb/cc/x\\n");
        assertThat(lines).anyMatch(line -> line.startsWith("Caused by: java.io.IOException: local_thumbnails/")
                && line.contains("\\n" + FORGED));
        assertThat(lines.subList(3, lines.size())).allMatch(line -> line.startsWith("\t") || line.startsWith("Caused by"));
        context.stop();
    }

    @Test
    void plainTextIsLeftAlone() {
        String plain = "remote_content/example.org:8448/ab/cd/ef\twith a tab";
        assertThat(LogText.escape(plain)).isSameAs(plain);
        assertThat(LogText.escape(null)).isNull();
    }
}
