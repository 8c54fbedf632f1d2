package dev.faultline.ui.review;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Downloads of a review for any signed-in user (the security config guards {@code /export/**}):
 * {@code /export/review/pdf?kind=MONTH&first=2026-08-01&last=2026-08-31&zone=Europe/Berlin} and
 * {@code /export/review/csv/<table>?...} with a table of {@link ReviewCsv#TABLES}.
 */
@RestController
public class ReviewExportController {

  private final ReviewService reviews;

  public ReviewExportController(ReviewService reviews) {
    this.reviews = reviews;
  }

  /** The query string that names a period, for links from the page. */
  public static String query(ReviewPeriod p) {
    return "kind="
        + p.kind()
        + "&first="
        + p.first()
        + "&last="
        + p.last()
        + "&zone="
        + java.net.URLEncoder.encode(p.zone().getId(), StandardCharsets.UTF_8);
  }

  @GetMapping("/export/review/pdf")
  ResponseEntity<byte[]> pdf(
      @RequestParam String kind,
      @RequestParam String first,
      @RequestParam String last,
      @RequestParam(required = false) String zone) {
    ReviewPeriod p;
    try {
      p = period(kind, first, last, zone);
    } catch (IllegalArgumentException e) {
      return bad(e);
    }
    return file(
        ReviewPdf.render(reviews.review(p)),
        MediaType.APPLICATION_PDF_VALUE,
        "reliability-review-" + p.slug() + ".pdf");
  }

  @GetMapping("/export/review/csv/{table}")
  ResponseEntity<byte[]> csv(
      @PathVariable String table,
      @RequestParam String kind,
      @RequestParam String first,
      @RequestParam String last,
      @RequestParam(required = false) String zone) {
    ReviewPeriod p;
    try {
      if (!ReviewCsv.TABLES.contains(table)) {
        throw new IllegalArgumentException("table: one of " + ReviewCsv.TABLES);
      }
      p = period(kind, first, last, zone);
    } catch (IllegalArgumentException e) {
      return bad(e);
    }
    return file(
        ReviewCsv.table(reviews.review(p), table).getBytes(StandardCharsets.UTF_8),
        "text/csv;charset=UTF-8",
        "reliability-review-" + p.slug() + "-" + table + ".csv");
  }

  /** The period from the query; a month or quarter is re-derived from its first day. */
  static ReviewPeriod period(String kind, String first, String last, String zone) {
    ZoneId z;
    try {
      z = zone == null || zone.isBlank() ? ZoneOffset.UTC : ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("zone: not a known zone name");
    }
    LocalDate f;
    LocalDate l;
    try {
      f = LocalDate.parse(first);
      l = LocalDate.parse(last);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("first/last: dates as yyyy-mm-dd");
    }
    ReviewPeriod.Kind k;
    try {
      k = ReviewPeriod.Kind.valueOf(kind.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("kind: MONTH, QUARTER or CUSTOM");
    }
    return switch (k) {
      case MONTH -> ReviewPeriod.month(java.time.YearMonth.from(f), z);
      case QUARTER -> ReviewPeriod.quarter(f.getYear(), (f.getMonthValue() - 1) / 3 + 1, z);
      case CUSTOM -> ReviewPeriod.days(f, l, z);
    };
  }

  private static ResponseEntity<byte[]> bad(IllegalArgumentException e) {
    return ResponseEntity.badRequest()
        .contentType(MediaType.TEXT_PLAIN)
        .body(e.getMessage().getBytes(StandardCharsets.UTF_8));
  }

  private static ResponseEntity<byte[]> file(byte[] body, String type, String name) {
    return ResponseEntity.ok()
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment().filename(name).build().toString())
        .contentType(MediaType.parseMediaType(type))
        .body(body);
  }
}
