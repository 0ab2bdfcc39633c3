CREATE TABLE local_media_repository (
    media_id TEXT, media_type TEXT, media_length INTEGER, created_ts BIGINT,
    upload_name TEXT, user_id TEXT, quarantined_by TEXT, url_cache TEXT,
    last_access_ts BIGINT, safe_from_quarantine BOOLEAN NOT NULL DEFAULT 0,
    authenticated BOOLEAN DEFAULT FALSE NOT NULL, sha256 TEXT,
    UNIQUE (media_id)
);
CREATE INDEX users_have_local_media ON local_media_repository (user_id, created_ts);
CREATE INDEX local_media_repository_url_idx ON local_media_repository (created_ts) WHERE url_cache IS NOT NULL;
CREATE INDEX local_media_repository_sha256 ON local_media_repository (sha256) WHERE sha256 IS NOT NULL;

CREATE TABLE local_media_repository_thumbnails (
    media_id TEXT, thumbnail_width INTEGER, thumbnail_height INTEGER,
    thumbnail_type TEXT, thumbnail_method TEXT, thumbnail_length INTEGER,
    UNIQUE (media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method)
);
CREATE INDEX local_media_repository_thumbnails_media_id ON local_media_repository_thumbnails (media_id);

CREATE TABLE local_media_repository_url_cache (
    url TEXT, response_code INTEGER, etag TEXT, expires_ts BIGINT,
    og TEXT, media_id TEXT, download_ts BIGINT
);
CREATE INDEX local_media_repository_url_cache_expires_idx ON local_media_repository_url_cache (expires_ts);
CREATE INDEX local_media_repository_url_cache_by_url_download_ts ON local_media_repository_url_cache (url, download_ts);
CREATE INDEX local_media_repository_url_cache_media_idx ON local_media_repository_url_cache (media_id);

CREATE TABLE remote_media_cache (
    media_origin TEXT, media_id TEXT, media_type TEXT, created_ts BIGINT,
    upload_name TEXT, media_length INTEGER, filesystem_id TEXT,
    last_access_ts BIGINT, quarantined_by TEXT,
    authenticated BOOLEAN DEFAULT FALSE NOT NULL, sha256 TEXT,
    UNIQUE (media_origin, media_id)
);
CREATE INDEX remote_media_cache_sha256 ON remote_media_cache (sha256) WHERE sha256 IS NOT NULL;

CREATE TABLE remote_media_cache_thumbnails (
    media_origin TEXT, media_id TEXT, thumbnail_width INTEGER, thumbnail_height INTEGER,
    thumbnail_method TEXT, thumbnail_type TEXT, thumbnail_length INTEGER, filesystem_id TEXT,
    UNIQUE (media_origin, media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method)
);
