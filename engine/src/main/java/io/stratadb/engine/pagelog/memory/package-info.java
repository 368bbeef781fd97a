/**
 * The {@code memory:} page-log backend: one in-memory log per URI per JVM, shared by every instance that opens
 * the URI, so tests can run a leader and a follower in one JVM. Depends on the core package {@code
 * io.stratadb.engine.pagelog} only. See {@code site/src/site/markdown/page-log.md}.
 */
@NullMarked
package io.stratadb.engine.pagelog.memory;

import org.jspecify.annotations.NullMarked;
