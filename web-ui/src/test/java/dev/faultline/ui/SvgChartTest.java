package dev.faultline.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.ui.incident.SvgChart;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SvgChartTest {

  static final Instant FROM = Instant.parse("2026-06-22T13:30:00Z");
  static final Instant TO = FROM.plusSeconds(600);

  @Test
  void drawsOneLinePerModelWithEscapedLegendAndMarkers() {
    Map<String, List<SvgChart.Point>> lines = new LinkedHashMap<>();
    lines.put("model<a>", List.of(new SvgChart.Point(FROM, 0), new SvgChart.Point(TO, 0.5)));
    lines.put("model-b", List.of(new SvgChart.Point(FROM, 0.1)));
    String svg =
        SvgChart.lines(lines, FROM, TO, 0.1, v -> v + "", Map.of("onset", FROM.plusSeconds(300)));
    assertEquals(2, svg.split("<path ").length - 1);
    assertTrue(svg.contains("model&lt;a&gt;"), svg);
    assertTrue(svg.contains(">onset<"), svg);
    assertTrue(svg.startsWith("<svg") && svg.endsWith("</svg>"));
  }

  @Test
  void theHighestPointTouchesTheTopOfThePlot() {
    String svg =
        SvgChart.lines(
            Map.of("m", List.of(new SvgChart.Point(FROM, 0), new SvgChart.Point(TO, 2.0))),
            FROM,
            TO,
            1.0,
            v -> v + "",
            Map.of());
    // TOP margin is 14 px: the maximum of the data is drawn there.
    assertTrue(svg.contains("L628.0 14.0"), svg);
  }

  @Test
  void axisTopIsTheNextRoundNumberAboveTheData() {
    assertEquals(16000, SvgChart.roundTop(13564), 1e-9);
    assertEquals(1.0, SvgChart.roundTop(0.99), 1e-9);
    assertEquals(2.0, SvgChart.roundTop(2.0), 1e-9);
    assertEquals(0.6, SvgChart.roundTop(0.55), 1e-9);
    String svg =
        SvgChart.lines(
            Map.of("m", List.of(new SvgChart.Point(FROM, 13564))),
            FROM,
            TO,
            0,
            v -> String.format(java.util.Locale.ROOT, "%.0f ms", v),
            Map.of());
    assertTrue(svg.contains(">4000 ms<") && svg.contains(">16000 ms<"), svg);
  }
}
