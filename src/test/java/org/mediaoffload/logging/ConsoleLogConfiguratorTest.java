package org.mediaoffload.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * The configuration built in code is the shipped logback.xml: same loggers and levels, same appender, and byte for
 * byte the same lines for the same events; and it steps aside whenever logback is asked for another configuration.
 */
class ConsoleLogConfiguratorTest {
    private static final UnaryOperator<String> NONE = name -> null;

    @Test
    void writesTheSameLinesAsLogbackXml() throws Exception {
        LoggerContext xml = fromLogbackXml(Map.of());
        LoggerContext code = fromCode(NONE, NONE);

        List<String> names = new ArrayList<>(ConsoleLogConfigurator.WARN_ONLY);
        names.addAll(List.of(Logger.ROOT_LOGGER_NAME, "org.mediaoffload", "org.mediaoffload.pipeline.OffloadRun",
                "software.amazon.awssdk.request", "org.postgresql"));
        for (String name : names) {
            assertThat(code.getLogger(name).getEffectiveLevel()).as(name)
                    .isEqualTo(xml.getLogger(name).getEffectiveLevel());
            assertThat(code.getLogger(name).isAdditive()).as(name).isEqualTo(xml.getLogger(name).isAdditive());
        }
        ConsoleAppender<ILoggingEvent> fromXml = console(xml);
        ConsoleAppender<ILoggingEvent> fromCode = console(code);
        assertThat(fromCode.getTarget()).isEqualTo(fromXml.getTarget()).isEqualTo("System.err");
        assertThat(fromCode.isStarted()).isTrue();
        assertThat(fromCode.isImmediateFlush()).isEqualTo(fromXml.isImmediateFlush());
        assertThat(((PatternLayoutEncoder) fromCode.getEncoder()).getPattern())
                .isEqualTo(((PatternLayoutEncoder) fromXml.getEncoder()).getPattern());
        assertThat(code.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders()).toIterable().hasSize(1);

        String hostile = "local_content/aa/bb/x\n10:00:00.000 INFO  [main] o.m.p.DeletionStage - forged\r\u2028\u001b[31m";
        Exception failure = new UncheckedIOException("cannot read " + hostile, new IOException(hostile));
        for (boolean inRun : new boolean[] {false, true}) {
            for (Exception thrown : new Exception[] {null, failure}) {
                String viaXml = encode(xml, fromXml, inRun, thrown, hostile);
                assertThat(encode(code, fromCode, inRun, thrown, hostile)).isEqualTo(viaXml);
                assertThat(viaXml.contains(" run=42 - ")).isEqualTo(inRun);
            }
        }
        xml.stop();
        code.stop();
    }

    /** {@code ${OFFLOAD_LOG_LEVEL:-INFO}}: the same root level as Joran's for the same value, odd ones included. */
    @ParameterizedTest
    @ValueSource(strings = {"DEBUG", "warn", " ERROR ", "TRACE", "loud", "", "  "})
    void rootLevelFromTheEnvironmentAsJoranReadsIt(String value) throws JoranException {
        LoggerContext xml = fromLogbackXml(Map.of(ConsoleLogConfigurator.LEVEL_VARIABLE, value));
        LoggerContext code = fromCode(NONE, env(value));

        assertThat(code.getLogger(Logger.ROOT_LOGGER_NAME).getLevel())
                .isEqualTo(xml.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
    }

    @Test
    void aSystemPropertyComesBeforeTheEnvironmentAndNeitherMeansInfo() {
        UnaryOperator<String> property = name -> ConsoleLogConfigurator.LEVEL_VARIABLE.equals(name) ? "WARN" : null;
        assertThat(fromCode(property, env("DEBUG")).getLogger(Logger.ROOT_LOGGER_NAME).getLevel())
                .isEqualTo(Level.WARN);
        assertThat(fromCode(NONE, NONE).getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void handsOverForAConfigurationFileATestConfigurationOrLogbackDebug() {
        for (UnaryOperator<String> property : List.<UnaryOperator<String>>of(
                name -> "logback.configurationFile".equals(name) ? "/etc/synapse-media-offload/logback.xml" : null,
                name -> "logback.debug".equals(name) ? "true" : null)) {
            assertHandsOver(new ConsoleLogConfigurator(property, NONE, resource -> false));
        }
        assertHandsOver(new ConsoleLogConfigurator(NONE, NONE, "logback-test.xml"::equals));

        UnaryOperator<String> debugOff = name -> "logback.debug".equals(name) ? "false" : null;
        assertThat(configure(new ConsoleLogConfigurator(debugOff, NONE, "logback.xml"::equals), context()))
                .isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    }

    /** Registered as a service, and in this JVM (logback-test.xml on the class path) logback's search was used. */
    @Test
    void isFoundByLogbackAndSteppedAsideForTheTestConfiguration() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(ConsoleLogConfigurator.class);
        LoggerContext running = (LoggerContext) LoggerFactory.getILoggerFactory();
        // logback-test.xml's levels, not logback.xml's: root WARN, our packages INFO.
        assertThat(running.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
        assertThat(running.getLogger("org.mediaoffload").getLevel()).isEqualTo(Level.INFO);
    }

    private static void assertHandsOver(ConsoleLogConfigurator configurator) {
        LoggerContext context = context();
        assertThat(configure(configurator, context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.iteratorForAppenders()).toIterable().isEmpty();
        assertThat(Stream.of("software.amazon.awssdk", "org.quartz").map(n -> context.getLogger(n).getLevel()))
                .containsOnlyNulls();
    }

    private static String encode(LoggerContext context, ConsoleAppender<ILoggingEvent> appender, boolean inRun,
            Exception thrown, String argument) {
        LoggingEvent event = new LoggingEvent(Logger.FQCN, context.getLogger("org.mediaoffload.pipeline.DeletionStage"),
                Level.WARN, "Could not delete {}\nsecond line of the template", thrown, new Object[] {argument});
        event.setInstant(Instant.parse("2026-12-01T18:04:05.678Z"));
        event.setThreadName("offload-transfer-3");
        event.setMDCPropertyMap(inRun ? Map.of("run", "42") : Map.of());
        return new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static ConsoleAppender<ILoggingEvent> console(LoggerContext context) {
        return (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender(ConsoleLogConfigurator.APPENDER);
    }

    private static LoggerContext fromLogbackXml(Map<String, String> properties) throws JoranException {
        LoggerContext context = context();
        properties.forEach(context::putProperty);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(ConsoleLogConfiguratorTest.class.getResource("/logback.xml"));
        return context;
    }

    private static LoggerContext fromCode(UnaryOperator<String> property, UnaryOperator<String> environment) {
        LoggerContext context = context();
        assertThat(configure(new ConsoleLogConfigurator(property, environment, resource -> false), context))
                .isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        return context;
    }

    /** As logback's ContextInitializer calls a configurator. */
    private static Configurator.ExecutionStatus configure(ConsoleLogConfigurator configurator, LoggerContext context) {
        configurator.setContext(context);
        return configurator.configure(context);
    }

    private static LoggerContext context() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        return context;
    }

    private static UnaryOperator<String> env(String value) {
        return name -> ConsoleLogConfigurator.LEVEL_VARIABLE.equals(name) ? value : null;
    }
}
