package io.stratadb.sql.jdbc;

import io.stratadb.api.CheckpointInfo;
import io.stratadb.api.Engine;
import io.stratadb.api.TimestampKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A {@code jdbc:strata:} connection's administrative face, reached with {@code
 * connection.unwrap(StrataConnection.class)}.
 *
 * <p>Each operation is the engine operation of the same name; failures arrive as {@link SQLException}s with
 * the engine's SQLSTATE (for example 0A000, as {@link java.sql.SQLFeatureNotSupportedException}, for an
 * operation the engine does not implement yet).
 *
 * <p>Invariants: every operation acts on the engine shared by all connections to the same database, not on
 * this connection's transaction.
 *
 * <p>Thread safety: as for the connection: one thread at a time.
 */
public interface StrataConnection extends Connection {
    /** The open engine this connection uses (shared with every connection to the same path). */
    Engine engine() throws SQLException;

    /** Runs a checkpoint and returns it. */
    CheckpointInfo checkpoint() throws SQLException;

    /** Makes this follower node the leader. */
    void stepUp() throws SQLException;

    /** Makes this leader node a follower. */
    void stepDown() throws SQLException;

    /** On a follower, adopts the newest completed checkpoint. */
    Optional<CheckpointInfo> pickUpCheckpoint() throws SQLException;

    /** Moves a global timestamp (application timestamp mode). */
    void setTimestamp(TimestampKind kind, long value) throws SQLException;

    /** Aborts every update newer than the stable timestamp. */
    void rollbackToStable() throws SQLException;
}
