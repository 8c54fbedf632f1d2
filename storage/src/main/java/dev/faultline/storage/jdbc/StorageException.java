package dev.faultline.storage.jdbc;

import java.sql.SQLException;

/** A database error, unchecked so that repository callers need not handle JDBC types. */
public final class StorageException extends RuntimeException {

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageException(SQLException cause) {
    super(cause.getMessage() + " (SQLState " + cause.getSQLState() + ")", cause);
  }
}
