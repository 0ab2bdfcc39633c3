package org.mediaoffload.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Synapse's media tables as a schema-94 server has them (copied verbatim from
 * shared/reference/synapse-media.md section 1.8, which was checked against both engines).
 */
public final class SynapseSchema {

    public static final String POSTGRES_DDL = """
            CREATE TABLE local_media_repository (
                media_id text, media_type text, media_length integer, created_ts bigint,
                upload_name text, user_id text, quarantined_by text, url_cache text,
                last_access_ts bigint,
                safe_from_quarantine boolean DEFAULT false NOT NULL,
                authenticated boolean DEFAULT false NOT NULL,
                sha256 text,
                CONSTRAINT local_media_repository_media_id_key UNIQUE (media_id)
            );
            CREATE INDEX users_have_local_media ON local_media_repository (user_id, created_ts);
            CREATE INDEX local_media_repository_url_idx ON local_media_repository (created_ts) WHERE url_cache IS NOT NULL;
            CREATE INDEX local_media_repository_sha256 ON local_media_repository (sha256) WHERE sha256 IS NOT NULL;

            CREATE TABLE local_media_repository_thumbnails (
                media_id text, thumbnail_width integer, thumbnail_height integer,
                thumbnail_type text, thumbnail_method text, thumbnail_length integer
            );
            CREATE UNIQUE INDEX local_media_repository_thumbn_media_id_width_height_method_key
                ON local_media_repository_thumbnails (media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method);
            CREATE INDEX local_media_repository_thumbnails_media_id ON local_media_repository_thumbnails (media_id);

            CREATE TABLE local_media_repository_url_cache (
                url text, response_code integer, etag text, expires_ts bigint,
                og text, media_id text, download_ts bigint
            );
            CREATE INDEX local_media_repository_url_cache_by_url_download_ts ON local_media_repository_url_cache (url, download_ts);
            CREATE INDEX local_media_repository_url_cache_expires_idx ON local_media_repository_url_cache (expires_ts);
            CREATE INDEX local_media_repository_url_cache_media_idx ON local_media_repository_url_cache (media_id);

            CREATE TABLE remote_media_cache (
                media_origin text, media_id text, media_type text, created_ts bigint,
                upload_name text, media_length integer, filesystem_id text,
                last_access_ts bigint, quarantined_by text,
                authenticated boolean DEFAULT false NOT NULL,
                sha256 text,
                CONSTRAINT remote_media_cache_media_origin_media_id_key UNIQUE (media_origin, media_id)
            );
            CREATE INDEX remote_media_cache_sha256 ON remote_media_cache (sha256) WHERE sha256 IS NOT NULL;

            CREATE TABLE remote_media_cache_thumbnails (
                media_origin text, media_id text, thumbnail_width integer, thumbnail_height integer,
                thumbnail_method text, thumbnail_type text, thumbnail_length integer, filesystem_id text
            );
            CREATE UNIQUE INDEX remote_media_repository_thumbn_media_origin_id_width_height_met
                ON remote_media_cache_thumbnails (media_origin, media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method);
            """;

    /** Synapse's SQLite DDL: the same file the demo builds its sample homeserver.db from. */
    public static final String SQLITE_DDL = readResource("/org/mediaoffload/demo/synapse-schema-sqlite.sql");


    private SynapseSchema() {}

    public static void applyPostgres(Connection connection) throws SQLException {
        apply(connection, POSTGRES_DDL);
    }

    public static void applySqlite(Connection connection) throws SQLException {
        apply(connection, SQLITE_DDL);
    }

    private static void apply(Connection connection, String ddl) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (String statement : ddl.split(";")) {
                if (!statement.isBlank()) {
                    st.execute(statement);
                }
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    private static String readResource(String name) {
        try (java.io.InputStream in = SynapseSchema.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
