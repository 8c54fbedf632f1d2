package dev.faultline.ui.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Every refusal of the API as {@code {"error": "...", "field": "..."}}: 400 naming the parameter or
 * field, 403 for a role, 404 for an unknown incident or silence. The content type is set here, so
 * an error reaches a client that asked for Markdown too.
 */
@RestControllerAdvice(basePackageClasses = ApiErrors.class)
class ApiErrors {

  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  /** Services say which field is wrong as "field: what is wrong". */
  private static final Pattern FIELD_MESSAGE = Pattern.compile("^([A-Za-z][A-Za-z0-9]*): (.+)$");

  private static final ObjectMapper JSON = new ObjectMapper();

  @ExceptionHandler(ApiException.class)
  ResponseEntity<String> api(ApiException e) {
    return error(e.status(), e.getMessage(), e.field());
  }

  @ExceptionHandler(SecurityException.class)
  ResponseEntity<String> forbidden(SecurityException e) {
    return error(HttpStatus.FORBIDDEN, e.getMessage(), null);
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<String> invalid(IllegalArgumentException e) {
    Matcher m = FIELD_MESSAGE.matcher(String.valueOf(e.getMessage()));
    return m.matches()
        ? error(HttpStatus.BAD_REQUEST, e.getMessage(), m.group(1))
        : error(HttpStatus.BAD_REQUEST, String.valueOf(e.getMessage()), null);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<String> mismatch(MethodArgumentTypeMismatchException e) {
    return error(HttpStatus.BAD_REQUEST, e.getName() + ": not a valid value", e.getName());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<String> unreadable(HttpMessageNotReadableException e) {
    return error(HttpStatus.BAD_REQUEST, "body: not a JSON object", "body");
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<String> mediaType(HttpMediaTypeNotSupportedException e) {
    return error(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE, "body: send Content-Type: application/json", "body");
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<String> method(HttpRequestMethodNotSupportedException e) {
    return error(HttpStatus.METHOD_NOT_ALLOWED, e.getMethod() + " is not supported here", null);
  }

  @ExceptionHandler(RuntimeException.class)
  ResponseEntity<String> unexpected(RuntimeException e) {
    LOG.warn("API request failed", e);
    return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal error", null);
  }

  static ResponseEntity<String> error(HttpStatus status, String message, String field) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("field", field);
    try {
      return ResponseEntity.status(status)
          .contentType(MediaType.APPLICATION_JSON)
          .body(JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
