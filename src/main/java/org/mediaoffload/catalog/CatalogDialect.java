package org.mediaoffload.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.mediaoffload.pipeline.MediaRef;

/** The re-read queries, which look up many keys at once and so differ between the engines. */
interface CatalogDialect {

    /** Selects {@link MediaRows#local()} of the local rows with these media ids. */
    PreparedStatement localReread(Connection connection, List<String> mediaIds) throws SQLException;

    /** Selects {@link MediaRows#remote(String)} of the remote rows with these (origin, media_id) keys. */
    PreparedStatement remoteReread(Connection connection, List<MediaRef> refs) throws SQLException;

    /** Selects {@link MediaRows#local()} of the eligible local rows with these media ids. */
    PreparedStatement localEligible(Connection connection, List<String> mediaIds, long cutoffMs) throws SQLException;

    /**
     * Selects {@link MediaRows#remote(String)} of the eligible remote rows of one origin with these filesystem ids.
     * Synapse has no index on filesystem_id: the query reads the origin's rows through the unique
     * (media_origin, media_id) index once and matches the ids as a set, so its cost is the origin's row count,
     * whatever the number of ids.
     */
    PreparedStatement remoteEligible(Connection connection, String origin, List<String> filesystemIds, long cutoffMs)
            throws SQLException;
}
