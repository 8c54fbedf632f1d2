package dev.faultline.storage.incident;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What was learnt from an incident.
 *
 * @param actionItems in the order people listed them
 */
public record PostMortem(
    String incidentId,
    String rootCause,
    List<ActionItem> actionItems,
    String lessons,
    String updatedBy,
    Instant updatedAt) {

  public PostMortem {
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(updatedBy, "updatedBy");
    Objects.requireNonNull(updatedAt, "updatedAt");
    rootCause = rootCause == null ? "" : rootCause;
    lessons = lessons == null ? "" : lessons;
    actionItems = List.copyOf(actionItems);
  }

  /** One thing to do so that it does not happen again, or hurts less. */
  public record ActionItem(String description, String owner, Type type, boolean done) {

    public ActionItem {
      if (description == null || description.isBlank()) {
        throw new IllegalArgumentException("action item description must not be blank");
      }
      if (owner == null || owner.isBlank()) {
        throw new IllegalArgumentException("action item owner must not be blank");
      }
      Objects.requireNonNull(type, "action item type");
    }

    /** Whether the item makes the next incident smaller or prevents it. */
    public enum Type {
      MITIGATE,
      PREVENT
    }
  }
}
