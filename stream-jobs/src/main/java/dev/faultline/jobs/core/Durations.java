package dev.faultline.jobs.core;

import java.time.Duration;

/** How the job writes a duration for people: {@code 45s}, {@code 5m30s}. */
public final class Durations {

  private Durations() {}

  /** {@code d} as seconds under a minute, else minutes and two-digit seconds. */
  public static String human(Duration d) {
    long s = d.toSeconds();
    return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
  }
}
