package dev.faultline.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.dashboards.GrafanaSql.TimeRange;
import dev.faultline.dashboards.GrafanaSql.Variable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The expansions the dashboard test relies on, as Grafana's PostgreSQL datasource does them. */
class GrafanaSqlTest {

  private static final Instant FROM = Instant.parse("2026-06-22T13:30:00Z");
  private static final Instant TO = FROM.plus(Duration.ofHours(1));

  private final GrafanaSql sql =
      new GrafanaSql(
          Map.of(
              "model", new Variable("model", List.of("llama-3.3-70b", "o'brien"), true),
              "single", new Variable("single", List.of("mistral-large"), false)),
          new TimeRange(FROM, TO),
          Duration.ofMinutes(5),
          false);

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "$__timeFilter(ts)|ts BETWEEN '2026-06-22T13:30:00Z' AND '2026-06-22T14:30:00Z'",
        "$__timeFrom()|'2026-06-22T13:30:00Z'",
        "$__timeTo()|'2026-06-22T14:30:00Z'",
        "$__timeGroup(ts, '1m')|floor(extract(epoch from ts)/60)*60",
        "$__timeGroupAlias(ts, $__interval)|floor(extract(epoch from ts)/300)*300 AS \"time\"",
        "$__time(ts)|ts AS \"time\"",
        "$__unixEpochFilter(epoch)|epoch >= 1782135000 AND epoch <= 1782138600",
        "$__interval_ms|300000",
        "${model:sqlstring}|'llama-3.3-70b','o''brien'",
        "$model|'llama-3.3-70b','o''brien'",
        "[[model]]|'llama-3.3-70b','o''brien'",
        "$single|mistral-large",
        "${single:sqlstring}|'mistral-large'",
        "${model:csv}|llama-3.3-70b,o'brien",
      })
  void expandsLikeGrafana(String query, String expected) {
    assertEquals(expected, sql.expand(query));
  }

  @Test
  void timescaleDatasourcesGroupWithTimeBucket() {
    GrafanaSql timescale =
        new GrafanaSql(Map.of(), new TimeRange(FROM, TO), Duration.ofSeconds(10), true);
    assertEquals(
        "time_bucket('10s',ts) AS \"time\"", timescale.expand("$__timeGroupAlias(ts,$__interval)"));
  }

  @Test
  void anUndefinedVariableIsAnError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sql.expand("WHERE node = $node"));
    assertTrue(e.getMessage().contains("$node"), e.getMessage());
  }

  @Test
  void anUnknownMacroIsAnError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sql.expand("$__timeFliter(ts)"));
    assertTrue(e.getMessage().contains("timeFliter"), e.getMessage());
  }

  @Test
  void aMalformedIntervalIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> sql.expand("$__timeGroup(ts, soon)"));
  }

  @Test
  void intervalTextUsesTheLargestWholeUnit() {
    assertEquals("1h", GrafanaSql.intervalText(Duration.ofHours(1)));
    assertEquals("90s", GrafanaSql.intervalText(Duration.ofSeconds(90)));
    assertEquals("250ms", GrafanaSql.intervalText(Duration.ofMillis(250)));
  }
}
