package dev.faultline.ui.account;

import dev.faultline.storage.Storage;
import dev.faultline.storage.settings.User;
import dev.faultline.ui.security.Actor;
import dev.faultline.ui.security.PasswordPolicy;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/** A user's own settings: password and time zone. Each call acts on the actor only. */
@Service
public class AccountService {

  private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);

  private final Storage storage;
  private final PasswordEncoder encoder;
  private final Clock clock;

  public AccountService(Storage storage, PasswordEncoder encoder, Clock clock) {
    this.storage = storage;
    this.encoder = encoder;
    this.clock = clock;
  }

  /**
   * Replaces the actor's password.
   *
   * @throws IllegalArgumentException naming the field ("current password: ...", "new password:
   *     ...", "repeat: ...") without echoing what was typed
   */
  public void changePassword(Actor actor, String current, String next, String repeat) {
    User user =
        storage
            .users()
            .find(actor.name())
            .orElseThrow(() -> new IllegalArgumentException("current password: no such user"));
    if (current == null || !encoder.matches(current, user.passwordHash())) {
      throw new IllegalArgumentException("current password: does not match");
    }
    String problem = PasswordPolicy.problem(next);
    if (problem != null) {
      throw new IllegalArgumentException("new password: " + problem);
    }
    if (!next.equals(repeat)) {
      throw new IllegalArgumentException("repeat: does not match the new password");
    }
    if (next.equals(current)) {
      throw new IllegalArgumentException("new password: must differ from the current one");
    }
    storage
        .users()
        .save(new User(user.name(), user.role(), encoder.encode(next), user.createdAt()));
    LOG.info("user {} changed their password", user.name());
  }

  /** The zone the actor picked, empty when they follow their browser. */
  public Optional<ZoneId> chosenZone(Actor actor) {
    return storage.userPreferences().timeZone(actor.name());
  }

  /**
   * Stores the actor's zone (an IANA name such as {@code Europe/Berlin}); null or blank follows the
   * browser again.
   *
   * @throws IllegalArgumentException "time zone: ..." for a name that is not a zone
   */
  public void chooseZone(Actor actor, String zone) {
    ZoneId id = null;
    if (zone != null && !zone.isBlank()) {
      try {
        id = ZoneId.of(zone.strip());
      } catch (DateTimeException e) {
        throw new IllegalArgumentException("time zone: not a known zone name");
      }
    }
    storage.userPreferences().setTimeZone(actor.name(), id, clock.instant());
  }
}
