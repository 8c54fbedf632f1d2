package dev.faultline.ui.postmortem;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Downloads of a post-mortem, for any signed-in user (see the security config), times in the zone
 * the link names ({@code ?zone=Europe/Berlin}; the page links with the reader's), else UTC.
 */
@RestController
public class PostMortemExportController {

  private final PostMortemService postMortems;

  public PostMortemExportController(PostMortemService postMortems) {
    this.postMortems = postMortems;
  }

  @GetMapping("/export/{id}.md")
  ResponseEntity<byte[]> markdown(
      @PathVariable String id, @RequestParam(required = false) String zone) {
    ZoneId z = zone(zone);
    if (z == null) {
      return ResponseEntity.badRequest().build();
    }
    return postMortems
        .markdown(id, z)
        .map(md -> file(md.getBytes(StandardCharsets.UTF_8), "text/markdown", id + ".md"))
        .orElse(ResponseEntity.notFound().build());
  }

  @GetMapping("/export/{id}.pdf")
  ResponseEntity<byte[]> pdf(@PathVariable String id, @RequestParam(required = false) String zone) {
    ZoneId z = zone(zone);
    if (z == null) {
      return ResponseEntity.badRequest().build();
    }
    return postMortems
        .pdf(id, z)
        .map(bytes -> file(bytes, MediaType.APPLICATION_PDF_VALUE, id + ".pdf"))
        .orElse(ResponseEntity.notFound().build());
  }

  /** The reader's zone from the link (the page puts it there), UTC without; null if unknown. */
  static ZoneId zone(String zone) {
    try {
      return zone == null || zone.isBlank() ? ZoneOffset.UTC : ZoneId.of(zone);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static ResponseEntity<byte[]> file(byte[] body, String type, String name) {
    return ResponseEntity.ok()
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment().filename("post-mortem-" + name).build().toString())
        .contentType(MediaType.parseMediaType(type))
        .body(body);
  }
}
