package dev.faultline.ingest.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * OTLP's JSON encoding read into the protobuf messages, by their descriptors, as the OTLP
 * specification defines it (which is protobuf's JSON mapping with three differences): keys in
 * lowerCamelCase (the original snake_case accepted too), 64-bit integers as numbers or decimal
 * strings, enums as integers (names accepted), {@code traceId}/{@code spanId} as hex rather than
 * base64, and unknown fields ignored. Failures name the JSON path ({@code
 * resourceMetrics[0].scopeMetrics[0].metrics[2].histogram.dataPoints[0].count}).
 */
final class OtlpJson {

  private OtlpJson() {}

  /** Fills {@code builder} from {@code json}, an object. */
  static void merge(JsonNode json, Message.Builder builder, String path) {
    if (!json.isObject()) {
      throw new OtlpFormatException(name(path) + " must be a JSON object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      FieldDescriptor field = field(builder, e.getKey());
      if (field == null || e.getValue().isNull()) {
        continue; // unknown fields are ignored, as the specification requires
      }
      String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      if (field.isRepeated()) {
        if (!e.getValue().isArray()) {
          throw new OtlpFormatException(at + " must be a JSON array");
        }
        for (int i = 0; i < e.getValue().size(); i++) {
          builder.addRepeatedField(
              field, value(e.getValue().get(i), field, builder, at + "[" + i + "]"));
        }
      } else {
        builder.setField(field, value(e.getValue(), field, builder, at));
      }
    }
  }

  private static FieldDescriptor field(Message.Builder builder, String key) {
    for (FieldDescriptor f : builder.getDescriptorForType().getFields()) {
      if (f.getJsonName().equals(key) || f.getName().equals(key)) {
        return f;
      }
    }
    return null;
  }

  private static Object value(
      JsonNode v, FieldDescriptor field, Message.Builder parent, String at) {
    return switch (field.getJavaType()) {
      case MESSAGE -> {
        Message.Builder child = parent.newBuilderForField(field);
        merge(v, child, at);
        yield child.build();
      }
      case STRING -> {
        if (!v.isTextual()) {
          throw new OtlpFormatException(at + " must be a string");
        }
        yield v.textValue();
      }
      case BOOLEAN -> {
        if (!v.isBoolean()) {
          throw new OtlpFormatException(at + " must be true or false");
        }
        yield v.booleanValue();
      }
      case INT -> (int) integer(v, at, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case LONG -> integer(v, at, Long.MIN_VALUE, Long.MAX_VALUE);
      case DOUBLE -> number(v, at);
      case FLOAT -> (float) number(v, at);
      case BYTE_STRING -> bytes(v, field, at);
      case ENUM -> enumValue(v, field, at);
    };
  }

  /** A 64-bit integer: a JSON number or a decimal string (how int64 and fixed64 travel in JSON). */
  private static long integer(JsonNode v, String at, long min, long max) {
    try {
      if (v.isIntegralNumber() && v.canConvertToLong()) {
        return check(v.longValue(), at, min, max);
      }
      if (v.isTextual()) {
        // fixed64 nanosecond times are unsigned; they fit a long until the year 2262.
        return check(Long.parseLong(v.textValue()), at, min, max);
      }
      if (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue())) {
        return check((long) v.doubleValue(), at, min, max);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new OtlpFormatException(at + " must be an integer (a number or a decimal string)");
  }

  private static long check(long n, String at, long min, long max) {
    if (n < min || n > max) {
      throw new OtlpFormatException(at + " (" + n + ") is out of range");
    }
    return n;
  }

  private static double number(JsonNode v, String at) {
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isTextual()) {
      switch (v.textValue()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          try {
            return Double.parseDouble(v.textValue());
          } catch (NumberFormatException e) {
            break;
          }
      }
    }
    throw new OtlpFormatException(at + " must be a number");
  }

  private static ByteString bytes(JsonNode v, FieldDescriptor field, String at) {
    if (!v.isTextual()) {
      throw new OtlpFormatException(at + " must be a string");
    }
    try {
      if (field.getName().equals("trace_id") || field.getName().equals("span_id")) {
        return ByteString.copyFrom(HexFormat.of().parseHex(v.textValue()));
      }
      return ByteString.copyFrom(java.util.Base64.getDecoder().decode(v.textValue()));
    } catch (IllegalArgumentException e) {
      throw new OtlpFormatException(
          at + " is not valid " + (field.getName().endsWith("_id") ? "hex" : "base64"));
    }
  }

  private static EnumValueDescriptor enumValue(JsonNode v, FieldDescriptor field, String at) {
    EnumValueDescriptor value = null;
    if (v.isIntegralNumber()) {
      value = field.getEnumType().findValueByNumber(v.intValue());
    } else if (v.isTextual()) {
      value = field.getEnumType().findValueByName(v.textValue());
    }
    if (value == null) {
      throw new OtlpFormatException(at + " (" + v + ") is not a " + field.getEnumType().getName());
    }
    return value;
  }

  private static String name(String path) {
    return path.isEmpty() ? "the body" : path;
  }
}
