package dev.faultline.ui.silence;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.faultline.contract.UiLinks;
import dev.faultline.storage.silence.Silence;
import dev.faultline.ui.account.UserZone;
import dev.faultline.ui.security.Actor;
import dev.faultline.ui.security.CurrentUser;
import jakarta.annotation.security.PermitAll;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Silences (maintenance windows): what is silenced until when and why; SREs and admins silence a
 * component, a layer or a model for a time range with a reason, or end a silence early. Silenced
 * incidents are still detected, stored and shown (marked on the board), only not paged.
 */
@Route(UiLinks.SILENCES_ROUTE)
@PageTitle("Silences · Faultline")
@PermitAll
public class SilencesView extends VerticalLayout {

  private final SilenceService silences;
  private final Actor me;
  private final ZoneId zone;
  private final DateTimeFormatter time;
  private final Grid<Silence> grid = new Grid<>();

  public SilencesView(SilenceService silences, CurrentUser currentUser, UserZone userZone) {
    this.silences = silences;
    this.me = currentUser.actor();
    this.zone = userZone.zone();
    this.time = DateTimeFormatter.ofPattern("MMM d HH:mm zzz", Locale.ROOT).withZone(zone);
    add(
        new H2("Silences"),
        new Paragraph(
            "Incidents a silence covers are still detected and shown, but nobody is paged until"
                + " it ends; an incident still open then is paged at once."));
    if (me.canRespond()) {
      add(form());
    }
    configureGrid();
    add(grid);
    refresh();
  }

  private HorizontalLayout form() {
    ComboBox<Silence.Matcher> matcher = new ComboBox<>("Silence a");
    matcher.setItems(Silence.Matcher.values());
    matcher.setItemLabelGenerator(m -> m.wireName());
    matcher.setValue(Silence.Matcher.COMPONENT);
    matcher.setId("silence-matcher");
    TextField value = new TextField("Name");
    value.setHelperText("component id (sched-east), layer (scheduler) or model");
    value.setId("silence-value");
    DateTimePicker until = new DateTimePicker("Until (" + zone.getId() + ")");
    until.setId("silence-until");
    TextField reason = new TextField("Reason");
    reason.setId("silence-reason");
    Button save =
        new Button(
            "Silence",
            e -> {
              try {
                silences.create(
                    me,
                    matcher.getValue(),
                    value.getValue(),
                    null,
                    until.getValue() == null ? null : until.getValue().atZone(zone).toInstant(),
                    reason.getValue());
                Notification.show("Silenced " + value.getValue());
                value.clear();
                reason.clear();
                refresh();
              } catch (IllegalArgumentException | SecurityException bad) {
                Notification.show(bad.getMessage());
              }
            });
    save.setId("silence-save");
    save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    HorizontalLayout form = new HorizontalLayout(matcher, value, until, reason, save);
    form.setAlignItems(Alignment.BASELINE);
    form.setId("silence-form");
    return form;
  }

  private void configureGrid() {
    grid.setId("silences");
    grid.addColumn(s -> s.matcher().wireName() + " " + s.value()).setHeader("Silenced");
    grid.addColumn(s -> time.format(s.startsAt())).setHeader("From");
    grid.addColumn(s -> time.format(s.endsAt())).setHeader("Until");
    grid.addColumn(Silence::reason).setHeader("Reason").setFlexGrow(2);
    grid.addColumn(Silence::createdBy).setHeader("By");
    if (me.canRespond()) {
      grid.addComponentColumn(
              s -> {
                Button end =
                    new Button(
                        "End now",
                        e -> {
                          silences.end(me, s.id());
                          refresh();
                        });
                end.addThemeVariants(ButtonVariant.LUMO_SMALL);
                return end;
              })
          .setAutoWidth(true)
          .setFlexGrow(0);
    }
    grid.setEmptyStateText("Nothing is silenced.");
  }

  private void refresh() {
    grid.setItems(silences.currentAndUpcoming());
  }
}
