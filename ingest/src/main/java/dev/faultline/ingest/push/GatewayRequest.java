package dev.faultline.ingest.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.contract.ContractViolation;
import dev.faultline.contract.TelemetryLimits;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finished request as an LLM gateway reports it, one JSON object per line:
 *
 * <pre>{@code
 * {"model": "llama-3.3-70b", "ts": "2026-06-22T14:03:10.250Z", "status": 529,
 *  "latency_ms": 812.5, "error": "overloaded", "tokens_out": 0,
 *  "infra": {"router": "edge-router-a"}, "deployment": "east-a"}
 * }</pre>
 *
 * <p>Required: {@code model}, {@code ts} (RFC 3339, when the request finished), {@code status}
 * (HTTP status, 0 when no response came, e.g. a timeout), {@code latency_ms} (≥ 0). Optional:
 * {@code error} (short reason, e.g. {@code timeout}), {@code tokens_out}, {@code infra}, {@code
 * deployment}. A request failed when its status is 0 or ≥ 500 (5xx, 529 overloaded, timeouts), as
 * the contract counts {@code errors}.
 */
public record GatewayRequest(
    String model,
    Instant ts,
    int status,
    double latencyMs,
    String error,
    Long tokensOut,
    Map<String, String> infra,
    String deployment) {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
  private static final String KIND = "gateway_request";

  public GatewayRequest {
    infra = infra == null ? Map.of() : Map.copyOf(infra);
  }

  /** Whether the contract counts this request as an error. */
  public boolean failed() {
    return status == 0 || status >= 500;
  }

  /** The {@code errors_by_code} key: the status, or the error text when no response came. */
  public String errorCode() {
    if (status != 0) {
      return Integer.toString(status);
    }
    return error == null || error.isBlank() ? "no_response" : error;
  }

  /** Parses line {@code lineNumber}; a {@link ContractViolation} names the line and the field. */
  public static GatewayRequest parseLine(String line, long lineNumber) {
    try {
      return parse(line);
    } catch (ContractViolation e) {
      throw e.atLine(lineNumber);
    }
  }

  static GatewayRequest parse(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      String reason = e.getOriginalMessage();
      throw new ContractViolation(
          null,
          "not valid JSON: " + (reason.length() > 200 ? reason.substring(0, 197) + "..." : reason));
    }
    if (node == null || !node.isObject()) {
      throw new ContractViolation(null, "record is not a JSON object");
    }
    String model = text(node, "model", true);
    String tsText = text(node, "ts", true);
    Instant ts;
    try {
      ts = Instant.parse(tsText);
    } catch (DateTimeParseException e) {
      throw violation("ts", "(\"" + shown(tsText) + "\") is not an RFC 3339 UTC timestamp");
    }
    if (ts.isBefore(EARLIEST) || ts.isAfter(LATEST)) {
      throw violation("ts", "(\"" + shown(tsText) + "\") is outside the years 0000 to 9999");
    }
    JsonNode status = node.get("status");
    if (status == null || !status.canConvertToInt() || !status.isIntegralNumber()) {
      throw violation("status", "is required and must be an integer HTTP status (0: no response)");
    }
    if (status.intValue() < 0 || status.intValue() > 599) {
      throw violation("status", "(" + status.intValue() + ") is not an HTTP status");
    }
    JsonNode latency = node.get("latency_ms");
    if (latency == null
        || !latency.isNumber()
        || !Double.isFinite(latency.doubleValue())
        || latency.doubleValue() < 0) {
      throw violation("latency_ms", "is required and must be a finite number >= 0");
    }
    JsonNode tokens = node.get("tokens_out");
    if (tokens != null
        && (!tokens.isIntegralNumber() || !tokens.canConvertToLong() || tokens.longValue() < 0)) {
      throw violation("tokens_out", "must be an integer between 0 and " + Long.MAX_VALUE);
    }
    return new GatewayRequest(
        model,
        ts,
        status.intValue(),
        latency.doubleValue(),
        text(node, "error", false),
        tokens == null ? null : tokens.longValue(),
        infra(node),
        text(node, "deployment", false));
  }

  private static String text(JsonNode node, String field, boolean required) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw violation(field, "is required");
      }
      return null;
    }
    if (!value.isTextual() || value.textValue().isBlank()) {
      throw violation(field, "must be a non-empty string");
    }
    tooLong(field, value.textValue(), TelemetryLimits.MAX_ID_CHARS);
    return value.textValue();
  }

  private static Map<String, String> infra(JsonNode node) {
    JsonNode infra = node.get("infra");
    if (infra == null || infra.isNull()) {
      return Map.of();
    }
    if (!infra.isObject()) {
      throw violation("infra", "must be an object of layer to id");
    }
    if (infra.size() > TelemetryLimits.MAX_ENTRIES) {
      throw violation(
          "infra",
          "has " + infra.size() + " entries (at most " + TelemetryLimits.MAX_ENTRIES + " allowed)");
    }
    Map<String, String> out = new LinkedHashMap<>();
    infra
        .fields()
        .forEachRemaining(
            e -> {
              String field = "infra." + shown(e.getKey());
              tooLong(field + " (key)", e.getKey(), TelemetryLimits.MAX_ID_CHARS);
              if (!e.getValue().isTextual()) {
                throw violation(field, "must be a string");
              }
              tooLong(field, e.getValue().textValue(), TelemetryLimits.MAX_MAP_VALUE_CHARS);
              out.put(e.getKey(), e.getValue().textValue());
            });
    return out;
  }

  private static void tooLong(String field, String text, int max) {
    if (text.length() > max) {
      throw violation(
          field, "is " + text.length() + " characters long (at most " + max + " allowed)");
    }
  }

  private static String shown(String text) {
    return text.length() > 40 ? text.substring(0, 37) + "..." : text;
  }

  private static ContractViolation violation(String field, String reason) {
    return new ContractViolation(KIND + "." + field, reason);
  }
}
