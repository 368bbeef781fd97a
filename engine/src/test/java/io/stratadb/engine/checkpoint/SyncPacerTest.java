package io.stratadb.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import io.stratadb.api.pagelog.PutArgs;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checkpoint thread syncs its own page records in bounded pieces; other threads are never made to sync. */
class SyncPacerTest {
    /** A page log that records the LSN of every sync and delegates everything to {@code memory:}. */
    private static PageLog counting(List<Long> syncs) {
        PageLog real =
                PageLogProviders.open(URI.create("memory:pacer-" + System.nanoTime()), new PageLogOptions("n1", true));
        real.claimEpoch();
        return (PageLog) Proxy.newProxyInstance(
                PageLog.class.getClassLoader(), new Class<?>[] {PageLog.class}, (proxy, m, args) -> {
                    if (m.getName().equals("sync")) {
                        syncs.add((Long) args[0]);
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void thePacedThreadSyncsEveryPieceAndCoversWhatItPut() {
        List<Long> syncs = new ArrayList<>();
        PageLog log = counting(syncs);
        SyncPacer pacer = new SyncPacer(log);
        PageLogHandle h = pacer.wrap(log.openHandle(5));
        byte[] page = new byte[4000];
        int pages = 300; // about 1.2 MB: four or five pieces
        long last = 0;
        pacer.begin();
        try {
            for (int p = 0; p < pages; p++) {
                last = h.put(100 + p, PutArgs.full(0), page);
            }
        } finally {
            pacer.end();
        }
        long bytes = (long) pages * (page.length + 64);
        assertEquals(bytes / SyncPacer.CHUNK, syncs.size(), "one sync per piece of " + SyncPacer.CHUNK + " bytes");
        assertTrue(syncs.get(syncs.size() - 1) <= last && syncs.get(syncs.size() - 1) > last - 70);
        for (int i = 1; i < syncs.size(); i++) {
            long between = syncs.get(i) - syncs.get(i - 1);
            assertTrue(between * (page.length + 64) <= SyncPacer.CHUNK + page.length + 64, "piece " + i);
        }
    }

    @Test
    void otherThreadsAndTheThreadAfterEndAreNotPaced() throws Exception {
        List<Long> syncs = new ArrayList<>();
        PageLog log = counting(syncs);
        SyncPacer pacer = new SyncPacer(log);
        PageLogHandle h = pacer.wrap(log.openHandle(5));
        byte[] page = new byte[4000];
        pacer.begin();
        Thread evictor = new Thread(() -> {
            for (int p = 0; p < 300; p++) {
                h.put(1000 + p, PutArgs.full(0), page);
            }
        });
        evictor.start();
        evictor.join();
        pacer.end();
        for (int p = 0; p < 300; p++) {
            h.put(2000 + p, PutArgs.full(0), page);
        }
        assertEquals(List.of(), syncs, "only the thread between begin and end is paced");
        org.junit.jupiter.api.Assertions.assertSame(h, pacer.wrap(h), "wrapping twice does not pace twice");
    }
}
