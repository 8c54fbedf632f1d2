package dev.faultline.storage.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.faultline.storage.jdbc.StorageException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrierTest {

  final List<Duration> pauses = new ArrayList<>();

  @Test
  void retriesWhileTheDatabaseIsAwayBackingOffExponentially() throws Exception {
    Retrier retrier =
        new Retrier(new WriteRetry(Duration.ofMillis(100), Duration.ofMillis(350), 0), pauses::add);
    int[] calls = {0};
    String result =
        retrier.run(
            "write",
            () -> {
              if (++calls[0] < 5) {
                throw new SQLException("connection refused", "08001");
              }
              return "written";
            });
    assertEquals("written", result);
    assertEquals(
        List.of(
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(350),
            Duration.ofMillis(350)),
        pauses);
  }

  @Test
  void doesNotRetryARecordTheDatabaseRejects() {
    Retrier retrier = new Retrier(WriteRetry.DEFAULTS, pauses::add);
    StorageException e =
        assertThrows(
            StorageException.class,
            () ->
                retrier.run(
                    "write",
                    () -> {
                      throw new SQLException("violates check constraint", "23514");
                    }));
    assertEquals(List.of(), pauses);
    assertEquals(SQLException.class, e.getCause().getClass());
  }

  @Test
  void givesUpAfterTheConfiguredAttempts() {
    Retrier retrier =
        new Retrier(new WriteRetry(Duration.ofMillis(1), Duration.ofMillis(1), 3), pauses::add);
    assertThrows(
        StorageException.class,
        () ->
            retrier.run(
                "write",
                () -> {
                  throw new SQLException("the database system is starting up", "57P03");
                }));
    assertEquals(2, pauses.size());
  }
}
