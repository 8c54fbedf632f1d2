package dev.faultline.ui;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/** How every page and export writes durations and money. */
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

  /** "$12,345". */
  public static String money(BigDecimal amount) {
    return String.format(Locale.ROOT, "$%,.0f", amount);
  }
}
