package dev.faultline.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.ui.review.BarChart;
import dev.faultline.ui.review.ReviewPeriod;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Periods in the reader's zone and what "the period before" means; the bar chart's SVG. */
class ReviewPeriodTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void aMonthStartsAtMidnightInTheReadersZone() {
    ReviewPeriod march = ReviewPeriod.month(YearMonth.of(2026, 3), BERLIN);
    assertEquals(Instant.parse("2026-02-28T23:00:00Z"), march.from());
    // Summer time starts on 29 March: April begins at 22:00 UTC.
    assertEquals(Instant.parse("2026-03-31T22:00:00Z"), march.to());
    assertEquals("March 2026", march.label());
    assertEquals(ReviewPeriod.month(YearMonth.of(2026, 2), BERLIN), march.previous());
    assertEquals("week", march.trendUnit());
  }

  @Test
  void theQuarterBeforeTheFirstIsTheLastOfTheYearBefore() {
    ReviewPeriod q1 = ReviewPeriod.quarter(2026, 1, ZoneOffset.UTC);
    assertEquals("Q1 2026", q1.label());
    assertEquals("Q4 2025", q1.previous().label());
    assertEquals(LocalDate.of(2025, 10, 1), q1.previous().first());
    assertEquals("month", q1.trendUnit());
    assertThrows(IllegalArgumentException.class, () -> ReviewPeriod.quarter(2026, 5, BERLIN));
  }

  @Test
  void chosenDaysAreComparedWithAsManyDaysJustBefore() {
    ReviewPeriod p = ReviewPeriod.days(LocalDate.of(2026, 8, 3), LocalDate.of(2026, 8, 16), BERLIN);
    assertEquals(14, p.days());
    assertEquals(LocalDate.of(2026, 7, 20), p.previous().first());
    assertEquals(LocalDate.of(2026, 8, 2), p.previous().last());
    assertEquals("2026-08-03 to 2026-08-16", p.label());
    IllegalArgumentException backwards =
        assertThrows(
            IllegalArgumentException.class,
            () -> ReviewPeriod.days(LocalDate.of(2026, 8, 3), LocalDate.of(2026, 8, 1), BERLIN));
    assertTrue(backwards.getMessage().startsWith("period:"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ReviewPeriod.days(LocalDate.of(2020, 1, 1), LocalDate.of(2026, 1, 1), BERLIN));
  }

  @Test
  void barsScaleToARoundTopAndEscapeLabels() {
    BarChart c =
        new BarChart(
            "chart-x",
            "Downtime <by> layer",
            "h",
            List.of("now", "before"),
            List.of(
                new BarChart.Row("scheduler", new double[] {3.0, 1.5}),
                new BarChart.Row("a&b", new double[] {1.0, Double.NaN})),
            null);
    // 3 h rounds up to 3.2 (quarters of 0.8 h).
    assertEquals(3.2, c.top(), 1e-9);
    String svg = c.svg();
    assertTrue(svg.contains("Downtime &lt;by&gt; layer"), svg);
    assertTrue(svg.contains("a&amp;b"), svg);
    assertTrue(svg.contains("3.0 h"), svg);
    // 3 of 3.2 hours of the 370-pixel plot.
    assertTrue(svg.contains("width=\"346.9\""), svg);
    assertEquals(
        "∞ %",
        new BarChart("b", "t", "%", List.of("x"), List.of(), 100.0)
            .format(Double.POSITIVE_INFINITY));
  }
}
