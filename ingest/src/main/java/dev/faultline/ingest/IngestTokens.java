package dev.faultline.ingest;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * The bearer tokens of the push endpoints and of the Alertmanager receiver. Each is, in order: the
 * configured value ({@code token}), the configured environment variable ({@code token_env}, which
 * must then be set), the default variable ({@code FAULTLINE_INGEST_TOKEN}, {@code
 * FAULTLINE_ALERTMANAGER_TOKEN}) when set, else a random token generated on first start and kept in
 * {@value #FILE} in the data directory, created readable by its owner only. Only the file's path is
 * ever logged or printed, never a token.
 *
 * @param push the token of {@code /v1/telemetry} and {@code /v1/gateway/requests}
 * @param alertmanager the token of {@code /v1/alertmanager}
 * @param file the token file when a token was generated or read from it, else null
 */
public record IngestTokens(String push, String alertmanager, Path file) {

  /** The token file's name in the data directory. */
  public static final String FILE = "ingest-tokens.properties";

  static final String PUSH_ENV = "FAULTLINE_INGEST_TOKEN";
  static final String ALERTMANAGER_ENV = "FAULTLINE_ALERTMANAGER_TOKEN";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** Resolves both tokens, generating what configuration does not give. */
  static IngestTokens resolve(
      IngestConfig config, Function<String, String> environment, Path dataDir) {
    String push = configured(config.http().token(), config.http().tokenEnv(), "http", environment);
    String alert =
        configured(
            config.alertmanager().token(),
            config.alertmanager().tokenEnv(),
            "alertmanager",
            environment);
    push = push != null ? push : nonBlank(environment.apply(PUSH_ENV));
    alert = alert != null ? alert : nonBlank(environment.apply(ALERTMANAGER_ENV));
    if (push != null && alert != null) {
      return new IngestTokens(push, alert, null);
    }
    Path file = dataDir.resolve(FILE);
    Properties stored = readOrCreate(file);
    return new IngestTokens(
        push != null ? push : stored.getProperty("push"),
        alert != null ? alert : stored.getProperty("alertmanager"),
        file);
  }

  private static String configured(
      String token, String tokenEnv, String section, Function<String, String> environment) {
    if (token != null) {
      return token;
    }
    return tokenEnv == null
        ? null
        : IngestConfig.fromEnvironment(tokenEnv, section + ".token_env", environment);
  }

  private static String nonBlank(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** The stored tokens; on first start, new ones in a file only the owner can read. */
  private static synchronized Properties readOrCreate(Path file) {
    try {
      Properties tokens = new Properties();
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        tokens.setProperty("push", generate());
        tokens.setProperty("alertmanager", generate());
        write(file, tokens);
        return tokens;
      }
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        tokens.load(in);
      }
      if (tokens.getProperty("push") == null || tokens.getProperty("alertmanager") == null) {
        throw new IngestConfigException(
            null, file + " lacks push= or alertmanager=: delete it to generate new tokens");
      }
      return tokens;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the ingest tokens in " + file, e);
    }
  }

  private static void write(Path file, Properties tokens) throws IOException {
    Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(file + " appeared while generating tokens", e);
    }
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      tokens.store(out, "Faultline ingest bearer tokens (generated on first start; keep secret)");
    }
  }

  private static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
