package org.mediaoffload.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaRef;

/** The re-read queries, which look up many keys at once and so differ between the engines. */
interface CatalogDialect {

    /** Selects {@link MediaRows#local()} of the local rows with these media ids. */
    PreparedStatement localReread(Connection connection, List<String> mediaIds) throws SQLException;

    /** Selects {@link MediaRows#remote(String)} of the remote rows with these (origin, media_id) keys. */
    PreparedStatement remoteReread(Connection connection, List<MediaRef> refs) throws SQLException;

    /** Selects {@link MediaRows#local()} of the eligible local rows with these media ids. */
    PreparedStatement localEligible(Connection connection, List<String> mediaIds, long cutoffMs) throws SQLException;

    /** Selects {@link MediaRows#remote(String)} of the eligible remote rows with these (origin, filesystem_id). */
    PreparedStatement remoteEligible(Connection connection, List<DiskMediaId> ids, long cutoffMs) throws SQLException;
}
