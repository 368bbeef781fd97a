package io.stratadb.sql.calcite;

import com.google.common.collect.BoundType;
import com.google.common.collect.Range;
import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.KeyRange;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;
import org.apache.calcite.util.TimeString;
import org.apache.calcite.util.TimestampString;
import org.jspecify.annotations.Nullable;

/**
 * Turns the filter conjuncts of a scan into primary-key point look-ups or key ranges.
 *
 * <p>Handled shapes, with a literal or a prepared-statement parameter ({@code ?N}) on one side and a primary-key
 * column on the other: {@code =}, {@code <}, {@code <=}, {@code >}, {@code >=}, and Calcite's {@code SEARCH}
 * (ranges and IN lists). The column may be widened by a cast to a wider integer type ({@link WideningCast}):
 * {@code CAST(ID AS INTEGER) = 3} on a SMALLINT key is a seek, and a value outside the column's range gives no
 * rows or no bound. Equalities on a prefix of the key, then comparisons or a SEARCH on the next key
 * column, become one seek per range; equalities on every key column become {@code Transaction.get}.
 *
 * <p>Invariants: (1) a filter (which may be an AND of conjuncts) is removed from the list only if the access path
 * applies all of its conjuncts exactly, so Calcite re-checks every other filter; (2) a value that cannot be converted to the key column's type leaves
 * that conjunct to Calcite; (3) a comparison with NULL yields {@link AccessPath#EMPTY}.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
public final class KeyRangePlanner {
    private KeyRangePlanner() {}

    /** Supplies the value of a dynamic parameter by its index. */
    public interface Parameters {
        /** The value of parameter {@code ?index}. */
        @Nullable
        Object get(int index);
    }

    /** A comparison of one column with a value, a literal or a dynamic parameter's value. */
    private record Cond(
            int filterIndex,
            int column,
            SqlKind op,
            @Nullable Object value,
            boolean parameter,
            @Nullable SqlTypeName cast,
            SqlTypeName valueType) {}

    /**
     * An access path and the conjuncts it applies exactly.
     *
     * @param path the access path
     * @param consumed indexes of the conjuncts the path applies exactly
     */
    record Planned(AccessPath path, Set<Integer> consumed) {}

    /**
     * Plans the access path for {@code filters} (removing the conjuncts it applies exactly).
     *
     * @param schema the table's schema
     * @param filters conjuncts over the table's columns; applied ones are removed
     * @param params values of dynamic parameters
     */
    public static AccessPath plan(TableSchema schema, List<RexNode> filters, Parameters params) {
        // Each filter may be an AND of conjuncts; conjunct j belongs to filter owner.get(j).
        List<RexNode> conjuncts = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            for (RexNode c : RelOptUtil.conjunctions(filters.get(i))) {
                conjuncts.add(c);
                owner.add(i);
            }
        }
        Planned planned = planConjuncts(schema, conjuncts, params);
        AccessPath path = planned.path();
        Set<Integer> consumed = planned.consumed();
        if (path.kind() != AccessPath.Kind.FULL) {
            // Remove a filter only when every one of its conjuncts is applied by the access path.
            for (int i = filters.size() - 1; i >= 0; i--) {
                boolean all = true;
                for (int j = 0; j < conjuncts.size(); j++) {
                    if (owner.get(j) == i && !consumed.contains(j)) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    filters.remove(i);
                }
            }
        }
        return path;
    }

    /** Plans the access path for a list of conjuncts (none of them an AND) and says which ones it applies. */
    static Planned planConjuncts(TableSchema schema, List<RexNode> conjuncts, Parameters params) {
        List<Cond> conds = new ArrayList<>();
        List<RexCall> searches = new ArrayList<>();
        List<Integer> searchIndex = new ArrayList<>();
        for (int i = 0; i < conjuncts.size(); i++) {
            RexNode f = conjuncts.get(i);
            if (!(f instanceof RexCall call)) {
                continue;
            }
            if (call.getKind() == SqlKind.SEARCH
                    && WideningCast.keyRef(schema, call.getOperands().get(0)) != null) {
                searches.add(call);
                searchIndex.add(i);
                continue;
            }
            Cond c = comparison(schema, i, call, params);
            if (c != null) {
                conds.add(c);
            }
        }
        List<Integer> pk = schema.primaryKey();
        List<Object> prefix = new ArrayList<>();
        Set<Integer> consumed = new HashSet<>();
        AccessPath path = null;
        for (int k = 0; k < pk.size() && path == null; k++) {
            int col = pk.get(k);
            ColumnDef def = schema.columns().get(col);
            Cond eq = first(conds, col, SqlKind.EQUALS);
            if (eq != null) {
                if (eq.value == null) {
                    path = AccessPath.EMPTY;
                    break;
                }
                Object v = keyValue(schema, def, eq);
                if (v == null) {
                    break;
                }
                if (v == WideningCast.BELOW || v == WideningCast.ABOVE) {
                    path = AccessPath.EMPTY; // a value outside the key column's range equals no key
                    break;
                }
                prefix.add(v);
                consumed.add(eq.filterIndex);
                continue;
            }
            // A SEARCH on this column ends the key prefix.
            for (int s = 0; s < searches.size() && path == null; s++) {
                RexCall search = searches.get(s);
                RexNode operand = search.getOperands().get(0);
                RexInputRef ref = WideningCast.keyRef(schema, operand);
                if (ref != null && ref.getIndex() == col) {
                    List<KeyRange> ranges =
                            sargRanges(schema, def, prefix, search, WideningCast.castType(schema, operand));
                    if (ranges != null) {
                        consumed.add(searchIndex.get(s));
                        path = ranges.isEmpty() ? AccessPath.EMPTY : pointsOrRanges(ranges, prefix, pk.size());
                    }
                }
            }
            if (path != null) {
                break;
            }
            path = comparisonRange(schema, def, col, prefix, conds, consumed);
            break;
        }
        if (path == null) {
            if (prefix.isEmpty()) {
                return new Planned(AccessPath.FULL, Set.of());
            }
            Object[] key = prefix.toArray();
            path = prefix.size() == pk.size()
                    ? AccessPath.points(List.<Object[]>of(key))
                    : AccessPath.ranges(List.of(KeyRange.exactly(key)));
        }
        return new Planned(path, consumed);
    }

    /**
     * The shape of the access path {@link #plan} would choose for these filters, from their structure alone
     * (parameter values are not needed): {@code POINT(k1, k2)}, {@code RANGE(k1, k2)} (equalities on a key
     * prefix, then a comparison or IN list on the next key column), {@code RANGE(k1)} or {@code FULL}.
     */
    public static String describe(TableSchema schema, List<RexNode> filters) {
        List<Cond> conds = new ArrayList<>();
        List<Integer> searchColumns = new ArrayList<>();
        List<Integer> pointSearchColumns = new ArrayList<>();
        int i = 0;
        for (RexNode f : filters) {
            for (RexNode c : RelOptUtil.conjunctions(f)) {
                if (c instanceof RexCall call) {
                    RexInputRef ref = call.getKind() == SqlKind.SEARCH
                            ? WideningCast.keyRef(schema, call.getOperands().get(0))
                            : null;
                    if (ref != null) {
                        searchColumns.add(ref.getIndex());
                        if (call.getOperands().get(1) instanceof RexLiteral lit) {
                            Sarg<?> sarg = lit.getValueAs(Sarg.class);
                            if (sarg != null && sarg.isPoints()) {
                                pointSearchColumns.add(ref.getIndex());
                            }
                        }
                    } else {
                        Cond cond = comparison(schema, i, call, index -> 0);
                        if (cond != null) {
                            conds.add(cond);
                        }
                    }
                }
                i++;
            }
        }
        List<Integer> pk = schema.primaryKey();
        List<String> used = new ArrayList<>();
        for (int col : pk) {
            String name = schema.columns().get(col).name();
            if (first(conds, col, SqlKind.EQUALS) != null) {
                used.add(name);
                continue;
            }
            boolean range = searchColumns.contains(col);
            for (Cond c : conds) {
                range |= c.column == col;
            }
            if (range) {
                used.add(name);
                boolean points = used.size() == pk.size() && pointSearchColumns.contains(col);
                return (points ? "POINT(" : "RANGE(") + String.join(", ", used) + ")";
            }
            break;
        }
        if (used.isEmpty()) {
            return "FULL";
        }
        return (used.size() == pk.size() ? "POINT(" : "RANGE(") + String.join(", ", used) + ")";
    }

    private static AccessPath pointsOrRanges(List<KeyRange> ranges, List<Object> prefix, int keyColumns) {
        if (prefix.size() + 1 == keyColumns) {
            List<Object[]> points = new ArrayList<>();
            for (KeyRange r : ranges) {
                Object[] lo = r.lower();
                if (lo == null
                        || r.upper() == null
                        || !r.lowerInclusive()
                        || !r.upperInclusive()
                        || !Arrays.equals(lo, r.upper())) {
                    return AccessPath.ranges(ranges);
                }
                points.add(lo);
            }
            return AccessPath.points(points);
        }
        return AccessPath.ranges(ranges);
    }

    private static @Nullable AccessPath comparisonRange(
            TableSchema schema, ColumnDef def, int col, List<Object> prefix, List<Cond> conds, Set<Integer> consumed) {
        Object lower = null;
        boolean lowerInc = true;
        Object upper = null;
        boolean upperInc = true;
        List<Integer> used = new ArrayList<>();
        for (Cond c : conds) {
            if (c.column != col || c.op == SqlKind.EQUALS) {
                continue;
            }
            if (c.value == null) {
                return AccessPath.EMPTY;
            }
            Object v = keyValue(schema, def, c);
            if (v == null) {
                continue;
            }
            boolean isLower = c.op == SqlKind.GREATER_THAN || c.op == SqlKind.GREATER_THAN_OR_EQUAL;
            if (v == WideningCast.BELOW || v == WideningCast.ABOVE) {
                // outside the column's range: either no key is on that side (no rows) or every key is (no bound)
                if (isLower == (v == WideningCast.ABOVE)) {
                    return AccessPath.EMPTY;
                }
                used.add(c.filterIndex);
                continue;
            }
            boolean inclusive = c.op == SqlKind.GREATER_THAN_OR_EQUAL || c.op == SqlKind.LESS_THAN_OR_EQUAL;
            if (isLower) {
                int cmp = lower == null ? 1 : KeyValues.compare(v, lower);
                if (cmp > 0 || (cmp == 0 && !inclusive)) {
                    lower = v;
                    lowerInc = inclusive;
                }
            } else {
                int cmp = upper == null ? -1 : KeyValues.compare(v, upper);
                if (cmp < 0 || (cmp == 0 && !inclusive)) {
                    upper = v;
                    upperInc = inclusive;
                }
            }
            used.add(c.filterIndex);
        }
        if (used.isEmpty()) {
            return null;
        }
        consumed.addAll(used);
        if (lower != null && upper != null) {
            int cmp = KeyValues.compare(lower, upper);
            if (cmp > 0 || (cmp == 0 && (!lowerInc || !upperInc))) {
                return AccessPath.EMPTY;
            }
        }
        return AccessPath.ranges(List.of(range(prefix, lower, lowerInc, upper, upperInc)));
    }

    private static KeyRange range(
            List<Object> prefix, @Nullable Object lower, boolean lowerInc, @Nullable Object upper, boolean upperInc) {
        Object[] lo = bound(prefix, lower);
        Object[] hi = bound(prefix, upper);
        return new KeyRange(lo, lower == null || lowerInc, hi, upper == null || upperInc);
    }

    private static Object @Nullable [] bound(List<Object> prefix, @Nullable Object value) {
        if (value == null) {
            return prefix.isEmpty() ? null : prefix.toArray();
        }
        Object[] b = Arrays.copyOf(prefix.toArray(), prefix.size() + 1);
        b[prefix.size()] = value;
        return b;
    }

    private static @Nullable List<KeyRange> sargRanges(
            TableSchema schema, ColumnDef def, List<Object> prefix, RexCall search, @Nullable SqlTypeName cast) {
        if (!(search.getOperands().get(1) instanceof RexLiteral lit)) {
            return null;
        }
        Sarg<?> sarg = lit.getValueAs(Sarg.class);
        if (sarg == null) {
            return null;
        }
        List<KeyRange> out = new ArrayList<>();
        for (Range<?> r : sarg.rangeSet.asRanges()) {
            Object lo = null;
            Object hi = null;
            boolean loInc = true;
            boolean hiInc = true;
            if (r.hasLowerBound()) {
                lo = endpoint(schema, def, cast, r.lowerEndpoint());
                loInc = r.lowerBoundType() == BoundType.CLOSED;
                if (lo == null) {
                    return null;
                }
            }
            if (r.hasUpperBound()) {
                hi = endpoint(schema, def, cast, r.upperEndpoint());
                hiInc = r.upperBoundType() == BoundType.CLOSED;
                if (hi == null) {
                    return null;
                }
            }
            if (lo == WideningCast.ABOVE || hi == WideningCast.BELOW) {
                continue; // the range lies outside the key column's values
            }
            if (lo == WideningCast.BELOW) {
                lo = null;
                loInc = true;
            }
            if (hi == WideningCast.ABOVE) {
                hi = null;
                hiInc = true;
            }
            out.add(range(prefix, lo, loInc, hi, hiInc));
        }
        return out;
    }

    /** A range endpoint as a key value (see {@link #keyValue}). */
    private static @Nullable Object endpoint(
            TableSchema schema, ColumnDef def, @Nullable SqlTypeName cast, Comparable<?> endpoint) {
        Object v = plain(endpoint);
        return cast == null ? convert(schema, def, v) : WideningCast.value(schema, def, cast, v, null);
    }

    /**
     * The key value a condition compares the column with: the column's Java type, {@link WideningCast#BELOW} or
     * {@link WideningCast#ABOVE} for a widened column compared with a value outside its range, or null when the
     * value cannot be used for the seek (the condition is left to Calcite).
     */
    private static @Nullable Object keyValue(TableSchema schema, ColumnDef def, Cond c) {
        Object v = java.util.Objects.requireNonNull(c.value);
        SqlTypeName cast = c.cast;
        if (cast != null) {
            return WideningCast.value(schema, def, cast, v, c.parameter ? c.valueType : null);
        }
        return c.parameter ? parameter(schema, def, v) : convert(schema, def, v);
    }

    private static @Nullable Cond comparison(TableSchema schema, int index, RexCall call, Parameters params) {
        SqlKind kind = call.getKind();
        if (kind != SqlKind.EQUALS
                && kind != SqlKind.LESS_THAN
                && kind != SqlKind.LESS_THAN_OR_EQUAL
                && kind != SqlKind.GREATER_THAN
                && kind != SqlKind.GREATER_THAN_OR_EQUAL) {
            return null;
        }
        Sides s = sides(schema, call);
        if (s == null) {
            return null;
        }
        return new Cond(
                index,
                s.ref().getIndex(),
                s.reversed() ? kind.reverse() : kind,
                value(s.value(), params),
                s.value() instanceof RexDynamicParam,
                WideningCast.castType(schema, s.column()),
                s.value().getType().getSqlTypeName());
    }

    /**
     * The two sides of a binary comparison of a key column (bare or widened by a cast) with a literal or parameter.
     *
     * @param column the column side as written (a column reference or a cast of one)
     * @param ref the column reference
     * @param value the literal or parameter
     * @param reversed whether the value is the left operand (the comparison reads reversed from the column)
     */
    record Sides(RexNode column, RexInputRef ref, RexNode value, boolean reversed) {}

    /** The sides of {@code call}, or null when it does not compare a key column with a literal or parameter. */
    static @Nullable Sides sides(TableSchema schema, RexCall call) {
        RexNode a = call.getOperands().get(0);
        RexNode b = call.getOperands().get(1);
        RexInputRef ra = WideningCast.keyRef(schema, a);
        if (ra != null && isValue(b)) {
            return new Sides(a, ra, b, false);
        }
        RexInputRef rb = WideningCast.keyRef(schema, b);
        if (rb != null && isValue(a)) {
            return new Sides(b, rb, a, true);
        }
        return null;
    }

    private static boolean isValue(RexNode n) {
        return n instanceof RexLiteral || n instanceof RexDynamicParam;
    }

    static @Nullable Object value(RexNode n, Parameters params) {
        if (n instanceof RexDynamicParam p) {
            return params.get(p.getIndex());
        }
        Object v = ((RexLiteral) n).getValue3();
        return v == null ? null : plain(v);
    }

    /** Calcite's literal representations reduced to plain Java values. */
    static Object plain(Object v) {
        if (v instanceof NlsString s) {
            return s.getValue();
        }
        if (v instanceof DateString d) {
            return d.getDaysSinceEpoch();
        }
        if (v instanceof TimeString t) {
            return t.getMillisOfDay();
        }
        if (v instanceof TimestampString t) {
            return t.getMillisSinceEpoch();
        }
        if (v instanceof ByteString b) {
            return b.getBytes();
        }
        return v;
    }

    /**
     * A dynamic parameter's value for a key column. For SMALLINT, INTEGER and BIGINT columns a number is narrowed
     * exactly as Calcite's generated code narrows the parameter ({@code Number.shortValue()}, {@code intValue()},
     * {@code longValue()}), so the seek selects the rows Calcite's own comparison would, and a value that is not a
     * number fails (22018) instead of a ClassCastException inside Calcite. Other types convert exactly or are left
     * to Calcite (null).
     */
    static @Nullable Object parameter(TableSchema schema, ColumnDef def, Object v) {
        if (!isIntegral(def.type())) {
            return convert(schema, def, v);
        }
        if (!(v instanceof Number n)) {
            throw new StrataException(
                    ErrorCode.INVALID_VALUE,
                    "parameter value '" + v + "' (" + v.getClass().getSimpleName() + ") is not a valid " + def.type()
                            + " for column " + schema.name() + "." + def.name());
        }
        return switch (def.type()) {
            case SMALLINT -> n.shortValue();
            case INTEGER -> n.intValue();
            default -> n.longValue();
        };
    }

    /** Whether a column type's values are compared as Calcite compares them, whatever the key encoding. */
    static boolean isIntegral(ColumnType type) {
        return type == ColumnType.SMALLINT || type == ColumnType.INTEGER || type == ColumnType.BIGINT;
    }

    static @Nullable Object convert(TableSchema schema, ColumnDef def, Object v) {
        try {
            return TypeMapping.toEngine(schema.name(), def, v);
        } catch (StrataException e) {
            return null; // not representable in the key's type: leave the conjunct to Calcite
        }
    }

    private static @Nullable Cond first(List<Cond> conds, int col, SqlKind op) {
        for (Cond c : conds) {
            if (c.column == col && c.op == op) {
                return c;
            }
        }
        return null;
    }
}
