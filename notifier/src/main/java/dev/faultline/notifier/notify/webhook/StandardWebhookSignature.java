package dev.faultline.notifier.notify.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature, sent beside Faultline's own so receivers can use an existing
 * verifier: headers {@code webhook-id} (the delivery id, stable across retries), {@code
 * webhook-timestamp} (Unix seconds) and {@code webhook-signature: v1,<base64 HMAC-SHA256(key,
 * "<id>.<timestamp>.<body>")>}. The key is the base64 after {@code whsec_} when the secret has that
 * form (as the specification's secrets do), else the secret's UTF-8 bytes (give a verifier {@code
 * "whsec_" + base64(secret)} then).
 */
public final class StandardWebhookSignature {

  /** The message id header. */
  public static final String ID_HEADER = "webhook-id";

  /** The Unix seconds header. */
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";

  /** The {@code v1,<base64>} header. */
  public static final String SIGNATURE_HEADER = "webhook-signature";

  private static final String SECRET_PREFIX = "whsec_";

  private StandardWebhookSignature() {}

  /** The HMAC key of a secret. */
  public static byte[] key(String secret) {
    if (secret.startsWith(SECRET_PREFIX)) {
      try {
        return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
      } catch (IllegalArgumentException notBase64) {
        // not a Standard Webhooks secret after all: use it as it is
      }
    }
    return secret.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code v1,<base64>} for this id, timestamp and body. */
  public static String sign(byte[] key, String id, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      mac.update(body);
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal());
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
