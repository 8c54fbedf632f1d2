package dev.faultline.ui.cost;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.faultline.ui.Format;
import dev.faultline.ui.account.UserZone;
import jakarta.annotation.security.PermitAll;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/** The period view: availability per model against its SLO and the month's downtime cost. */
@Route("cost")
@Menu(title = "Downtime cost", order = 1)
@PageTitle("Downtime cost · Faultline")
@PermitAll
public class CostView extends VerticalLayout {

  private final CostService cost;
  private final VerticalLayout body = new VerticalLayout();
  // Months are cut, and times shown, in the reader's zone (UserZone), named on the page.
  private final ZoneId zone;

  public CostView(CostService cost, UserZone userZone) {
    this.cost = cost;
    this.zone = userZone.zone();
    add(new H2("Downtime cost"));
    Span zoneNote = new Span("Months and times in " + Format.zoneName(zone) + ".");
    zoneNote.setId("cost-zone");
    Paragraph how = new Paragraph(CostEstimate.FORMULA);
    how.getStyle().set("color", "var(--lumo-secondary-text-color)");
    Select<YearMonth> month = new Select<>();
    month.setLabel("Month");
    List<YearMonth> months = cost.recentMonths(zone);
    month.setItems(months);
    month.addValueChangeListener(e -> show(e.getValue()));
    body.setPadding(false);
    add(how, zoneNote, month, body);
    if (!months.isEmpty()) {
      month.setValue(months.get(0));
    }
  }

  private void show(YearMonth m) {
    body.removeAll();
    if (m == null) {
      return;
    }
    MonthReport r = cost.month(m, zone);
    Span total =
        new Span(
            "Expected downtime cost in "
                + m
                + ": "
                + Format.money(r.expectedCost())
                + " over "
                + r.incidents().size()
                + " incidents");
    total.setId("month-total");
    total.getStyle().set("font-weight", "600");
    body.add(total, new H3("Availability against SLO"));
    Grid<MonthReport.ModelRow> models = new Grid<>();
    models.addColumn(MonthReport.ModelRow::model).setHeader("Model");
    models
        .addColumn(r2 -> String.format(Locale.ROOT, "%.3f%%", r2.availabilityPct()))
        .setHeader("Availability");
    models.addColumn(r2 -> r2.sloPct().stripTrailingZeros().toPlainString() + "%").setHeader("SLO");
    models.addColumn(r2 -> r2.met() ? "met" : "missed").setHeader("");
    models
        .addColumn(r2 -> r2.creditPct().stripTrailingZeros().toPlainString() + "%")
        .setHeader("SLA credit");
    models
        .addColumn(r2 -> String.format(Locale.ROOT, "%,d / %,d", r2.errors(), r2.requests()))
        .setHeader("Failed / requests");
    models.setItems(r.models());
    models.setAllRowsVisible(true);
    body.add(models, new H3("Incidents"));
    Grid<MonthReport.IncidentCost> incidents = new Grid<>();
    incidents.addColumn(c -> c.incident().id()).setHeader("Incident").setFlexGrow(2);
    incidents.addColumn(c -> Format.dateTime(c.incident().openedAt(), zone)).setHeader("Started");
    incidents.addColumn(c -> c.incident().models().size()).setHeader("Models");
    incidents.addColumn(c -> Format.money(c.estimate().low())).setHeader("Low");
    incidents.addColumn(c -> Format.money(c.estimate().expected())).setHeader("Expected");
    incidents.addColumn(c -> Format.money(c.estimate().high())).setHeader("High");
    incidents.setItems(r.incidents());
    incidents.setAllRowsVisible(true);
    body.add(incidents);
  }
}
