package dev.faultline.ui.account;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.page.ExtendedClientDetails;
import com.vaadin.flow.spring.annotation.VaadinSessionScope;
import dev.faultline.ui.security.CurrentUser;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The zone this session shows times in: the one the user picked, else their browser's, else UTC
 * (until the browser has told). One per Vaadin session.
 */
@Component
@VaadinSessionScope
public class UserZone implements Serializable {

  private final transient AccountService accounts;
  private final transient CurrentUser currentUser;
  private ZoneId browser;

  public UserZone(AccountService accounts, CurrentUser currentUser) {
    this.accounts = accounts;
    this.currentUser = currentUser;
  }

  /** The zone to show times in now. */
  public ZoneId zone() {
    Optional<ZoneId> chosen = accounts.chosenZone(currentUser.actor());
    return chosen.orElse(browser != null ? browser : ZoneOffset.UTC);
  }

  /** The browser's zone, when it has told. */
  public Optional<ZoneId> browserZone() {
    return Optional.ofNullable(browser);
  }

  /**
   * Learns the browser's zone once per session; when it arrives after the page was drawn (and the
   * user picked none), the page is drawn again in it.
   */
  public void learnFrom(UI ui) {
    if (browser != null) {
      return;
    }
    ExtendedClientDetails known = ui.getInternals().getExtendedClientDetails();
    if (known != null) {
      browser = parse(known.getTimeZoneId());
      return;
    }
    ui.getPage()
        .retrieveExtendedClientDetails(
            details -> {
              ZoneId before = zone();
              browser = parse(details.getTimeZoneId());
              if (!zone().equals(before)) {
                ui.refreshCurrentRoute(true);
              }
            });
  }

  private static ZoneId parse(String id) {
    try {
      return id == null || id.isBlank() ? ZoneOffset.UTC : ZoneId.of(id);
    } catch (DateTimeException e) {
      return ZoneOffset.UTC;
    }
  }
}
