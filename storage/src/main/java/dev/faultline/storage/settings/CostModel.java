package dev.faultline.storage.settings;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What an outage costs, for one model, a named group of models, or the fleet default ({@link
 * #DEFAULT_SUBJECT}).
 *
 * @param models the models of a group; empty otherwise
 * @param outageCostPerHourLow low end of the cost of one hour of full outage
 * @param outageCostPerHourHigh high end of it
 * @param slaCredits credit tiers, highest threshold first
 */
public record CostModel(
    String subject,
    SubjectKind kind,
    List<String> models,
    BigDecimal outageCostPerHourLow,
    BigDecimal outageCostPerHourHigh,
    BigDecimal costPerFailedRequest,
    String currency,
    List<SlaCreditTier> slaCredits,
    Instant updatedAt) {

  /** The subject of the fleet-wide default. */
  public static final String DEFAULT_SUBJECT = "*";

  public CostModel {
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("subject must not be blank");
    }
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(updatedAt, "updatedAt");
    models = List.copyOf(models);
    slaCredits = List.copyOf(slaCredits);
    if (outageCostPerHourLow.signum() < 0
        || outageCostPerHourHigh.compareTo(outageCostPerHourLow) < 0) {
      throw new IllegalArgumentException(
          "outageCostPerHour: need 0 <= low <= high, was "
              + outageCostPerHourLow
              + " and "
              + outageCostPerHourHigh);
    }
    if (costPerFailedRequest.signum() < 0) {
      throw new IllegalArgumentException("costPerFailedRequest must be >= 0");
    }
  }

  /** What the cost applies to. */
  public enum SubjectKind {
    DEFAULT,
    MODEL,
    GROUP
  }

  /**
   * A credit owed when availability over the billing period falls below a threshold.
   *
   * @param belowPct availability threshold in percent, e.g. 99.9
   * @param creditPct share of the bill credited, in percent
   */
  public record SlaCreditTier(BigDecimal belowPct, BigDecimal creditPct) {}
}
