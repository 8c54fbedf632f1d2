package dev.faultline.ingest;

/**
 * A configuration file that cannot be used; the message names the field and, when the file has it,
 * where: {@code scrape[1].url (line 12, column 10) (ftp://x) must be an http(s) URL}.
 */
public final class IngestConfigException extends RuntimeException {

  private final String field;
  private final int line;
  private final int column;

  public IngestConfigException(String field, String reason) {
    this(field, reason, 0, 0);
  }

  /**
   * @param line 1-based line in the file, or 0 when unknown
   * @param column 1-based column, or 0 when unknown
   */
  public IngestConfigException(String field, String reason, int line, int column) {
    super(message(field, reason, line, column));
    this.field = field;
    this.line = line;
    this.column = column;
  }

  private static String message(String field, String reason, int line, int column) {
    String where = line > 0 ? "(line " + line + ", column " + column + ")" : null;
    if (field == null) {
      return where == null ? reason : reason + " " + where;
    }
    return where == null ? field + " " + reason : field + " " + where + " " + reason;
  }

  /** The offending field's path, or null when the file as a whole is unreadable. */
  public String field() {
    return field;
  }

  /** The 1-based line of the field in the file, or 0 when unknown (e.g. a missing field). */
  public int line() {
    return line;
  }

  /** The 1-based column of the field in the file, or 0 when unknown. */
  public int column() {
    return column;
  }
}
