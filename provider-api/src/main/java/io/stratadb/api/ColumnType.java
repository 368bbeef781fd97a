package io.stratadb.api;

/**
 * The SQL column types a table can hold, with the Java value each uses in rows.
 *
 * <p>Values are the representations Apache Calcite uses internally, so rows pass between the engine and the
 * SQL layer without conversion: DATE is an {@link Integer} count of days since 1970-01-01, TIME an {@link
 * Integer} count of milliseconds since midnight, TIMESTAMP a {@link Long} count of milliseconds since
 * 1970-01-01T00:00 (no time zone).
 *
 * @since 0.1
 */
public enum ColumnType {
    /** {@link Boolean}. */
    BOOLEAN(java.sql.Types.BOOLEAN),
    /** {@link Short}. */
    SMALLINT(java.sql.Types.SMALLINT),
    /** {@link Integer}. */
    INTEGER(java.sql.Types.INTEGER),
    /** {@link Long}. */
    BIGINT(java.sql.Types.BIGINT),
    /** {@link java.math.BigDecimal} with the column's precision and scale. */
    DECIMAL(java.sql.Types.DECIMAL),
    /** {@link Double}. */
    DOUBLE(java.sql.Types.DOUBLE),
    /** {@link String} of at most {@code precision} characters. */
    VARCHAR(java.sql.Types.VARCHAR),
    /** {@code byte[]} of at most {@code precision} bytes. */
    VARBINARY(java.sql.Types.VARBINARY),
    /** {@link Integer} days since the epoch. */
    DATE(java.sql.Types.DATE),
    /** {@link Integer} milliseconds since midnight. */
    TIME(java.sql.Types.TIME),
    /** {@link Long} milliseconds since the epoch, without a time zone. */
    TIMESTAMP(java.sql.Types.TIMESTAMP);

    private final int jdbcType;

    ColumnType(int jdbcType) {
        this.jdbcType = jdbcType;
    }

    /** The {@link java.sql.Types} constant. */
    public int jdbcType() {
        return jdbcType;
    }
}
