package org.mediaoffload.catalog;

import java.sql.Connection;
import org.mediaoffload.pipeline.CatalogException;

/** Opens read-only connections to Synapse's database, configured for one engine. */
interface ConnectionSource {

    /** A new read-only connection with autocommit off, so every unit of work is its own short transaction. */
    Connection open() throws CatalogException;

    /** Where the database is, for messages: host, port and database, or the SQLite file. Never a secret. */
    String describe();
}
