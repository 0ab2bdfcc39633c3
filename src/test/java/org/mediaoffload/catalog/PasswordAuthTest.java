package org.mediaoffload.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.config.Secret;
import org.mediaoffload.pipeline.CatalogException;
import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaCatalog;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRow;
import org.mediaoffload.testing.DatabaseConfigBuilder;
import org.mediaoffload.testing.SynapseFixture;
import org.mediaoffload.testing.SynapseSchema;

/** Against a server that checks passwords: the right one works over TCP and socket, a wrong one is named. */
class PasswordAuthTest {

    private static PasswordPostgres server;

    @BeforeAll
    static void start() throws Exception {
        server = PasswordPostgres.start();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres",
                "postgres", PasswordPostgres.PASSWORD); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE synapse");
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/synapse",
                "postgres", PasswordPostgres.PASSWORD)) {
            SynapseSchema.applyPostgres(c);
            new SynapseFixture(c).insertLocal("abcdefghijklmnopqrstuvwx", 42L, 1_000, null, null, null);
        }
    }

    @AfterAll
    static void stop() throws IOException, InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theRightPasswordReadsOverTcpAndOverTheSocket() {
        for (String host : List.of("127.0.0.1", server.socketDir().toString())) {
            try (MediaCatalog catalog = SynapseCatalogs.open(config(host, PasswordPostgres.PASSWORD))) {
                List<MediaRow> rows = new ArrayList<>();
                catalog.eligibleAmong(2_000, true,
                        List.of(new DiskMediaId(MediaKind.LOCAL, "", "abcdefghijklmnopqrstuvwx")), rows::add);
                assertThat(rows).as("via %s", host).extracting(MediaRow::mediaId)
                        .containsExactly("abcdefghijklmnopqrstuvwx");
            }
        }
    }

    @Test
    void aWrongPasswordIsALoginFailureThatDoesNotRepeatIt() throws SQLException {
        String wrong = "wrong-password-91c2";
        CatalogException e = catchThrowableOfType(CatalogException.class,
                () -> SynapseCatalogs.open(config("127.0.0.1", wrong)).close());
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("Could not log in", "synapse", "127.0.0.1", "password authentication",
                "offload.database.password");
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(t.toString()).doesNotContain(wrong).doesNotContain(PasswordPostgres.PASSWORD);
        }
    }

    private static DatabaseConfig config(String host, String password) {
        return DatabaseConfigBuilder.postgres(host, server.port()).name(Optional.of("synapse"))
                .user(Optional.of("postgres")).password(Optional.of(new Secret(password))).build();
    }
}
