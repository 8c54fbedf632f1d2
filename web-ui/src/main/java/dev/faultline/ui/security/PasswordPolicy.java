package dev.faultline.ui.security;

/**
 * What a password must satisfy, whether a user chooses it on the account page or an operator sets a
 * first-start password.
 */
public final class PasswordPolicy {

  /** Fewest characters a chosen password may have. */
  public static final int MIN_LENGTH = 12;

  /** Longest accepted: bcrypt reads only the first 72 bytes. */
  public static final int MAX_BYTES = 72;

  private PasswordPolicy() {}

  /**
   * Why a password is refused, or null when it is acceptable. The message never repeats the
   * password.
   */
  public static String problem(String password) {
    if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
      return "must have at least " + MIN_LENGTH + " characters";
    }
    if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "must have at most " + MAX_BYTES + " bytes";
    }
    if (password.isBlank()) {
      return "must not be blank";
    }
    return null;
  }
}
