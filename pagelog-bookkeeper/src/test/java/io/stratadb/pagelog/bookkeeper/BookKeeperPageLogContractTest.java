package io.stratadb.pagelog.bookkeeper;

import io.stratadb.engine.pagelog.PageLogContractTest;
import java.net.URI;
import org.junit.jupiter.api.extension.ExtendWith;

/** The page-log contract, unchanged, on the {@code bookkeeper:} backend over an in-process three-bookie cluster. */
@ExtendWith(BookKeeperCluster.Extension.class)
class BookKeeperPageLogContractTest extends PageLogContractTest {
    /** BookKeeper's ledger recovery keeps an entry that reached a bookie although the writer's add failed. */
    @Override
    protected boolean unconfirmedRecordsMaySurviveAClaim() {
        return true;
    }

    @Override
    protected URI freshUri() {
        return BookKeeperCluster.get().freshUri("contract");
    }
}
