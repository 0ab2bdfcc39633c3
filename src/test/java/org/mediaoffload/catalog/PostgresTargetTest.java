package org.mediaoffload.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.config.Secret;
import org.mediaoffload.pipeline.CatalogException;
import org.mediaoffload.testing.DatabaseConfigBuilder;

/** How database.yaml / homeserver.yaml settings become a PgJDBC URL and properties. */
class PostgresTargetTest {

    @Test
    void passesLibpqOptionsPgJdbcUnderstandsAndDropsTheRest() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("sslmode", "verify-full");
        options.put("sslrootcert", "/etc/ssl/pg-ca.pem");
        options.put("keepalives", "0");
        options.put("connect_timeout", "3");
        options.put("target_session_attrs", "read-write");
        options.put("cp_min", "5");
        options.put("cp_reconnect", "true");
        options.put("application_name", "synapse");
        options.put("keepalives_idle", "30");
        PostgresTarget target = PostgresTarget.from(config(Optional.of("db.example.org"), options));

        Properties p = target.properties();
        assertThat(target.url()).isEqualTo("jdbc:postgresql://db.example.org:5433/synapse%20db");
        assertThat(p.getProperty("sslmode")).isEqualTo("verify-full");
        assertThat(p.getProperty("sslrootcert")).isEqualTo("/etc/ssl/pg-ca.pem");
        assertThat(p.getProperty("tcpKeepAlive")).isEqualTo("false");
        assertThat(p.getProperty("connectTimeout")).isEqualTo("3");
        assertThat(p.getProperty("targetServerType")).isEqualTo("primary");
        assertThat(p.getProperty("ApplicationName")).isEqualTo("synapse-media-offload");
        assertThat(p.getProperty("readOnly")).isEqualTo("true");
        assertThat(p.getProperty("socketTimeout")).isEqualTo("90");
        assertThat(p.stringPropertyNames()).doesNotContain("cp_min", "cp_reconnect", "keepalives_idle",
                "application_name");
    }

    @Test
    void aHostStartingWithSlashIsASocketDirectory() {
        PostgresTarget target = PostgresTarget.from(config(Optional.of("/run-postgres"), Map.of("sslmode", "require")));
        assertThat(target.properties().getProperty("socketFactory"))
                .isEqualTo("org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
        assertThat(target.properties().getProperty("socketFactoryArg")).isEqualTo("/run-postgres/.s.PGSQL.5433");
        assertThat(target.properties().getProperty("sslmode")).isEqualTo("disable");
        assertThat(target.description()).contains("/run-postgres/.s.PGSQL.5433", "synapse db", "synapse_user");
    }

    @Test
    void descriptionAndToStringNeverHoldThePassword() {
        PostgresTarget target = PostgresTarget.from(config(Optional.of("::1"), Map.of()));
        assertThat(target.url()).startsWith("jdbc:postgresql://[::1]:5433/");
        assertThat(target.properties().getProperty("password")).isEqualTo("s3cret-pass");
        assertThat(target.description()).doesNotContain("s3cret-pass");
        assertThat(target.toString()).doesNotContain("s3cret-pass");
    }

    @Test
    void rejectsAUrlThatIsNotJdbc() {
        DatabaseConfig c = DatabaseConfigBuilder.postgresUrl("postgres://u:pw@h/db").fetchSize(10).build();
        assertThatThrownBy(() -> PostgresTarget.from(c))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("offload.database.url")
                .hasMessageNotContaining("pw@");
    }

    private static DatabaseConfig config(Optional<String> host, Map<String, String> options) {
        return DatabaseConfigBuilder.postgres().host(host).port(5433).name(Optional.of("synapse db"))
                .user(Optional.of("synapse_user")).password(Optional.of(new Secret("s3cret-pass")))
                .libpqOptions(options).fetchSize(10).build();
    }
}
