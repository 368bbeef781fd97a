package io.stratadb.pagelog.bookkeeper;

import io.stratadb.engine.pagelog.PageLogContractTest;
import java.net.URI;
import org.junit.jupiter.api.extension.ExtendWith;

/** The page-log contract, unchanged, on the {@code bookkeeper:} backend over an in-process three-bookie cluster. */
@ExtendWith(BookKeeperCluster.Extension.class)
class BookKeeperPageLogContractTest extends PageLogContractTest {
    @Override
    protected URI freshUri() {
        return BookKeeperCluster.get().freshUri("contract");
    }
}
