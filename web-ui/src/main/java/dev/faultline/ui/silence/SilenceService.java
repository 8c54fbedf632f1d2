package dev.faultline.ui.silence;

import dev.faultline.contract.Incident;
import dev.faultline.storage.Storage;
import dev.faultline.storage.silence.Silence;
import dev.faultline.ui.security.Actor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Silences (maintenance windows) for the UI: SREs and admins create and end them, everyone sees
 * them; the board asks whether an incident is silenced. The notifier reads the same table and holds
 * silenced incidents' pages back.
 */
@Service
public class SilenceService {

  /** How long the board's answer may be stale. */
  static final Duration CACHE = Duration.ofSeconds(2);

  /** The longest silence one may set: a maintenance window, not a way to mute for good. */
  public static final Duration MAX_LENGTH = Duration.ofDays(14);

  private final Storage storage;
  private final Clock clock;
  private volatile List<Silence> cached = List.of();
  private volatile Instant cachedAt = Instant.MIN;

  public SilenceService(Storage storage, Clock clock) {
    this.storage = storage;
    this.clock = clock;
  }

  /** Silences in force now or starting later, soonest end first. */
  public List<Silence> currentAndUpcoming() {
    return storage.silences().currentAndUpcoming(clock.instant());
  }

  /**
   * Creates a silence as {@code actor}.
   *
   * @throws SecurityException unless the actor may respond to incidents
   * @throws IllegalArgumentException naming the field when the input is wrong
   */
  public Silence create(
      Actor actor,
      Silence.Matcher matcher,
      String value,
      Instant from,
      Instant until,
      String reason) {
    actor.requireResponder("silence incidents");
    Instant now = clock.instant();
    Instant start = from == null ? now : from;
    if (until == null || !until.isAfter(now)) {
      throw new IllegalArgumentException("until: must be in the future");
    }
    if (Duration.between(start, until).compareTo(MAX_LENGTH) > 0) {
      throw new IllegalArgumentException("until: at most 14 days after the start");
    }
    Silence s =
        storage
            .silences()
            .create(new Silence(0, matcher, value, start, until, reason, actor.name(), now));
    cachedAt = Instant.MIN;
    return s;
  }

  /** Ends a silence now. */
  public boolean end(Actor actor, long id) {
    actor.requireResponder("end silences");
    cachedAt = Instant.MIN;
    return storage.silences().end(id, clock.instant());
  }

  /** Whether an incident of these models and this suspect is silenced now. */
  public boolean silenced(List<String> models, Incident.Suspected suspected) {
    Instant now = clock.instant();
    if (Duration.between(cachedAt, now).compareTo(CACHE) > 0 || now.isBefore(cachedAt)) {
      cached = storage.silences().currentAndUpcoming(now);
      cachedAt = now;
    }
    return Silence.silenced(cached, models, suspected, now);
  }
}
