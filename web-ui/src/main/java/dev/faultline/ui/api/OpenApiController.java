package dev.faultline.ui.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The API's OpenAPI 3.1 description, a hand-written resource ({@code api/openapi.json}). */
@RestController
class OpenApiController {

  /** Where the document lives on the classpath. */
  static final String RESOURCE = "/api/openapi.json";

  private final byte[] document;

  OpenApiController() {
    try (InputStream in = OpenApiController.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + RESOURCE);
      }
      document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @GetMapping(ApiJson.BASE + "/openapi.json")
  ResponseEntity<byte[]> openApi() {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(document);
  }
}
