package dev.faultline.storage.metrics;

/** One model's request outcomes over a period. */
public record ModelAvailability(String model, long requests, long errors) {

  /** 1 - errors/requests; 1 when the model served no requests (nothing failed). */
  public double availability() {
    return requests == 0 ? 1.0 : 1.0 - (double) errors / requests;
  }
}
