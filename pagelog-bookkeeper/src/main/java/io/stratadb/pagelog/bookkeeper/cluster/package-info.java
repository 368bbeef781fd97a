/**
 * A local development cluster (one ZooKeeper server, N bookies) for trying the {@code bookkeeper:} page log on one
 * machine; started by {@code bin/strata-bk-cluster}. Not used by the backend itself; see {@code
 * site/src/site/markdown/distributed.md}.
 */
@NullMarked
package io.stratadb.pagelog.bookkeeper.cluster;

import org.jspecify.annotations.NullMarked;
