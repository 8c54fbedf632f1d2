package dev.faultline.ui.api;

import org.springframework.http.HttpStatus;

/** An API request refused with a status and, for bad input, the field or parameter at fault. */
final class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String field;

  ApiException(HttpStatus status, String field, String message) {
    super(message);
    this.status = status;
    this.field = field;
  }

  /** 400 naming the parameter or field. */
  static ApiException badRequest(String field, String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, field, message);
  }

  /** 404. */
  static ApiException notFound(String what) {
    return new ApiException(HttpStatus.NOT_FOUND, null, what);
  }

  HttpStatus status() {
    return status;
  }

  /** The parameter or body field at fault, or null. */
  String field() {
    return field;
  }
}
