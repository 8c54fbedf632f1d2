package dev.faultline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchMainTest {

  @Test
  void flagsAndValuesAreParsed() {
    assertEquals(
        Map.of("quick", "true", "only", "ingest,latency", "runs", "3"),
        BenchMain.parse(new String[] {"--quick", "--only", "ingest,latency", "--runs", "3"}));
  }

  @Test
  void aBareWordIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> BenchMain.parse(new String[] {"quick"}));
  }
}
