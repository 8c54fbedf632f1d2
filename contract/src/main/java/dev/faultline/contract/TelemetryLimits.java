package dev.faultline.contract;

/**
 * The bounds {@link TelemetryCodec#decode} holds every {@code telemetry.v1} record to, so that a
 * hostile or broken producer cannot make a reader allocate without limit, overflow an integer or
 * recurse deeply. Input beyond them is a {@link ContractViolation} naming the field, like any other
 * invalid record.
 */
public final class TelemetryLimits {

  /** One record (one NDJSON line) as UTF-8 bytes. */
  public static final int MAX_RECORD_BYTES = 64 * 1024;

  /** Identifiers: {@code source}, {@code model}, {@code node}, alert names, map keys. */
  public static final int MAX_ID_CHARS = 256;

  /** Values of {@code infra} and {@code labels} maps. */
  public static final int MAX_MAP_VALUE_CHARS = 1024;

  /** Free text: an alert's {@code summary}, a probe's {@code error}. */
  public static final int MAX_TEXT_CHARS = 4096;

  /** Entries of one map ({@code infra}, {@code labels}, {@code errors_by_code}) or list. */
  public static final int MAX_ENTRIES = 64;

  /** Nesting of objects and arrays, unknown fields included (a record itself is depth 1). */
  public static final int MAX_DEPTH = 16;

  /** Digits of one JSON number literal. */
  public static final int MAX_NUMBER_CHARS = 64;

  private TelemetryLimits() {}
}
