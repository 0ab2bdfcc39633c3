package org.mediaoffload.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Which S3 server a test class based on {@link S3ProxyTestBase} runs against; without it, S3Proxy. The RGW variant of
 * a suite is a subclass with {@code @S3Store(Kind.RGW)} and no body, so every test of the suite runs on both servers.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
public @interface S3Store {
    Kind value();

    enum Kind {
        /** S3Proxy 4.1.1 in-process, in-memory {@code transient-nio2} store. */
        S3PROXY,
        /** Ceph RADOS Gateway 16.2 (Debian's packages), a throwaway single-node cluster. */
        RGW;

        /** The server for {@code testClass}: its {@link S3Store} annotation, S3Proxy without one. */
        public static Kind of(Class<?> testClass) {
            S3Store store = testClass.getAnnotation(S3Store.class);
            return store == null ? S3PROXY : store.value();
        }

        /** A server of this kind: a new S3Proxy, or a handle on the JVM's RGW (started on first use). */
        public S3TestServer open() {
            return this == RGW ? RgwServer.shared() : S3ProxyServer.start();
        }
    }
}
