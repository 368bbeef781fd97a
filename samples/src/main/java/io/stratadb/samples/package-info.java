/** Runnable programs a newcomer starts from. They may print to standard output. */
@NullMarked
package io.stratadb.samples;

import org.jspecify.annotations.NullMarked;
