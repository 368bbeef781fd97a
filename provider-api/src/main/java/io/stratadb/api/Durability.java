package io.stratadb.api;

/**
 * When a commit is acknowledged.
 *
 * @since 0.1
 */
public enum Durability {
    /** After the commit record is on stable storage (fsync, or a write quorum); concurrent commits share one flush. */
    FSYNC,
    /** As soon as the commit record is appended; a crash may lose the newest commits but never half of one. */
    NONE
}
