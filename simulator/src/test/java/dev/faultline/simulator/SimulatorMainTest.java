package dev.faultline.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.LabelCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorMainTest {

  private static String run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SimulatorMain.run(List.of(args), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void listsEveryScenario() {
    String out = run("list");
    Scenario.names().forEach(name -> assertTrue(out.contains(name), name));
  }

  @Test
  void writesTheSameFileAsTheApiAndPrintsTheTruth(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("out.ndjson");
    String out = run("write", "seed-outage", file.toString(), "--duration", "PT40M", "--seed", "5");
    assertTrue(out.contains("sched-east"), out);
    Path viaApi = dir.resolve("api.ndjson");
    Simulator.scenario("seed-outage")
        .withDuration(Duration.ofMinutes(40))
        .withSeed(5)
        .writeNdjson(viaApi);
    assertEquals(Files.readString(viaApi), Files.readString(file));
  }

  @Test
  void writesTheLabelsOfWhatItWroteAndListsEveryScenario(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("out.ndjson");
    Path labels = dir.resolve("labels.ndjson");
    String out =
        run(
            "write",
            "intermittent",
            file.toString(),
            "--duration",
            "PT50M",
            "--labels",
            labels.toString());
    assertTrue(out.contains("wrote 1 labels"), out);
    Simulator sim = Simulator.scenario("intermittent").withDuration(Duration.ofMinutes(50));
    assertEquals(sim.labels(), LabelCodec.read(labels));
    assertTrue(Files.size(file) > 0);
    String list = run("list");
    Scenario.catalogNames().forEach(name -> assertTrue(list.contains(name), name));
  }

  @Test
  void badOptionValueIsNamed(@TempDir Path dir) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> run("write", "quiet-day", dir.resolve("x").toString(), "--seed", "many"));
    assertTrue(e.getMessage().contains("--seed"), e.getMessage());
  }
}
