package dev.faultline.ui.settings;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.faultline.storage.settings.CostModel;
import dev.faultline.storage.settings.User;
import dev.faultline.ui.Actor;
import dev.faultline.ui.Format;
import dev.faultline.ui.app.MainLayout;
import dev.faultline.ui.security.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Admin settings: the cost model (edit), users and notification routes (list). */
@Route(value = "settings", layout = MainLayout.class)
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
    add(new H3("Notification routes"));
    Grid<dev.faultline.storage.settings.Route> routes = new Grid<>();
    routes.addColumn(dev.faultline.storage.settings.Route::name).setHeader("Route");
    routes.addColumn(r -> r.toString()).setHeader("Definition").setFlexGrow(4);
    routes.setItems(settings.routes());
    routes.setAllRowsVisible(true);
    routes.setEmptyStateText("No notification route configured: the notifier owns them.");
    add(routes);
    refresh();
    settings.costModels().stream().findFirst().ifPresent(this::edit);
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
