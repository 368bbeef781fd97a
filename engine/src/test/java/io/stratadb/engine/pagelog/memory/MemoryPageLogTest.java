package io.stratadb.engine.pagelog.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import io.stratadb.engine.pagelog.PageLogContractTest;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The page-log contract on the {@code memory:} backend, plus its URI handling. */
class MemoryPageLogTest extends PageLogContractTest {
    @Override
    protected URI freshUri() {
        return URI.create("memory:test-" + UUID.randomUUID());
    }

    @Test
    void foundByServiceLoaderUnderItsScheme() {
        assertInstanceOf(MemoryPageLogProvider.class, PageLogProviders.all().get("memory"));
    }

    @Test
    void reopeningTheSameNameSeesTheSameLog() {
        URI uri = freshUri();
        long lsn;
        try (PageLog a = PageLogProviders.open(uri, new PageLogOptions("a", false))) {
            a.claimEpoch();
            lsn = a.append(1, bytes("hello"));
        }
        try (PageLog b = PageLogProviders.open(uri, new PageLogOptions("b", false))) {
            assertEquals(lsn, b.lastLsn());
            assertEquals(1, b.currentEpoch());
        }
    }

    @Test
    void uriOfAnotherSchemeIsRejected() {
        StrataException e = assertThrows(
                StrataException.class,
                () -> new MemoryPageLogProvider().open(URI.create("file:/tmp/x"), new PageLogOptions("a", false)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }
}
