package dev.faultline.ingest.statuspage;

/** A summary document that breaks the Statuspage v2 shape; the message names the field. */
public final class StatuspageFormatException extends RuntimeException {

  private final String field;

  public StatuspageFormatException(String field, String reason) {
    super(field == null ? reason : field + " " + reason);
    this.field = field;
  }

  /** The offending field's path (e.g. {@code components[2].status}), or null for the document. */
  public String field() {
    return field;
  }
}
