package dev.faultline.ingest;

/**
 * A configuration file that cannot be used; the message names the field, e.g. {@code
 * scrape[1].url}.
 */
public final class IngestConfigException extends RuntimeException {

  private final String field;

  public IngestConfigException(String field, String reason) {
    super(field == null ? reason : field + " " + reason);
    this.field = field;
  }

  /** The offending field's path, or null when the file as a whole is unreadable. */
  public String field() {
    return field;
  }
}
