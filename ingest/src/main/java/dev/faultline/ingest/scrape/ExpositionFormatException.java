package dev.faultline.ingest.scrape;

/** A text exposition that breaks the format; the message names the line and what is wrong. */
public final class ExpositionFormatException extends RuntimeException {

  private final int line;

  public ExpositionFormatException(int line, String message) {
    super("line " + line + ": " + message);
    this.line = line;
  }

  /** The 1-based line of the problem. */
  public int line() {
    return line;
  }
}
