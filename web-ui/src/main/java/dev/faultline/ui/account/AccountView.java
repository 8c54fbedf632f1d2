package dev.faultline.ui.account;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.faultline.storage.settings.ApiToken;
import dev.faultline.ui.Format;
import dev.faultline.ui.security.Actor;
import dev.faultline.ui.security.ApiTokens;
import dev.faultline.ui.security.CurrentUser;
import dev.faultline.ui.security.PasswordPolicy;
import jakarta.annotation.security.PermitAll;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The signed-in user's own settings: the time zone of every page and export, the password, and the
 * user's REST API tokens.
 */
@Route("account")
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
  private final ApiTokens tokens;
  private final TextField tokenName = new TextField("Token name");
  private final TextField newToken = new TextField();
  private final Grid<ApiToken> tokenGrid = new Grid<>(ApiToken.class, false);

  public AccountView(
      AccountService accounts, UserZone userZone, CurrentUser currentUser, ApiTokens tokens) {
    this.accounts = accounts;
    this.userZone = userZone;
    this.tokens = tokens;
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
    addTokens();
  }

  private void addTokens() {
    add(new H3("API tokens"));
    add(
        new Paragraph(
            "A token lets a script, a chat bot or Grafana use the REST API (/api/v1, described at"
                + " /api/v1/openapi.json) as you, with your role ("
                + me.role().name().toLowerCase(Locale.ROOT)
                + "): send it as \"Authorization: Bearer <token>\". It is shown once, when it is"
                + " created; Faultline keeps only its hash. Revoke a token you no longer use."));
    tokenName.setId("account-token-name");
    tokenName.setMaxLength(ApiTokens.MAX_NAME);
    tokenName.setPlaceholder("e.g. grafana annotations");
    tokenName.setWidth("22rem");
    Button create = new Button("Create token", e -> createToken());
    create.setId("account-token-create");
    newToken.setId("account-token-new");
    newToken.setReadOnly(true);
    newToken.setWidth("40rem");
    newToken.setVisible(false);
    newToken.setHelperText("Copy it now: it will not be shown again.");
    tokenGrid.setId("account-tokens");
    tokenGrid.setAllRowsVisible(true);
    tokenGrid.addColumn(ApiToken::name).setHeader("Name");
    tokenGrid.addColumn(t -> t.prefix() + "…").setHeader("Token");
    tokenGrid.addColumn(t -> when(t.createdAt())).setHeader("Created");
    tokenGrid.addColumn(t -> when(t.lastUsedAt())).setHeader("Last used");
    tokenGrid
        .addComponentColumn(
            t -> {
              if (!t.active()) {
                return new Span("revoked " + when(t.revokedAt()));
              }
              Button revoke = new Button("Revoke", e -> revokeToken(t));
              revoke.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
              revoke.setId("account-token-revoke-" + t.id());
              return revoke;
            })
        .setHeader("State");
    add(new HorizontalLayout(tokenName, create), newToken, tokenGrid);
    refreshTokens();
  }

  private void createToken() {
    try {
      ApiTokens.Created created = tokens.create(me, tokenName.getValue());
      tokenName.setInvalid(false);
      tokenName.clear();
      newToken.setLabel("New token \"" + created.info().name() + "\"");
      newToken.setValue(created.token());
      newToken.setVisible(true);
      refreshTokens();
    } catch (IllegalArgumentException e) {
      tokenName.setInvalid(true);
      tokenName.setErrorMessage(e.getMessage());
    }
  }

  private void revokeToken(ApiToken t) {
    tokens.revoke(me, t.id());
    refreshTokens();
  }

  private void refreshTokens() {
    tokenGrid.setItems(tokens.list(me));
  }

  private String when(Instant t) {
    return t == null ? "—" : Format.dateTime(t, userZone.zone());
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
