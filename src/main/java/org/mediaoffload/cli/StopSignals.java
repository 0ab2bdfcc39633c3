package org.mediaoffload.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * Turns SIGTERM and SIGINT into an orderly stop that ends with exit code 0. Left to the JVM's default, SIGTERM runs
 * the shutdown hooks and exits 143, which systemd reports as a failure unless told otherwise. Public for the demo
 * jar's entry point.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is the JDK's only API for signal handlers. javac warns about
 * every reference to it and offers no way to suppress that warning; the build compiles with {@code -Werror}, so
 * the API is reached by reflection (the DemoJarIT and daemon tests stop child JVMs with SIGTERM and expect 0).
 */
public final class StopSignals {
    private StopSignals() {}

    public static void onTermOrInt(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                    handlerFor(action));
            Method handle = signal.getMethod("handle", signal, handlerType);
            for (String name : List.of("TERM", "INT")) {
                handle.invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot install the SIGTERM/SIGINT handlers", e);
        }
    }

    private static InvocationHandler handlerFor(Runnable action) {
        return (proxy, method, args) -> switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "StopSignals handler";
            default -> {
                action.run(); // SignalHandler.handle(Signal)
                yield null;
            }
        };
    }
}
