package dev.faultline.ui.account;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.faultline.ui.Actor;
import dev.faultline.ui.Format;
import dev.faultline.ui.app.MainLayout;
import dev.faultline.ui.security.CurrentUser;
import jakarta.annotation.security.PermitAll;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** The signed-in user's own settings: the time zone of every page and export, and the password. */
@Route(value = "account", layout = MainLayout.class)
@PageTitle("Account · Faultline")
@PermitAll
public class AccountView extends VerticalLayout {

  /** The choice that follows the browser. */
  static final String BROWSER = "Browser's zone";

  private final AccountService accounts;
  private final UserZone userZone;
  private final Actor me;
  private final ComboBox<String> zone = new ComboBox<>("Time zone");
  private final Span zoneNow = new Span();
  private final PasswordField current = new PasswordField("Current password");
  private final PasswordField next = new PasswordField("New password");
  private final PasswordField repeat = new PasswordField("Repeat the new password");
  private final Span passwordResult = new Span();

  public AccountView(AccountService accounts, UserZone userZone, CurrentUser currentUser) {
    this.accounts = accounts;
    this.userZone = userZone;
    this.me = currentUser.actor();
    add(new H2("Account · " + me.name()));
    add(new H3("Time zone"));
    add(new Paragraph("Every time on the pages and in exports is shown in this zone, and named."));
    List<String> zones = new ArrayList<>();
    zones.add(BROWSER);
    zones.add("UTC");
    ZoneId.getAvailableZoneIds().stream()
        .filter(z -> z.contains("/") && !z.startsWith("Etc/") && !z.startsWith("SystemV/"))
        .sorted()
        .forEach(zones::add);
    zone.setItems(zones);
    zone.setId("account-zone");
    zone.setWidth("22rem");
    zone.setValue(accounts.chosenZone(me).map(ZoneId::getId).orElse(BROWSER));
    zone.addValueChangeListener(
        e -> {
          if (e.isFromClient() && e.getValue() != null) {
            try {
              accounts.chooseZone(me, BROWSER.equals(e.getValue()) ? null : e.getValue());
              zone.setInvalid(false);
              // Redraw the whole frame: the header names the zone too.
              getUI().ifPresent(ui -> ui.refreshCurrentRoute(true));
            } catch (IllegalArgumentException ex) {
              zone.setInvalid(true);
              zone.setErrorMessage(ex.getMessage());
            }
          }
        });
    zoneNow.setId("account-zone-now");
    add(zone, zoneNow);
    add(new H3("Password"));
    add(new Paragraph("At least " + PasswordPolicy.MIN_LENGTH + " characters."));
    current.setId("account-current");
    next.setId("account-new");
    repeat.setId("account-repeat");
    next.setMinLength(PasswordPolicy.MIN_LENGTH);
    Button change = new Button("Change password", e -> changePassword());
    change.setId("account-change");
    change.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    passwordResult.setId("account-password-result");
    add(current, next, repeat, change, passwordResult);
  }

  @Override
  protected void onAttach(AttachEvent attachEvent) {
    super.onAttach(attachEvent);
    userZone.learnFrom(attachEvent.getUI());
    showZone();
  }

  private void showZone() {
    String browser = userZone.browserZone().map(Format::zoneName).orElse("not known yet");
    zoneNow.setText(
        "Times are shown in "
            + Format.zoneName(userZone.zone())
            + " (your browser's zone: "
            + browser
            + ").");
  }

  private void changePassword() {
    for (PasswordField f : new PasswordField[] {current, next, repeat}) {
      f.setInvalid(false);
    }
    try {
      accounts.changePassword(me, current.getValue(), next.getValue(), repeat.getValue());
      passwordResult.setText("Password changed.");
      passwordResult.getStyle().set("color", "var(--lumo-success-text-color)");
    } catch (IllegalArgumentException e) {
      String msg = e.getMessage();
      PasswordField field =
          msg.startsWith("current") ? current : msg.startsWith("repeat") ? repeat : next;
      field.setInvalid(true);
      field.setErrorMessage(msg);
      passwordResult.setText(msg);
      passwordResult.getStyle().set("color", "var(--lumo-error-text-color)");
    } finally {
      current.clear();
      next.clear();
      repeat.clear();
    }
  }
}
