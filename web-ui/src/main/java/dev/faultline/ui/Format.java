package dev.faultline.ui;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How every page and export writes durations, money and times (in the reader's zone). */
public final class Format {

  private Format() {}

  /** "1 h 23 min", "4 min 10 s", "unknown" for null. */
  public static String duration(Duration d) {
    if (d == null) {
      return "unknown";
    }
    long s = d.toSeconds();
    if (s >= 3600) {
      return (s / 3600) + " h " + (s % 3600) / 60 + " min";
    }
    if (s >= 60) {
      return (s / 60) + " min " + (s % 60) + " s";
    }
    return s + " s";
  }

  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  /** "2026-08-14 16:00:05 CEST": a stored UTC instant in the reader's zone, the zone named. */
  public static String dateTime(Instant t, ZoneId zone) {
    if (t == null) {
      return "";
    }
    return DATE_TIME.format(t.atZone(zone)) + " " + zoneShort(t, zone);
  }

  /** "2026-08-14 16:00:05" in the zone, for a table whose header names the zone. */
  public static String localDateTime(Instant t, ZoneId zone) {
    return t == null ? "" : DATE_TIME.format(t.atZone(zone));
  }

  /** The zone's short name at that instant ("CEST", "UTC", "GMT+05:30"). */
  public static String zoneShort(Instant t, ZoneId zone) {
    return DateTimeFormatter.ofPattern("zzz", Locale.ROOT).format(t.atZone(zone));
  }

  /** "Europe/Berlin" (or "UTC"), how pages name the zone their times are in. */
  public static String zoneName(ZoneId zone) {
    String id = zone.normalized().getId();
    return id.equals("Z") ? "UTC" : zone.getId();
  }

  /** "$12,345". */
  public static String money(BigDecimal amount) {
    return String.format(Locale.ROOT, "$%,.0f", amount);
  }
}
