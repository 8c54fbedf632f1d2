package dev.faultline.embedded;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/** Generated secrets kept in files only their owner may read. */
final class Secrets {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /**
   * The secret in {@code file}; on first use a new random one, written to a file created readable
   * and writable by its owner only.
   */
  static String ownerOnlyFile(Path file) throws IOException {
    if (!Files.exists(file)) {
      byte[] bytes = new byte[24];
      RANDOM.nextBytes(bytes);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      try {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
          Files.createFile(file);
        }
        Files.writeString(file, secret);
      } catch (FileAlreadyExistsException raced) {
        // another process created it first: read theirs
      }
    }
    String secret = Files.readString(file).trim();
    if (secret.isEmpty()) {
      throw new IOException(file + " is empty");
    }
    return secret;
  }
}
