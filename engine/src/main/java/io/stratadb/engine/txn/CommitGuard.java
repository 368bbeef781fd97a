package io.stratadb.engine.txn;

/**
 * The engine's last check before a commit, prepare or prepared rollback is logged: run under the commit lock,
 * where the node's role moves, so that no transaction commits on a node that has stepped down (or was fenced).
 *
 * <p>Invariants: throws (a {@code StrataException}) to refuse; changes nothing.
 *
 * <p>Thread safety: called concurrently from committing threads (one at a time, under the commit lock).
 */
@FunctionalInterface
public interface CommitGuard {
    /** Allows everything (a single-node engine before its role is known, and tests). */
    CommitGuard ALLOW = t -> {};

    /** Throws if {@code t} may not commit, prepare or resolve now. */
    void checkLocked(Txn t);
}
