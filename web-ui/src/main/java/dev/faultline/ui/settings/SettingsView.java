package dev.faultline.ui.settings;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.faultline.contract.Incident;
import dev.faultline.storage.settings.CostModel;
import dev.faultline.storage.settings.Receiver;
import dev.faultline.storage.settings.User;
import dev.faultline.ui.Format;
import dev.faultline.ui.security.Actor;
import dev.faultline.ui.security.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Admin settings: the cost model, notification receivers and routes (edit), users (list). */
@Route("settings")
@Menu(title = "Settings", order = 3)
@PageTitle("Settings · Faultline")
@RolesAllowed("ADMIN")
public class SettingsView extends VerticalLayout {

  private final SettingsService settings;
  private final Actor me;
  private final Grid<CostModel> models = new Grid<>();
  private final Select<CostModel.SubjectKind> kind = new Select<>();
  private final TextField subject = new TextField("Model or group name");
  private final TextField groupModels = new TextField("Group models (comma separated)");
  private final BigDecimalField low = new BigDecimalField("Cost per outage hour, low ($)");
  private final BigDecimalField high = new BigDecimalField("Cost per outage hour, high ($)");
  private final BigDecimalField perRequest = new BigDecimalField("Cost per failed request ($)");
  private final TextField tiers = new TextField("SLA credits (availability%:credit%)");
  private final Grid<Receiver> receiverGrid = new Grid<>();
  private final TextField receiverName = new TextField("Receiver name");
  private final ComboBox<Receiver.Type> receiverType = new ComboBox<>("Type");
  private final TextField receiverUrl = new TextField("Target URL");
  private final TextField receiverSecret = new TextField("Secret reference (variable name)");
  private final Grid<dev.faultline.storage.settings.Route> routeGrid = new Grid<>();
  private final TextField routeName = new TextField("Route name");
  private final IntegerField routePosition = new IntegerField("Position");
  private final ComboBox<String> routeReceiver = new ComboBox<>("Receiver");
  private final MultiSelectComboBox<Incident.Scope> routeScopes =
      new MultiSelectComboBox<>("Scopes");
  private final ComboBox<Incident.Severity> routeSeverity = new ComboBox<>("Minimum severity");
  private final TextField routeModels = new TextField("Models");
  private final TextField routeLayers = new TextField("Suspected layers");
  private final Checkbox routeEnabled = new Checkbox("Enabled");

  public SettingsView(SettingsService settings, CurrentUser currentUser) {
    this.settings = settings;
    this.me = currentUser.actor();
    add(new H2("Settings"), new H3("Cost model"));
    models.addColumn(CostModel::subject).setHeader("Subject");
    models.addColumn(m -> m.kind().name().toLowerCase(Locale.ROOT)).setHeader("Kind");
    models.addColumn(m -> Format.money(m.outageCostPerHourLow())).setHeader("Hour low");
    models.addColumn(m -> Format.money(m.outageCostPerHourHigh())).setHeader("Hour high");
    models
        .addColumn(m -> "$" + m.costPerFailedRequest().stripTrailingZeros().toPlainString())
        .setHeader("Per failed request");
    models.addColumn(m -> SettingsService.formatTiers(m.slaCredits())).setHeader("SLA credits");
    models.setAllRowsVisible(true);
    models.asSingleSelect().addValueChangeListener(e -> edit(e.getValue()));
    kind.setLabel("Applies to");
    kind.setItems(CostModel.SubjectKind.values());
    kind.setItemLabelGenerator(k -> k.name().toLowerCase(Locale.ROOT));
    kind.setValue(CostModel.SubjectKind.DEFAULT);
    low.setId("cost-low");
    high.setId("cost-high");
    perRequest.setId("cost-per-request");
    Button save = new Button("Save cost model", e -> save());
    save.setId("save-cost-model");
    save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    FlexLayout form = new FlexLayout(kind, subject, groupModels, low, high, perRequest, tiers);
    form.setFlexWrap(FlexLayout.FlexWrap.WRAP);
    form.getStyle().set("gap", "1rem");
    // Labels are the only explanation of each figure: keep them whole.
    kind.setWidth("10rem");
    subject.setWidth("14rem");
    groupModels.setWidth("20rem");
    for (BigDecimalField f : List.of(low, high, perRequest)) {
      f.setWidth("15rem");
    }
    tiers.setWidth("20rem");
    tiers.setHelperText("e.g. 99.9:10, 99:25, 95:100");
    add(models, form, save);
    add(new H3("Users"));
    Grid<User> users = new Grid<>();
    users.addColumn(User::name).setHeader("Name");
    users.addColumn(u -> u.role().name().toLowerCase(Locale.ROOT)).setHeader("Role");
    users.setItems(settings.users());
    users.setAllRowsVisible(true);
    add(users);
    add(new H3("Notification receivers"));
    receiverGrid.addColumn(Receiver::name).setHeader("Receiver");
    receiverGrid
        .addColumn(r -> r.type().name().toLowerCase(Locale.ROOT))
        .setHeader("Type")
        .setAutoWidth(true);
    receiverGrid.addColumn(Receiver::targetUrl).setHeader("Target URL").setFlexGrow(3);
    receiverGrid.addColumn(SettingsService::shownSecretRef).setHeader("Secret").setFlexGrow(2);
    receiverGrid.setAllRowsVisible(true);
    receiverGrid.setEmptyStateText("No receiver yet: add one below, then a route to it.");
    receiverGrid.asSingleSelect().addValueChangeListener(e -> editReceiver(e.getValue()));
    receiverType.setItems(Receiver.Type.values());
    receiverType.setItemLabelGenerator(t -> t.name().toLowerCase(Locale.ROOT));
    receiverName.setId("receiver-name");
    receiverType.setId("receiver-type");
    receiverUrl.setId("receiver-url");
    receiverSecret.setId("receiver-secret-ref");
    receiverSecret.setHelperText(
        "Name of the environment variable holding the key (e.g. PAGERDUTY_ROUTING_KEY), never"
            + " the key itself");
    FormLayout receiverForm =
        new FormLayout(receiverName, receiverType, receiverUrl, receiverSecret);
    receiverForm.setId("receiver-form");
    Button saveReceiver = new Button("Save receiver", e -> saveReceiver());
    saveReceiver.setId("save-receiver");
    saveReceiver.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    Button deleteReceiver = new Button("Delete receiver", e -> deleteReceiver());
    deleteReceiver.addThemeVariants(ButtonVariant.LUMO_ERROR);
    add(receiverGrid, receiverForm, new HorizontalLayout(saveReceiver, deleteReceiver));

    add(new H3("Notification routes"));
    routeGrid.addColumn(dev.faultline.storage.settings.Route::position).setHeader("#");
    routeGrid.addColumn(dev.faultline.storage.settings.Route::name).setHeader("Route");
    routeGrid.addColumn(dev.faultline.storage.settings.Route::receiver).setHeader("Receiver");
    routeGrid.addColumn(SettingsService::describe).setHeader("Matches").setFlexGrow(4);
    routeGrid.addColumn(r -> r.enabled() ? "yes" : "no").setHeader("Enabled");
    routeGrid.setAllRowsVisible(true);
    routeGrid.setEmptyStateText("No notification route configured: no incident pages anyone.");
    routeGrid.asSingleSelect().addValueChangeListener(e -> editRoute(e.getValue()));
    routeName.setId("route-name");
    routePosition.setId("route-position");
    routePosition.setMin(0);
    routePosition.setValue(0);
    routeReceiver.setId("route-receiver");
    routeScopes.setId("route-scopes");
    routeScopes.setItems(Incident.Scope.values());
    routeScopes.setItemLabelGenerator(Incident.Scope::wireName);
    routeScopes.setHelperText("Empty matches every scope");
    routeSeverity.setId("route-severity");
    routeSeverity.setItems(Incident.Severity.values());
    routeSeverity.setItemLabelGenerator(Incident.Severity::wireName);
    routeSeverity.setValue(Incident.Severity.MINOR);
    routeModels.setId("route-models");
    routeModels.setHelperText("Comma separated; empty matches every model");
    routeLayers.setId("route-layers");
    routeLayers.setHelperText(
        "Comma separated, e.g. scheduler, cluster, node_pool; empty matches any");
    routeEnabled.setValue(true);
    FormLayout routeForm =
        new FormLayout(
            routeName,
            routePosition,
            routeReceiver,
            routeScopes,
            routeSeverity,
            routeModels,
            routeLayers,
            routeEnabled);
    routeForm.setId("route-form");
    Button saveRoute = new Button("Save route", e -> saveRoute());
    saveRoute.setId("save-route");
    saveRoute.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    Button deleteRoute = new Button("Delete route", e -> deleteRoute());
    deleteRoute.addThemeVariants(ButtonVariant.LUMO_ERROR);
    add(routeGrid, routeForm, new HorizontalLayout(saveRoute, deleteRoute));
    refreshRoutes();
    refresh();
    settings.costModels().stream().findFirst().ifPresent(this::edit);
  }

  private void refreshRoutes() {
    receiverGrid.setItems(settings.receivers());
    routeReceiver.setItems(settings.receivers().stream().map(Receiver::name).toList());
    routeGrid.setItems(settings.routes());
  }

  private void editReceiver(Receiver r) {
    if (r == null) {
      return;
    }
    receiverName.setValue(r.name());
    receiverType.setValue(r.type());
    receiverUrl.setValue(r.targetUrl());
    receiverSecret.setValue(r.secretRef() == null ? "" : r.secretRef());
  }

  private void editRoute(dev.faultline.storage.settings.Route r) {
    if (r == null) {
      return;
    }
    routeName.setValue(r.name());
    routePosition.setValue(r.position());
    routeReceiver.setValue(r.receiver());
    routeScopes.setValue(r.scopes());
    routeSeverity.setValue(r.minSeverity());
    routeModels.setValue(String.join(", ", r.sortedModels()));
    routeLayers.setValue(String.join(", ", r.layers().stream().sorted().toList()));
    routeEnabled.setValue(r.enabled());
  }

  private void saveReceiver() {
    attempt(
        "Receiver saved",
        () ->
            settings.saveReceiver(
                me,
                receiverName.getValue(),
                receiverType.getValue(),
                receiverUrl.getValue(),
                receiverSecret.getValue()),
        Map.of(
            "receiver name", receiverName,
            "receiver type", receiverType,
            "target URL", receiverUrl,
            "secret reference", receiverSecret));
  }

  private void deleteReceiver() {
    attempt(
        "Receiver deleted",
        () -> settings.deleteReceiver(me, receiverName.getValue()),
        Map.of("receiver name", receiverName));
  }

  private void saveRoute() {
    attempt(
        "Route saved",
        () ->
            settings.saveRoute(
                me,
                routeName.getValue(),
                routePosition.getValue(),
                routeReceiver.getValue(),
                routeScopes.getValue(),
                routeSeverity.getValue(),
                SettingsService.splitList(routeModels.getValue()),
                SettingsService.splitList(routeLayers.getValue()),
                routeEnabled.getValue()),
        Map.of(
            "route name", routeName,
            "position", routePosition,
            "receiver", routeReceiver,
            "minimum severity", routeSeverity,
            "suspected layers", routeLayers));
  }

  private void deleteRoute() {
    attempt(
        "Route deleted",
        () -> settings.deleteRoute(me, routeName.getValue()),
        Map.of("route name", routeName));
  }

  /**
   * Runs a change; a rejected one marks the field its message names (messages start with the
   * field's name) and says why.
   */
  private void attempt(String done, Runnable change, Map<String, HasValidation> fields) {
    fields.values().forEach(f -> f.setInvalid(false));
    try {
      change.run();
      refreshRoutes();
      Notification.show(done);
    } catch (IllegalArgumentException e) {
      fields.forEach(
          (name, f) -> {
            if (e.getMessage() != null && e.getMessage().startsWith(name + ":")) {
              f.setErrorMessage(e.getMessage());
              f.setInvalid(true);
            }
          });
      Notification.show(e.getMessage());
    } catch (SecurityException e) {
      Notification.show(e.getMessage());
    }
  }

  private void refresh() {
    models.setItems(settings.costModels());
  }

  private void edit(CostModel m) {
    if (m == null) {
      return;
    }
    kind.setValue(m.kind());
    subject.setValue(m.subject());
    groupModels.setValue(String.join(", ", m.models()));
    low.setValue(m.outageCostPerHourLow());
    high.setValue(m.outageCostPerHourHigh());
    perRequest.setValue(m.costPerFailedRequest());
    tiers.setValue(SettingsService.formatTiers(m.slaCredits()));
  }

  private void save() {
    try {
      List<String> group =
          Arrays.stream(groupModels.getValue().split(","))
              .map(String::strip)
              .filter(s -> !s.isEmpty())
              .toList();
      settings.saveCostModel(
          me,
          subject.getValue(),
          kind.getValue(),
          group,
          low.getValue(),
          high.getValue(),
          perRequest.getValue(),
          tiers.getValue());
      refresh();
      Notification.show("Cost model saved");
    } catch (IllegalArgumentException | SecurityException e) {
      Notification.show(e.getMessage());
    }
  }
}
