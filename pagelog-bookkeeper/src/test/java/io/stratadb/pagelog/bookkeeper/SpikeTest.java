package io.stratadb.pagelog.bookkeeper;

import java.net.ServerSocket;
import org.apache.bookkeeper.client.BookKeeper;
import org.apache.bookkeeper.client.LedgerHandle;
import org.apache.bookkeeper.conf.ClientConfiguration;
import org.apache.bookkeeper.conf.ServerConfiguration;
import org.apache.bookkeeper.util.LocalBookKeeper;
import org.junit.jupiter.api.Test;

class SpikeTest {
    @Test
    void spike() throws Exception {
        System.setProperty("zookeeper.4lw.commands.whitelist", "*");
        int zkPort;
        try (ServerSocket s = new ServerSocket(0)) {
            zkPort = s.getLocalPort();
        }
        int bkPort;
        try (ServerSocket s = new ServerSocket(0)) {
            bkPort = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        ServerConfiguration conf = new ServerConfiguration();
        conf.setAllowLoopback(true);
        conf.setJournalSyncData(false);
        conf.setBookiePort(bkPort);
        LocalBookKeeper lbk = LocalBookKeeper.getLocalBookies("127.0.0.1", zkPort, 3, true, conf);
        lbk.start();
        System.err.println("started in " + (System.nanoTime() - t0) / 1e6 + " ms");
        ClientConfiguration cc = new ClientConfiguration();
        cc.setMetadataServiceUri("zk+null://127.0.0.1:" + zkPort + "/ledgers");
        BookKeeper bk = new BookKeeper(cc);
        LedgerHandle lh = bk.createLedger(3, 3, 2, BookKeeper.DigestType.CRC32C, new byte[0]);
        for (int i = 0; i < 100; i++) lh.addEntry(new byte[100]);
        System.err.println("wrote in " + (System.nanoTime() - t0) / 1e6 + " ms lac " + lh.getLastAddConfirmed());
        lh.close();
        bk.close();
        lbk.close();
    }
}
