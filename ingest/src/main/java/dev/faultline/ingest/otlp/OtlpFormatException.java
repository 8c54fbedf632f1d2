package dev.faultline.ingest.otlp;

/**
 * A request body that is not an OTLP metrics export; the message names the problem (answered 400).
 */
public final class OtlpFormatException extends RuntimeException {

  public OtlpFormatException(String message) {
    super(message);
  }
}
