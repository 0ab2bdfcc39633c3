package org.mediaoffload.logging;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.DynamicConverter;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.Loader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The shipped logback.xml, built in code: logback finds this through {@code META-INF/services} before its own XML
 * configurator, so a start does not load Joran (its model processors and the JDK's XML parser: ~630 classes, a few
 * hundred milliseconds of CPU on a cold JVM before the first PUT). logback.xml stays in the jar as the reference and
 * as what an operator copies to change it; {@code ConsoleLogConfiguratorTest} keeps the two producing the same lines.
 *
 * <p>Hands over to logback's own search (and so to Joran) when asked for something else: {@code
 * -Dlogback.configurationFile}, a {@code logback-test.xml} on the class path (the tests'), or {@code -Dlogback.debug}
 * (Joran prints its status then).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class ConsoleLogConfigurator extends ContextAwareBase implements Configurator {
    /** logback.xml's pattern: journald adds its own timestamps, so it stays short; the run id when there is one. */
    static final String PATTERN =
            "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20}%replace( run=%X{run}){' run=$', ''} - %msg%n%ex";
    static final String APPENDER = "STDERR";
    static final String LEVEL_VARIABLE = "OFFLOAD_LOG_LEVEL";
    /** logback's own switch for printing its status (Joran honours it; this class hands over to Joran for it). */
    private static final String DEBUG_PROPERTY = "logback.debug";
    /** Libraries that are chatty at INFO: only their warnings are ours to show. */
    static final List<String> WARN_ONLY = List.of("software.amazon.awssdk", "org.apache.http", "org.quartz",
            "org.eclipse.jetty", "org.gaul", "org.jclouds");

    private final UnaryOperator<String> systemProperty;
    private final UnaryOperator<String> environment;
    private final Predicate<String> onClassPath;

    /** As logback's ServiceLoader creates it. */
    public ConsoleLogConfigurator() {
        this(System::getProperty, System::getenv,
                name -> Loader.getResource(name, ConsoleLogConfigurator.class.getClassLoader()) != null);
    }

    ConsoleLogConfigurator(UnaryOperator<String> systemProperty, UnaryOperator<String> environment,
            Predicate<String> onClassPath) {
        this.systemProperty = requireNonNull(systemProperty, "systemProperty is null");
        this.environment = requireNonNull(environment, "environment is null");
        this.onClassPath = requireNonNull(onClassPath, "onClassPath is null");
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (systemProperty.apply(ClassicConstants.CONFIG_FILE_PROPERTY) != null
                || onClassPath.test(ClassicConstants.TEST_AUTOCONFIG_FILE) || debugAsked()) {
            addInfo("Leaving the configuration to logback's own search");
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        registerEscapingConverters(context);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setTarget("System.err");
        encoder.setParent(appender);
        encoder.start();
        appender.setEncoder(encoder);
        appender.start();
        for (String name : WARN_ONLY) {
            context.getLogger(name).setLevel(Level.WARN);
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        rootLevel().ifPresent(root::setLevel);
        root.addAppender(appender);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code ${OFFLOAD_LOG_LEVEL:-INFO}} as Joran reads it: system property, then environment; blank leaves DEBUG. */
    private Optional<Level> rootLevel() {
        String value = systemProperty.apply(LEVEL_VARIABLE);
        if (value == null) {
            value = environment.apply(LEVEL_VARIABLE);
        }
        if (value == null) {
            value = "INFO";
        }
        return value.isBlank() ? Optional.empty() : Optional.of(Level.toLevel(value));
    }

    private boolean debugAsked() {
        String debug = systemProperty.apply(DEBUG_PROPERTY);
        return debug != null && !debug.isBlank() && !"false".equalsIgnoreCase(debug) && !"null".equalsIgnoreCase(debug);
    }

    /** logback.xml's conversionRule elements: arguments and exception messages escaped (see {@link LogText}). */
    private static void registerEscapingConverters(LoggerContext context) {
        @SuppressWarnings("unchecked")
        Map<String, Supplier<DynamicConverter<?>>> rules = (Map<String, Supplier<DynamicConverter<?>>>) context
                .getObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS);
        if (rules == null) {
            rules = new HashMap<>();
            context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);
        }
        rules.put("msg", EscapingMessageConverter::new);
        rules.put("ex", EscapingThrowableConverter::new);
    }
}
