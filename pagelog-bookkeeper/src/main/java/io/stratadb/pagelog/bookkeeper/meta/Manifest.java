package io.stratadb.pagelog.bookkeeper.meta;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger manifest: the ledgers of the page log in LSN order, and an LSN floor.
 *
 * <p>Invariants: (1) every ledger but the last is closed (a writer closes its ledger before it registers the
 * next; a claimer recovers, and so closes, the previous writer's ledger before it registers its own); (2) {@code
 * highLsn} is at most the highest LSN ever assigned, so {@code lastLsn} survives the deletion of old ledgers.
 *
 * <p>Thread safety: immutable.
 *
 * @param ledgers the ledgers, oldest first
 * @param highLsn an LSN known to be assigned
 * @param version the znode's data version it was read at (-1 when not read)
 */
public record Manifest(List<LedgerRef> ledgers, long highLsn, int version) {
    public Manifest {
        ledgers = List.copyOf(ledgers);
    }

    /** The empty manifest. */
    public static Manifest empty() {
        return new Manifest(List.of(), 0, -1);
    }

    /** This manifest with {@code ref} appended. */
    public Manifest plus(LedgerRef ref, long high) {
        List<LedgerRef> next = new ArrayList<>(ledgers);
        next.add(ref);
        return new Manifest(next, Math.max(highLsn, high), version);
    }

    /** This manifest without the ledgers in {@code drop}. */
    public Manifest minus(List<Long> drop, long high) {
        List<LedgerRef> next = new ArrayList<>();
        for (LedgerRef r : ledgers) {
            if (!drop.contains(r.ledgerId())) {
                next.add(r);
            }
        }
        return new Manifest(next, Math.max(highLsn, high), version);
    }

    /** The text stored in the znode: {@code high=<lsn>} then one {@code epoch,ledger,firstLsn} line per ledger. */
    public byte[] encode() {
        StringBuilder sb = new StringBuilder("high=").append(highLsn).append('\n');
        for (LedgerRef r : ledgers) {
            sb.append(r.epoch())
                    .append(',')
                    .append(r.ledgerId())
                    .append(',')
                    .append(r.firstLsn())
                    .append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses the znode's bytes read at {@code version}. */
    public static Manifest decode(byte[] bytes, int version, String path) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return new Manifest(List.of(), 0, version);
        }
        try {
            String[] lines = text.split("\n", -1);
            if (!lines[0].startsWith("high=")) {
                throw new NumberFormatException("no high= line");
            }
            long high = Long.parseLong(lines[0].substring(5));
            List<LedgerRef> refs = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isEmpty()) {
                    continue;
                }
                String[] f = lines[i].split(",", -1);
                refs.add(new LedgerRef(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])));
            }
            return new Manifest(refs, high, version);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new StrataException(ErrorCode.CORRUPTION, "unreadable ledger manifest at " + path + ": " + text, e);
        }
    }
}
