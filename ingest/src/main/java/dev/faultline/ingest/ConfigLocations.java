package dev.faultline.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each value of a YAML file is, by JSON Pointer ({@code /scrape/0/url}): the line and column
 * of its key (or, in a list, of the item), read from Jackson's YAML parser while it builds the
 * tree, so that a bad value is reported where the user wrote it.
 */
final class ConfigLocations {

  /** A 1-based line and column. */
  record At(int line, int column) {}

  private final Map<String, At> byPointer;

  private ConfigLocations(Map<String, At> byPointer) {
    this.byPointer = byPointer;
  }

  /** The tree of {@code yaml} and the locations of its values. */
  static Parsed parse(YAMLMapper mapper, String yaml) throws IOException {
    Map<String, At> locations = new HashMap<>();
    try (JsonParser p = mapper.createParser(yaml)) {
      JsonNode tree;
      try (JsonParser located = new Recording(p, locations)) {
        tree = mapper.readTree(located);
      }
      return new Parsed(tree, new ConfigLocations(locations));
    }
  }

  /** A parsed file. */
  record Parsed(JsonNode tree, ConfigLocations locations) {}

  /** Where the value at {@code pointer} is, or null. */
  At of(String pointer) {
    return byPointer.get(pointer);
  }

  /** Notes where every token starts, keyed by the path it belongs to (the first token wins). */
  private static final class Recording extends com.fasterxml.jackson.core.util.JsonParserDelegate {
    private final Map<String, At> locations;

    Recording(JsonParser delegate, Map<String, At> locations) {
      super(delegate);
      this.locations = locations;
    }

    @Override
    public JsonToken nextToken() throws IOException {
      JsonToken t = super.nextToken();
      if (t != null && t != JsonToken.END_OBJECT && t != JsonToken.END_ARRAY) {
        JsonLocation l = currentTokenLocation();
        String pointer =
            (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)
                ? getParsingContext().getParent() == null
                    ? ""
                    : getParsingContext().getParent().pathAsPointer().toString()
                : getParsingContext().pathAsPointer().toString();
        locations.putIfAbsent(pointer, new At(l.getLineNr(), l.getColumnNr()));
      }
      return t;
    }
  }
}
