package dev.faultline.contract;

/**
 * A record that breaks the contract. The message names the field and the reason, for example {@code
 * model_window.errors (140) exceeds requests (120)}; {@link #atLine(long)} prefixes a line number
 * for NDJSON input.
 */
public final class ContractViolation extends RuntimeException {

  private final String field;
  private final String reason;

  public ContractViolation(String field, String reason) {
    super(field == null ? reason : field + " " + reason);
    this.field = field;
    this.reason = reason;
  }

  private ContractViolation(String message, String field, String reason) {
    super(message);
    this.field = field;
    this.reason = reason;
  }

  /** The offending field, qualified by kind ({@code model_window.errors}), or null. */
  public String field() {
    return field;
  }

  /** Why the field is wrong, without the field name. */
  public String reason() {
    return reason;
  }

  /** The same violation, located at a line of NDJSON input (1-based). */
  public ContractViolation atLine(long line) {
    return new ContractViolation("line " + line + ": " + getMessage(), field, reason);
  }
}
