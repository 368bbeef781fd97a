package io.stratadb.engine.pagelog.file;

import io.stratadb.api.pagelog.LogRecord;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.api.pagelog.PutArgs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A command-line main run in child JVMs by {@link FilePageLogProcessTest}: a writer to be killed, a tailing
 * reader that checks prefix consistency, or a node that claims the epoch.
 */
public final class PageLogChild {
    private PageLogChild() {}

    /** The payload of log record {@code i}: "i:" + i + ":" + padding. */
    static byte[] record(int i, int pad) {
        byte[] head = ("i:" + i + ":").getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(head, head.length + pad);
        Arrays.fill(out, head.length, out.length, (byte) 'p');
        return out;
    }

    /** The index encoded in a record payload. */
    static int indexOf(byte[] payload) {
        String s = new String(payload, 0, Math.min(payload.length, 24), StandardCharsets.US_ASCII);
        return Integer.parseInt(s.substring(2, s.indexOf(':', 2)));
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        URI uri = URI.create(args[1]);
        switch (args[0]) {
            case "writer" ->
                writer(out, uri, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4]));
            case "reader" -> System.exit(reader(out, uri, Integer.parseInt(args[2]), Long.parseLong(args[3])));
            case "claim" -> claim(out, uri);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void writer(PrintStream out, URI uri, int count, int padMax, long seed) throws Exception {
        Random rnd = new Random(seed);
        PageLog log = PageLogProviders.open(uri, new PageLogOptions("child-writer", true));
        out.println("READY " + log.claimEpoch());
        PageLogHandle h = log.openHandle(1);
        long full = 0;
        for (int i = 0; i < count; i++) {
            long lsn = log.append(1, record(i, rnd.nextInt(padMax + 1)));
            if (i % 10 == 0) {
                full = h.put(100, PutArgs.full(full), record(i, rnd.nextInt(padMax + 1)));
            }
            log.sync(lsn);
            out.println("ACK " + i + " " + lsn);
        }
        out.println("DONE");
        Thread.sleep(60_000);
    }

    /** Tails until {@code count} records were seen, checking every view is a prefix; returns the exit code. */
    private static int reader(PrintStream out, URI uri, int count, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        int checks = 0;
        try (PageLog log = PageLogProviders.open(uri, new PageLogOptions("child-reader", true))) {
            while (System.currentTimeMillis() < deadline) {
                long at = log.lastLsn();
                List<LogRecord> recs = log.readLog(0, Integer.MAX_VALUE);
                int n = 0;
                for (LogRecord r : recs) {
                    if (r.lsn() > at) {
                        break;
                    }
                    if (indexOf(r.payload()) != n) {
                        out.println(
                                "FAIL record " + n + " missing: found " + indexOf(r.payload()) + " at LSN " + r.lsn());
                        return 1;
                    }
                    n++;
                }
                List<PageRecord> page = log.openHandle(1).get(100, at);
                if (!page.isEmpty() && indexOf(page.get(0).payload()) >= n) {
                    out.println("FAIL page written after record "
                            + indexOf(page.get(0).payload()) + " visible with only " + n + " records at LSN " + at);
                    return 1;
                }
                checks++;
                if (n == count) {
                    out.println("OK " + checks);
                    return 0;
                }
            }
        }
        out.println("FAIL timeout after " + checks + " checks");
        return 1;
    }

    private static void claim(PrintStream out, URI uri) throws Exception {
        try (PageLog log = PageLogProviders.open(uri, new PageLogOptions("child-claimer", true))) {
            out.println("CLAIMED " + log.claimEpoch() + " " + log.lastLsn());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("append")) {
                    long lsn = log.append(9, "from the child".getBytes(StandardCharsets.UTF_8));
                    log.sync(lsn);
                    out.println("LSN " + lsn);
                }
            }
        }
    }
}
