package io.stratadb.sql.xa;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.ErrorCode;
import io.stratadb.sql.jdbc.ConnectionSession;
import io.stratadb.sql.jdbc.SqlErrors;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.ConnectionEvent;
import javax.sql.ConnectionEventListener;
import javax.sql.StatementEventListener;
import javax.sql.XAConnection;
import javax.transaction.xa.XAResource;
import org.jspecify.annotations.Nullable;

/**
 * A pooled StrataDB connection for a transaction manager: one physical {@code jdbc:strata:} connection, its
 * {@link StrataXAResource}, and logical connection handles for the application.
 *
 * <p>Invariants: (1) {@link #getConnection()} returns a new handle and closes the previous one; closing a handle
 * never closes the physical connection (it rolls back a local transaction left open and tells the listeners);
 * (2) a handle's {@code commit}, {@code rollback} and {@code setAutoCommit(true)} fail with 25000 while an XA
 * branch is associated; (3) {@link #close()} ends the resource's association and closes the physical
 * connection; branches it ended stay with the engine for the transaction manager to resolve.
 *
 * <p>Thread safety: thread-safe.
 */
public final class StrataXAConnection implements XAConnection {
    private final Connection physical;
    private final ConnectionSession session;
    private final StrataXAResource resource;
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();

    @GuardedBy("lock")
    private @Nullable Handle handle;

    @GuardedBy("lock")
    private boolean closed;

    StrataXAConnection(Connection physical) throws SQLException {
        this.physical = physical;
        this.session = ConnectionSession.of(physical);
        this.resource = new StrataXAResource(session, () -> System.nanoTime() / 1_000_000);
    }

    @Override
    public XAResource getXAResource() throws SQLException {
        checkOpen();
        return resource;
    }

    @Override
    public Connection getConnection() throws SQLException {
        synchronized (lock) {
            checkOpen();
            Handle old = handle;
            if (old != null) {
                old.closed = true;
            }
            Handle h = new Handle();
            handle = h;
            return (Connection) Proxy.newProxyInstance(
                    StrataXAConnection.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
        }
    }

    @Override
    public void close() throws SQLException {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            Handle h = handle;
            if (h != null) {
                h.closed = true;
            }
            handle = null;
        }
        resource.connectionClosed();
        physical.close();
    }

    private void checkOpen() throws SQLException {
        synchronized (lock) {
            if (closed || physical.isClosed()) {
                throw SqlErrors.create("the XA connection is closed", ErrorCode.CLOSED.sqlState(), null);
            }
        }
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void addStatementEventListener(StatementEventListener listener) {
        // statement pooling is not offered: no statement events are sent
    }

    @Override
    public void removeStatementEventListener(StatementEventListener listener) {}

    /** One logical connection handed to the application. */
    private final class Handle implements InvocationHandler {
        volatile boolean closed;

        @Override
        public @Nullable Object invoke(Object proxy, Method m, @Nullable Object @Nullable [] args) throws Throwable {
            String name = m.getName();
            switch (name) {
                case "equals" -> {
                    return args != null && proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "StrataXAConnection handle" + (closed ? " (closed)" : "") + " of " + physical;
                }
                case "isClosed" -> {
                    return closed || physical.isClosed();
                }
                case "close" -> {
                    closeHandle();
                    return null;
                }
                default -> {
                    // delegated below
                }
            }
            if (closed) {
                throw SqlErrors.create("this connection handle is closed", ErrorCode.CLOSED.sqlState(), null);
            }
            try {
                return m.invoke(physical, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof SQLException se
                        && se.getSQLState() != null
                        && se.getSQLState().startsWith("08")) {
                    ConnectionEvent ev = new ConnectionEvent(StrataXAConnection.this, se);
                    for (ConnectionEventListener l : listeners) {
                        l.connectionErrorOccurred(ev);
                    }
                }
                throw cause;
            }
        }

        private void closeHandle() throws SQLException {
            if (closed) {
                return;
            }
            closed = true;
            if (!session.inGlobalTransaction() && !physical.getAutoCommit()) {
                physical.rollback(); // local work left open by the application does not leak to the next user
                physical.setAutoCommit(true);
            }
            ConnectionEvent ev = new ConnectionEvent(StrataXAConnection.this);
            for (ConnectionEventListener l : listeners) {
                l.connectionClosed(ev);
            }
        }
    }
}
