package io.stratadb.engine.pagelog.file;

import io.stratadb.engine.pagelog.PageLogContractTest;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The page-log contract on the {@code file:} backend (small segments, so rolling is exercised). */
class FilePageLogContractTest extends PageLogContractTest {
    private static final AtomicInteger N = new AtomicInteger();

    @TempDir
    Path tmp;

    @Override
    protected URI freshUri() {
        return URI.create(tmp.resolve("log" + N.incrementAndGet()).toUri() + "?segmentBytes=8192");
    }
}
