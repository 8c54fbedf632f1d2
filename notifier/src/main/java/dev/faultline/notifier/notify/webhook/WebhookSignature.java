package dev.faultline.notifier.notify.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a Faultline webhook: {@code v1=} and the hex HMAC-SHA256, keyed by the shared
 * secret, of {@code <timestamp>.<body>}, where the timestamp is the {@code X-Faultline-Timestamp}
 * header (Unix seconds). Signing the timestamp with the body lets a receiver reject old copies.
 */
public final class WebhookSignature {

  /** The header carrying Unix seconds at sending. */
  public static final String TIMESTAMP_HEADER = "X-Faultline-Timestamp";

  /** The header carrying {@code v1=<hex>}. */
  public static final String SIGNATURE_HEADER = "X-Faultline-Signature";

  /** The header carrying the delivery id (stable across retries of one notification). */
  public static final String DELIVERY_HEADER = "X-Faultline-Delivery";

  /** The version prefix of the signature. */
  public static final String VERSION = "v1=";

  private WebhookSignature() {}

  /** {@code v1=<hex>} for this timestamp and body. */
  public static String sign(byte[] secret, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(Long.toString(timestampSeconds).getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) '.');
      mac.update(body);
      return VERSION + HexFormat.of().formatHex(mac.doFinal());
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
