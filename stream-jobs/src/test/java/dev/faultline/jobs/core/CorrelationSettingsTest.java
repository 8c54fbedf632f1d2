package dev.faultline.jobs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorrelationSettingsTest {

  @TempDir Path dir;

  @Test
  void aSettingsFileIsLaidOverTheDefaults() throws Exception {
    Path file = dir.resolve("settings.yaml");
    Files.writeString(
        file, "confirm_windows: 6\nconfirmBad: 3\nrecover-after: 10m\nwindow_alpha: 0.0001\n");
    CorrelationSettings s = CorrelationSettings.load(file);
    assertEquals(6, s.confirmWindows());
    assertEquals(3, s.confirmBad());
    assertEquals(Duration.ofMinutes(10), s.recoverAfter());
    assertEquals(1e-4, s.windowAlpha());
    assertEquals(CorrelationSettings.defaults().groupingHold(), s.groupingHold());
  }

  @Test
  void jsonWorksToo() throws Exception {
    Path file = dir.resolve("settings.json");
    Files.writeString(file, "{\"grouping_hold\": \"PT6S\", \"min_requests\": 50}");
    CorrelationSettings s = CorrelationSettings.load(file);
    assertEquals(Duration.ofSeconds(6), s.groupingHold());
    assertEquals(50, s.minRequests());
  }

  @Test
  void anUnknownSettingIsNamedWithTheKnownOnes() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "confirm_window: 6\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CorrelationSettings.load(file));
    assertTrue(e.getMessage().contains("unknown setting 'confirm_window'"), e.getMessage());
    assertTrue(e.getMessage().contains("confirm_windows"), e.getMessage());
  }

  @Test
  void aWrongValueIsNamed() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "recover_after: soon\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CorrelationSettings.load(file));
    assertTrue(
        e.getMessage().contains("recover_after: 'soon' is not a valid duration"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> CorrelationSettings.defaults().with("confirm_bad", "9"),
        "more bad windows than windows looked at");
  }

  @Test
  void describeListsEverySettingAndReadsBack() {
    CorrelationSettings d = CorrelationSettings.defaults();
    java.util.Map<String, String> all = new java.util.LinkedHashMap<>();
    for (String line : d.describe()) {
      int colon = line.indexOf(": ");
      all.put(line.substring(0, colon), line.substring(colon + 2));
    }
    assertEquals(CorrelationSettings.class.getRecordComponents().length, all.size());
    assertEquals(d, d.with(all));
  }
}
