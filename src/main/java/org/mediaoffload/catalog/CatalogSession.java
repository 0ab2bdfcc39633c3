package org.mediaoffload.catalog;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import org.mediaoffload.pipeline.CatalogException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kept connection on which every unit of work is its own short read-only transaction. The connection is
 * reopened after it breaks (a database restart between two pages costs one retry, not the run).
 * Synchronized so the scan and a concurrent re-read take turns on the one connection. {@link #close} does not wait
 * for a unit of work in progress: it aborts that connection (its socket is closed, the waiting query fails), so a
 * run that ended without an unanswered query (a deletion re-check abandoned at offload.max-run-duration) does not
 * keep the engine from closing for offload.database.socket-timeout.
 */
final class CatalogSession implements AutoCloseable {

    /** What runs inside one transaction. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(CatalogSession.class);

    private final ConnectionSource source;
    private Connection connection;
    private long connectionLosses;
    /** The connection a unit of work is running on, for {@link #close} to abort without taking the lock. */
    private volatile Connection inUse;
    private volatile boolean closed;

    CatalogSession(ConnectionSource source) {
        this.source = requireNonNull(source, "source is null");
    }

    String describe() {
        return source.describe();
    }

    /** Runs {@code work} in one transaction and ends it (rollback: nothing is ever written). */
    synchronized <T> T inTransaction(Work<T> work) {
        requireNonNull(work, "work is null");
        if (closed) {
            throw ConnectFailure.query(source.describe(), new SQLException("the catalog session is closed"));
        }
        try {
            return attempt(work);
        } catch (SQLException first) {
            boolean lost = isConnectionLost(first);
            discardConnection(first);
            if (ConnectFailure.isTimeout(first)) {
                // A database that stopped answering: reconnecting would wait as long again (login, then the
                // query), and the run is better ended now with nothing more deleted.
                throw ConnectFailure.noAnswer(source.describe(), first);
            }
            if (!lost || closed) {
                throw ConnectFailure.query(source.describe(), first);
            }
            LOG.warn("Connection to {} was lost ({}); reconnecting once", source.describe(), first.getMessage());
            connectionLosses++;
            try {
                return attempt(work);
            } catch (SQLException second) {
                second.addSuppressed(first);
                discardConnection(second);
                throw ConnectFailure.query(source.describe(), second);
            }
        }
    }

    /** Connections found lost so far (each followed by one reconnect). */
    synchronized long connectionLosses() {
        return connectionLosses;
    }

    private <T> T attempt(Work<T> work) throws SQLException {
        if (connection == null) {
            connection = source.open();
        }
        inUse = connection;
        try {
            T result = work.run(connection);
            // Read-only work: ending with rollback makes plain that nothing can have been written.
            connection.rollback();
            return result;
        } finally {
            inUse = null;
        }
    }

    /**
     * Class 08 is a broken connection; 57P01-57P03 is the server shutting down or restarting (what an admin's
     * restart or pg_terminate_backend looks like). A driver that gives no state still shows a closed connection.
     */
    private boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P0")) {
            return true;
        }
        try {
            return connection != null && connection.isClosed();
        } catch (SQLException closedCheck) {
            return true;
        }
    }

    private void discardConnection(SQLException cause) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        connection = null;
    }

    @Override
    public void close() {
        closed = true;
        Connection busy = inUse;
        if (busy != null) {
            try {
                // JDBC's abort: the driver closes the socket at once, without the lock the waiting query holds.
                busy.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                LOG.debug("aborting the busy connection to {} failed; waiting for it", source.describe(), e);
            }
        }
        closeConnection();
    }

    private synchronized void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the connection to {} failed", source.describe(), e);
            }
            connection = null;
        }
    }
}
