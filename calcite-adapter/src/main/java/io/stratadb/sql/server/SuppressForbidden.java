package io.stratadb.sql.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the command-line entry points that may print to standard output and error (forbidden-apis honours
 * any annotation of this simple name).
 *
 * <p>Invariants: used only on command-line entry points.
 *
 * <p>Thread safety: an annotation.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
@interface SuppressForbidden {
    /** Why the forbidden API is needed. */
    String reason();
}
