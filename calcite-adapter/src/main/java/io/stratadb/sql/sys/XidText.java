package io.stratadb.sql.sys;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.StrataException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The text form of an xid, as {@code SYS.TRANSACTIONS.XID} shows it and the heuristic procedures take it:
 * {@code <format id>:<global id in hex>:<branch id in hex>} (the form of {@code GlobalTxnId.toString()}).
 *
 * <p>Invariants: {@code parse(x.toString()).equals(x)} for every xid; anything else fails with INVALID_ARGUMENT
 * naming the procedure and the text.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
public final class XidText {
    private XidText() {}

    /** Parses the argument of procedure {@code procedure}. */
    public static GlobalTxnId parse(String procedure, @Nullable Object arg) {
        String text = arg == null ? "" : arg.toString().trim();
        String[] parts = text.split(":", -1);
        try {
            if (parts.length == 3) {
                HexFormat hex = HexFormat.of();
                return new GlobalTxnId(Integer.parseInt(parts[0]), hex.parseHex(parts[1]), hex.parseHex(parts[2]));
            }
        } catch (IllegalArgumentException e) { // NumberFormatException is one
            throw bad(procedure, text, e);
        } catch (StrataException e) {
            throw bad(procedure, text, e);
        }
        throw bad(procedure, text, null);
    }

    private static StrataException bad(String procedure, String text, @Nullable Exception cause) {
        return new StrataException(
                ErrorCode.INVALID_ARGUMENT,
                "SYS." + procedure + ": '" + text + "' is not an xid; expected <format id>:<global id hex>:<branch id"
                        + " hex> as SYS.TRANSACTIONS shows it",
                cause);
    }
}
