package dev.faultline.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.faultline.storage.schema.Retention;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StorageConfigTest {

  @Test
  void defaultsKeepRawWindowsTwoWeeksMinuteAggregatesAQuarterAndHourlyForever() {
    StorageConfig c = StorageConfig.of("jdbc:postgresql://127.0.0.1/faultline", "u", "p");
    assertEquals(Duration.ofDays(14), c.retention().rawWindows());
    assertEquals(Duration.ofDays(90), c.retention().minuteAggregates());
    assertNull(c.retention().hourlyAggregates());
    assertEquals(StorageConfig.TimescaleMode.AUTO, c.timescale());
  }

  @Test
  void rejectsBadSettingsNamingTheField() {
    assertEquals(
        "jdbcUrl must be a jdbc:postgresql: URL, was jdbc:mysql://x",
        assertThrows(
                IllegalArgumentException.class, () -> StorageConfig.of("jdbc:mysql://x", "u", "p"))
            .getMessage());
    assertEquals(
        "retention.rawWindows must be at least 1 day, was PT1H",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    new Retention(
                        Duration.ofHours(1), Duration.ofDays(90), null, Duration.ofDays(2)))
            .getMessage());
  }
}
