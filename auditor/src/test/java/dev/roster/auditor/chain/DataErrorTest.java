package dev.roster.auditor.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which refusals isolate a record (data errors) and which are retried (everything else). */
class DataErrorTest {

  @ParameterizedTest
  @CsvSource({
    "22021, true", // invalid byte sequence (a NUL character)
    "22001, true", // value too long for its column
    "22P05, true", // untranslatable character
    "22007, true", // invalid datetime format
    "23502, true", // not-null violation
    "23514, true", // check violation
    "54000, true", // index row too large (an over-long indexed value)
    "23505, false", // unique violation: the idempotency check handles it on retry
    "08006, false", // connection failure
    "08001, false", // cannot connect
    "57P01, false", // administrator shutdown
    "40001, false", // serialization failure
    "40P01, false", // deadlock
    "42501, false", // missing grant: fix the grant, then the retry passes
    "53300, false", // too many connections
  })
  void classifiesBySqlState(String state, boolean data) {
    SQLException e = new SQLException("ERROR: refused\n  Where: somewhere", state);
    assertThat(DataError.of(new RuntimeException("wrapped", e)).isPresent()).isEqualTo(data);
  }

  @Test
  void noSqlStateIsNoDataError() {
    assertThat(DataError.of(new IllegalStateException("boom"))).isEmpty();
    assertThat(DataError.of(new SQLException("no state"))).isEmpty();
  }

  @Test
  void reportsTheServerMessageNotTheBatchStatementWithItsValues() {
    SQLException server =
        new SQLException(
            "ERROR: invalid byte sequence for encoding \"UTF8\": 0x00\n  Where: parameter $18",
            "22021");
    BatchUpdateException batch =
        new BatchUpdateException(
            "Batch entry 0 INSERT INTO audit_log (...) VALUES ('secret-ish') was aborted",
            "22021",
            0,
            new int[0],
            server);
    batch.setNextException(server);

    DataError error = DataError.of(new RuntimeException(batch)).orElseThrow();

    assertThat(error.sqlState()).isEqualTo("22021");
    assertThat(error.describe())
        .isEqualTo("SQLState 22021: invalid byte sequence for encoding \"UTF8\": 0x00");
  }

  @Test
  void aBatchExceptionAloneStillCountsWithoutQuotingTheStatement() {
    BatchUpdateException batch =
        new BatchUpdateException("Batch entry 0 INSERT ... VALUES ('x')", "22001", new int[0]);

    DataError error = DataError.of(batch).orElseThrow();

    assertThat(error.describe()).isEqualTo("SQLState 22001: batch entry refused");
  }
}
