package io.stratadb.sql.sys;

import io.stratadb.api.Engine;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.StrataException;
import io.stratadb.api.TimestampKind;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The administrative procedures of {@code CALL SYS.<name>(...)}, each mapped onto one engine operation.
 *
 * <table>
 *   <caption>Procedures</caption>
 *   <tr><th>procedure</th><th>engine call</th></tr>
 *   <tr><td>CHECKPOINT()</td><td>{@link Engine#checkpoint()}</td></tr>
 *   <tr><td>STEP_UP()</td><td>{@link Engine#stepUp()}</td></tr>
 *   <tr><td>STEP_DOWN()</td><td>{@link Engine#stepDown()}</td></tr>
 *   <tr><td>PICK_UP_CHECKPOINT()</td><td>{@link Engine#pickUpCheckpoint()}</td></tr>
 *   <tr><td>SET_TIMESTAMP(kind, value)</td><td>{@link Engine#setTimestamp(TimestampKind, long)}</td></tr>
 *   <tr><td>ROLLBACK_TO_STABLE()</td><td>{@link Engine#rollbackToStable()}</td></tr>
 *   <tr><td>COMMIT_PREPARED(xid)</td><td>{@link Engine#completeHeuristically} with commit</td></tr>
 *   <tr><td>ROLLBACK_PREPARED(xid)</td><td>{@link Engine#completeHeuristically} with rollback</td></tr>
 *   <tr><td>FORGET_HEURISTIC(xid)</td><td>{@link Engine#forgetHeuristic}</td></tr>
 * </table>
 *
 * <p>Invariants: a wrong procedure name or argument list fails with INVALID_SQL or INVALID_ARGUMENT naming the
 * procedure, before the engine is called.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
public final class Procedures {
    /** The procedure names, in documentation order. */
    public static final List<String> NAMES = List.of(
            "CHECKPOINT",
            "STEP_UP",
            "STEP_DOWN",
            "PICK_UP_CHECKPOINT",
            "SET_TIMESTAMP",
            "ROLLBACK_TO_STABLE",
            "COMMIT_PREPARED",
            "ROLLBACK_PREPARED",
            "FORGET_HEURISTIC");

    private Procedures() {}

    /** Runs procedure {@code name} with the argument values. */
    public static void call(Engine engine, String name, List<@Nullable Object> args) {
        String n = name.toUpperCase(Locale.ROOT);
        if (!NAMES.contains(n)) {
            throw new StrataException(
                    ErrorCode.INVALID_SQL, "unknown procedure SYS." + name + "; known: " + String.join(", ", NAMES));
        }
        int arity = switch (n) {
            case "SET_TIMESTAMP" -> 2;
            case "COMMIT_PREPARED", "ROLLBACK_PREPARED", "FORGET_HEURISTIC" -> 1;
            default -> 0;
        };
        if (args.size() != arity) {
            throw new StrataException(
                    ErrorCode.INVALID_SQL,
                    "procedure SYS." + n + " takes " + arity + " argument(s), got " + args.size());
        }
        switch (n) {
            case "CHECKPOINT" -> engine.checkpoint();
            case "STEP_UP" -> engine.stepUp();
            case "STEP_DOWN" -> engine.stepDown();
            case "PICK_UP_CHECKPOINT" -> engine.pickUpCheckpoint();
            case "ROLLBACK_TO_STABLE" -> engine.rollbackToStable();
            case "COMMIT_PREPARED" -> engine.completeHeuristically(XidText.parse(n, args.get(0)), true);
            case "ROLLBACK_PREPARED" -> engine.completeHeuristically(XidText.parse(n, args.get(0)), false);
            case "FORGET_HEURISTIC" -> {
                GlobalTxnId x = XidText.parse(n, args.get(0));
                if (!engine.forgetHeuristic(x)) {
                    throw new StrataException(
                            ErrorCode.UNKNOWN_TRANSACTION, "no heuristic outcome is remembered for xid " + x);
                }
            }
            default -> engine.setTimestamp(kind(args.get(0)), value(args.get(1)));
        }
    }

    static TimestampKind kind(@Nullable Object v) {
        if (v != null) {
            for (TimestampKind k : TimestampKind.values()) {
                if (k.name().equalsIgnoreCase(v.toString().trim())) {
                    return k;
                }
            }
        }
        throw new StrataException(
                ErrorCode.INVALID_ARGUMENT,
                "SYS.SET_TIMESTAMP: kind must be one of OLDEST, STABLE, STEP_DOWN, got " + v);
    }

    static long value(@Nullable Object v) {
        try {
            if (v instanceof Number num) {
                return new BigDecimal(num.toString()).longValueExact();
            }
            if (v != null) {
                return new BigDecimal(v.toString().trim()).longValueExact();
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT, "SYS.SET_TIMESTAMP: value must be a whole number, got " + v, e);
        }
        throw new StrataException(ErrorCode.INVALID_ARGUMENT, "SYS.SET_TIMESTAMP: value must not be NULL");
    }
}
