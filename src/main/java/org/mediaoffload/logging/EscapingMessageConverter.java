package org.mediaoffload.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.slf4j.helpers.MessageFormatter;

/**
 * {@code %msg} with every argument escaped by {@link LogText}: paths, media ids and error messages that come from disk
 * or Synapse's database cannot break a log line. The message pattern itself is our code and keeps its line breaks (the
 * effective configuration is logged as one multi-line entry on purpose). Registered for {@code msg} in logback.xml, so
 * every log line of the daemon goes through it.
 */
public final class EscapingMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        Object[] args = event.getArgumentArray();
        if (args == null || args.length == 0) {
            return event.getFormattedMessage();
        }
        Object[] escaped = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            escaped[i] = arg == null || arg.getClass().isArray() ? arg : LogText.escape(String.valueOf(arg));
        }
        return MessageFormatter.basicArrayFormat(event.getMessage(), escaped);
    }
}
