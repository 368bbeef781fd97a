package io.stratadb.engine.txn;

/**
 * What a write requires of the key's current value in the writer's view.
 *
 * <p>Invariants: a write whose requirement fails changes nothing.
 *
 * <p>Thread safety: immutable.
 */
public enum WriteMode {
    /** The key must be absent (else the write is refused: duplicate key). */
    INSERT,
    /** The key must be present (else nothing is written). */
    UPDATE,
    /** Either way. */
    UPSERT,
    /** The key must be present; writes a tombstone. */
    DELETE
}
