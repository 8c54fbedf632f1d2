package dev.faultline.storage.silence;

import dev.faultline.contract.Incident;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A maintenance window: incidents it matches between {@code startsAt} and {@code endsAt} are stored
 * and shown, marked silenced, but not paged.
 *
 * @param id the stored id (0 before it is stored)
 * @param matcher what it matches on
 * @param value the component id, layer or model name
 */
public record Silence(
    long id,
    Matcher matcher,
    String value,
    Instant startsAt,
    Instant endsAt,
    String reason,
    String createdBy,
    Instant createdAt) {

  /** What a silence matches on. */
  public enum Matcher {
    /** The suspected component's id, e.g. {@code sched-east}. */
    COMPONENT,
    /** The suspected component's layer, e.g. {@code scheduler}. */
    LAYER,
    /** A model; an incident is silenced when all its models are. */
    MODEL;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Silence {
    Objects.requireNonNull(matcher, "matcher");
    Objects.requireNonNull(startsAt, "startsAt");
    Objects.requireNonNull(endsAt, "endsAt");
    Objects.requireNonNull(createdAt, "createdAt");
    if (value == null || value.isBlank() || value.length() > 200) {
      throw new IllegalArgumentException("value: 1 to 200 characters");
    }
    if (!endsAt.isAfter(startsAt)) {
      throw new IllegalArgumentException("endsAt: must be after the start");
    }
    if (reason == null || reason.isBlank() || reason.length() > 500) {
      throw new IllegalArgumentException("reason: 1 to 500 characters");
    }
    if (createdBy == null || createdBy.isBlank()) {
      throw new IllegalArgumentException("createdBy: required");
    }
    value = value.trim();
  }

  /** Whether it is in force at {@code t}. */
  public boolean activeAt(Instant t) {
    return !t.isBefore(startsAt) && t.isBefore(endsAt);
  }

  /** Whether it covers an incident (ignoring time). */
  public boolean covers(Incident i) {
    return covers(i.models(), i.suspected());
  }

  /** Whether it covers an incident of these models and this suspect (ignoring time). */
  public boolean covers(List<String> models, Incident.Suspected suspected) {
    return switch (matcher) {
      case COMPONENT -> suspected != null && value.equals(suspected.id());
      case LAYER -> suspected != null && value.equals(suspected.layer());
      case MODEL -> models.size() == 1 && value.equals(models.get(0));
    };
  }

  /**
   * Whether {@code silences} in force at {@code t} silence the incident: one covers its suspect, or
   * together they cover every one of its models.
   */
  public static boolean silenced(
      List<Silence> silences, List<String> models, Incident.Suspected suspected, Instant t) {
    List<Silence> active = silences.stream().filter(s -> s.activeAt(t)).toList();
    if (active.stream()
        .filter(s -> s.matcher() != Matcher.MODEL)
        .anyMatch(s -> s.covers(models, suspected))) {
      return true;
    }
    return !models.isEmpty()
        && models.stream()
            .allMatch(
                m ->
                    active.stream()
                        .anyMatch(s -> s.matcher() == Matcher.MODEL && s.value().equals(m)));
  }
}
