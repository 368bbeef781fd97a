/**
 * The node's role: the leader/follower state machine, the write term that makes every table read-only at once
 * on a step-down, and the gate that keeps schema operations and role transitions apart (seeds 001 and 003).
 * Builds on {@code io.stratadb.api} only. See {@code site/src/site/markdown/roles.md}.
 */
@NullMarked
package io.stratadb.engine.role;

import org.jspecify.annotations.NullMarked;
