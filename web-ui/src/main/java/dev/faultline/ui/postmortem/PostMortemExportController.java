package dev.faultline.ui.postmortem;

import java.nio.charset.StandardCharsets;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Downloads of a post-mortem, for any signed-in user (see the security config). */
@RestController
public class PostMortemExportController {

  private final PostMortemService postMortems;

  public PostMortemExportController(PostMortemService postMortems) {
    this.postMortems = postMortems;
  }

  @GetMapping("/export/{id}.md")
  ResponseEntity<byte[]> markdown(@PathVariable String id) {
    return postMortems
        .markdown(id)
        .map(md -> file(md.getBytes(StandardCharsets.UTF_8), "text/markdown", id + ".md"))
        .orElse(ResponseEntity.notFound().build());
  }

  @GetMapping("/export/{id}.pdf")
  ResponseEntity<byte[]> pdf(@PathVariable String id) {
    return postMortems
        .pdf(id)
        .map(bytes -> file(bytes, MediaType.APPLICATION_PDF_VALUE, id + ".pdf"))
        .orElse(ResponseEntity.notFound().build());
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
