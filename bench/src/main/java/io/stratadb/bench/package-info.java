/**
 * Benchmarks: plain mains that run StrataDB and H2 in the same process on the same workloads and print
 * ops/s, p50 and p99 side by side. Not tests: targets live in the issues and the results in {@code
 * site/src/site/markdown/performance.md}.
 */
@NullMarked
package io.stratadb.bench;

import org.jspecify.annotations.NullMarked;
