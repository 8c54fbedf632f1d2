package dev.faultline.ui.review;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;

/**
 * A reviewed period: whole calendar days [first, end) of the reader's zone.
 *
 * @param end the day after the last one
 */
public record ReviewPeriod(Kind kind, LocalDate first, LocalDate end, ZoneId zone) {

  /** How the period was chosen; decides what "the period before" means. */
  public enum Kind {
    MONTH,
    QUARTER,
    CUSTOM
  }

  /** The longest custom period, so one click cannot ask for decades. */
  public static final int MAX_DAYS = 731;

  public ReviewPeriod {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(zone, "zone");
    if (first == null || end == null || !end.isAfter(first)) {
      throw new IllegalArgumentException("period: the last day must not be before the first");
    }
    if (ChronoUnit.DAYS.between(first, end) > MAX_DAYS) {
      throw new IllegalArgumentException("period: at most " + MAX_DAYS + " days");
    }
  }

  /** A calendar month. */
  public static ReviewPeriod month(YearMonth month, ZoneId zone) {
    return new ReviewPeriod(Kind.MONTH, month.atDay(1), month.plusMonths(1).atDay(1), zone);
  }

  /** A calendar quarter (1 to 4). */
  public static ReviewPeriod quarter(int year, int quarter, ZoneId zone) {
    if (quarter < 1 || quarter > 4) {
      throw new IllegalArgumentException("quarter: must be 1 to 4, was " + quarter);
    }
    LocalDate first = LocalDate.of(year, 3 * (quarter - 1) + 1, 1);
    return new ReviewPeriod(Kind.QUARTER, first, first.plusMonths(3), zone);
  }

  /** Chosen days, both included. */
  public static ReviewPeriod days(LocalDate first, LocalDate last, ZoneId zone) {
    if (first == null || last == null) {
      throw new IllegalArgumentException("period: pick a first and a last day");
    }
    return new ReviewPeriod(Kind.CUSTOM, first, last.plusDays(1), zone);
  }

  /** The month, quarter or as many days just before. */
  public ReviewPeriod previous() {
    return switch (kind) {
      case MONTH -> month(YearMonth.from(first).minusMonths(1), zone);
      case QUARTER -> new ReviewPeriod(kind, first.minusMonths(3), first, zone);
      case CUSTOM -> new ReviewPeriod(kind, first.minusDays(days()), first, zone);
    };
  }

  /** Start of the first day in the zone. */
  public Instant from() {
    return first.atStartOfDay(zone).toInstant();
  }

  /** Start of the day after the last, in the zone. */
  public Instant to() {
    return end.atStartOfDay(zone).toInstant();
  }

  /** Length in days. */
  public long days() {
    return ChronoUnit.DAYS.between(first, end);
  }

  /** The last day included. */
  public LocalDate last() {
    return end.minusDays(1);
  }

  /** The calendar unit the trend is bucketed by: weeks for up to two months, else months. */
  public String trendUnit() {
    return days() <= 62 ? "week" : "month";
  }

  /** "August 2026", "Q3 2026", "2026-08-03 to 2026-08-16". */
  public String label() {
    return switch (kind) {
      case MONTH ->
          first.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + first.getYear();
      case QUARTER -> "Q" + ((first.getMonthValue() - 1) / 3 + 1) + " " + first.getYear();
      case CUSTOM -> first + " to " + last();
    };
  }

  /** For file names: "2026-08", "2026-Q3", "2026-08-03_2026-08-16". */
  public String slug() {
    return switch (kind) {
      case MONTH -> YearMonth.from(first).toString();
      case QUARTER -> first.getYear() + "-Q" + ((first.getMonthValue() - 1) / 3 + 1);
      case CUSTOM -> first + "_" + last();
    };
  }
}
