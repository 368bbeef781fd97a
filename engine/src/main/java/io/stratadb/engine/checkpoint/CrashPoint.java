package io.stratadb.engine.checkpoint;

/**
 * A test hook called at each step of the checkpoint sequence: {@code pages} (data pages written), {@code
 * catalog} (catalogue root written), {@code turtle} (local turtle installed), {@code complete} (completion
 * record durable).
 *
 * <p>The default, {@link #fromSystemProperty()}, halts the JVM (no shutdown hooks, like a crash) when the
 * system property {@code strata.test.checkpointHaltAt} names the step; crash tests set it in a child JVM.
 *
 * <p>Thread safety: implementations must be thread-safe.
 */
@FunctionalInterface
public interface CrashPoint {
    /** Step names, in sequence order. */
    String PAGES = "pages";

    String CATALOG = "catalog";
    String TURTLE = "turtle";
    String COMPLETE = "complete";

    /** Called when the checkpoint reaches {@code step}. */
    void reached(String step);

    /** Never halts. */
    CrashPoint NONE = step -> {};

    /** Halts the JVM at the step named by {@code strata.test.checkpointHaltAt}, if set. */
    static CrashPoint fromSystemProperty() {
        String at = System.getProperty("strata.test.checkpointHaltAt");
        if (at == null || at.isEmpty()) {
            return NONE;
        }
        return step -> {
            if (step.equals(at)) {
                Runtime.getRuntime().halt(77);
            }
        };
    }
}
