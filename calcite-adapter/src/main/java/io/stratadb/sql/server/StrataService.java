package io.stratadb.sql.server;

import java.sql.SQLException;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.LocalService;

/**
 * Avatica's local service with StrataDB's SQLSTATEs carried to remote clients: a failure whose cause chain
 * holds a SQLException with a SQLSTATE is sent as that state and message instead of Avatica's unknown state.
 *
 * <p>Invariants: every request kind that runs SQL or ends a transaction translates its failures.
 *
 * <p>Thread safety: thread-safe, as {@link LocalService}.
 */
final class StrataService extends LocalService {
    StrataService(Meta meta) {
        super(meta);
    }

    /** The remote form of a server-side failure. */
    static RuntimeException remote(RuntimeException e) {
        int depth = 0;
        for (Throwable c = e; c != null && depth < 50; c = c.getCause(), depth++) {
            if (c instanceof SQLException s
                    && s.getSQLState() != null
                    && s.getSQLState().length() == 5) {
                return new AvaticaRuntimeException(
                        String.valueOf(s.getMessage()), s.getErrorCode(), s.getSQLState(), AvaticaSeverity.ERROR);
            }
        }
        return e;
    }

    @Override
    public PrepareResponse apply(PrepareRequest request) {
        try {
            return super.apply(request);
        } catch (RuntimeException e) {
            throw remote(e);
        }
    }

    @Override
    public ExecuteResponse apply(PrepareAndExecuteRequest request) {
        try {
            return super.apply(request);
        } catch (RuntimeException e) {
            throw remote(e);
        }
    }

    @Override
    public ExecuteResponse apply(ExecuteRequest request) {
        try {
            return super.apply(request);
        } catch (RuntimeException e) {
            throw remote(e);
        }
    }

    @Override
    public FetchResponse apply(FetchRequest request) {
        try {
            return super.apply(request);
        } catch (RuntimeException e) {
            throw remote(e);
        }
    }

    @Override
    public ConnectionSyncResponse apply(ConnectionSyncRequest request) {
        try {
            return super.apply(request);
        } catch (RuntimeException e) {
            throw remote(e);
        }
    }

    @Override
    public CommitResponse apply(CommitRequest request) {
        try {
            return super.apply(request);
        } catch (RuntimeException e) {
            throw remote(e);
        }
    }

    @Override
    public RollbackResponse apply(RollbackRequest request) {
        try {
            return super.apply(request);
        } catch (RuntimeException e) {
            throw remote(e);
        }
    }

    @Override
    public ExecuteBatchResponse apply(PrepareAndExecuteBatchRequest request) {
        try {
            return super.apply(request);
        } catch (RuntimeException e) {
            throw remote(e);
        }
    }

    @Override
    public ExecuteBatchResponse apply(ExecuteBatchRequest request) {
        try {
            return super.apply(request);
        } catch (RuntimeException e) {
            throw remote(e);
        }
    }

    @Override
    public OpenConnectionResponse apply(OpenConnectionRequest request) {
        try {
            return super.apply(request);
        } catch (RuntimeException e) {
            throw remote(e);
        }
    }
}
