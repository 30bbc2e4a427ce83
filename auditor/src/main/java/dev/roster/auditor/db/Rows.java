package dev.roster.auditor.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** A plain JDBC SELECT for the read sides kept outside Panache (the report tables). */
public final class Rows {
  private Rows() {}

  /** Reads one row of the result. */
  public interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /**
   * Runs {@code sql} with {@code args} bound in order (an {@link Instant} as {@code timestamptz});
   * a failure is an {@link IllegalStateException} naming {@code what}.
   */
  public static <T> List<T> select(
      DataSource dataSource, String what, String sql, List<Object> args, Row<T> row) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        Object arg = args.get(i);
        s.setObject(
            i + 1, arg instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : arg);
      }
      List<T> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(row.read(rs));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(what + " query failed", e);
    }
  }
}
