package org.mediaoffload.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.DatabaseConfig;
import org.mediaoffload.pipeline.CatalogException;
import org.mediaoffload.pipeline.MediaCatalog;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRef;
import org.mediaoffload.testing.DatabaseConfigBuilder;
import org.mediaoffload.testing.SynapseSchema;
import org.mediaoffload.testing.TestPostgres;
import org.mediaoffload.testing.UnixSocketRelay;

/** Waits on Synapse's database end with a message that says what happened: a lock, a login, a silent server. */
class DatabaseWaitsTest {
    private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path tmp;

    @SuppressWarnings("try") // opening is the test: the catalog is only closed
    @Test
    void aSqliteFileWriteLockedByAnotherProcessIsReportedAsLockedNotAsTheWrongDatabase() throws Exception {
        Path file = tmp.resolve("homeserver.db");
        try (Connection synapse = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            SynapseSchema.applySqlite(synapse);
        }
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = holder.createStatement()) {
            // A real write lock: in rollback-journal mode an exclusive transaction keeps every reader out.
            st.execute("PRAGMA journal_mode = DELETE");
            st.execute("BEGIN EXCLUSIVE");
            st.execute("DELETE FROM local_media_repository");

            CompletableFuture<Throwable> open = CompletableFuture.supplyAsync(() -> {
                try (MediaCatalog catalog = SynapseCatalogs.open(sqlite(file))) {
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });

            await().atMost(Duration.ofSeconds(60)).until(open::isDone);
            assertThat(open.join()).isInstanceOf(CatalogException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("is locked")
                    .hasMessageContaining("try again")
                    .hasMessageContaining("fuser")
                    .hasMessageNotContaining("not Synapse's main database");
            st.execute("ROLLBACK");
        }
        // Released, the same file opens.
        try (MediaCatalog catalog = SynapseCatalogs.open(sqlite(file))) {
            catalog.ping();
        }
    }

    @SuppressWarnings("try") // opening is the test: the catalog is only closed
    @Test
    void aUnixSocketThatNeverAnswersTheLoginEndsWithinTheLoginTimeout() throws Exception {
        try (TestPostgres.Database db = TestPostgres.createDatabase();
                UnixSocketRelay relay = new UnixSocketRelay(tmp.resolve(".s.PGSQL.5432"), db.port())) {
            relay.freeze();

            CompletableFuture<Throwable> open = CompletableFuture.supplyAsync(() -> {
                try (MediaCatalog catalog = SynapseCatalogs.open(viaSocket(db))) {
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });

            await().atMost(LOGIN_TIMEOUT.plusSeconds(10)).until(open::isDone);
            assertThat(open.join()).isInstanceOf(CatalogException.class)
                    .hasMessageContaining("Unix socket " + tmp.resolve(".s.PGSQL.5432"))
                    .hasMessageContaining("offload.database.login-timeout");
        }
    }

    @Test
    void aUnixSocketThatStopsAnsweringMidSessionEndsWithinTheSocketTimeout() throws Exception {
        try (TestPostgres.Database db = TestPostgres.createDatabase();
                UnixSocketRelay relay = new UnixSocketRelay(tmp.resolve(".s.PGSQL.5432"), db.port())) {
            try (Connection c = db.connect()) {
                SynapseSchema.applyPostgres(c);
            }
            try (MediaCatalog catalog = SynapseCatalogs.open(viaSocket(db))) {
                relay.freeze();

                CompletableFuture<Throwable> reread = CompletableFuture.supplyAsync(() -> {
                    try {
                        catalog.reread(List.of(new MediaRef(MediaKind.LOCAL, "", "someMediaId")));
                        return null;
                    } catch (RuntimeException e) {
                        return e;
                    }
                });

                await().atMost(SOCKET_TIMEOUT.multipliedBy(2).plusSeconds(10)).until(reread::isDone);
                assertThat(reread.join()).isInstanceOf(CatalogException.class)
                        .hasMessageContaining("did not answer within offload.database.socket-timeout");
            }
        }
    }

    private DatabaseConfig viaSocket(TestPostgres.Database db) {
        return DatabaseConfigBuilder.postgres(tmp.toString(), 5432).name(Optional.of(db.name()))
                .user(Optional.of(db.user())).password(db.password().map(org.mediaoffload.config.Secret::new))
                .statementTimeout(Duration.ofSeconds(1)).loginTimeout(LOGIN_TIMEOUT).socketTimeout(SOCKET_TIMEOUT)
                .fetchSize(10).build();
    }

    private static DatabaseConfig sqlite(Path file) {
        return DatabaseConfigBuilder.sqlite(file).port(0).statementTimeout(Duration.ofSeconds(5)).fetchSize(10).build();
    }
}
