package dev.faultline.ui.review;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import dev.faultline.contract.UiLinks;
import dev.faultline.storage.review.ResponseMedians;
import dev.faultline.ui.Format;
import dev.faultline.ui.account.UserZone;
import jakarta.annotation.security.PermitAll;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reliability review page: pick a month, a quarter or dates; read totals, charts and tables
 * beside the period before; click any figure's incident count for the incidents behind it. The
 * period lives in the URL ({@code /review?kind=MONTH&first=2026-08-01&last=2026-08-31}).
 */
@Route("review")
@Menu(title = "Review", order = 2)
@PageTitle("Reliability review · Faultline")
@PermitAll
public class ReviewView extends VerticalLayout implements BeforeEnterObserver {

  private final ReviewService reviews;
  private final UserZone userZone;
  private final Clock clock;
  private final Select<ReviewPeriod.Kind> kind = new Select<>();
  private final Select<YearMonth> month = new Select<>();
  private final Select<String> quarter = new Select<>();
  private final DatePicker first = new DatePicker("First day");
  private final DatePicker last = new DatePicker("Last day");
  private final Span problem = new Span();
  private final VerticalLayout body = new VerticalLayout();
  private ReviewPeriod shown;

  public ReviewView(ReviewService reviews, UserZone userZone, Clock clock) {
    this.reviews = reviews;
    this.userZone = userZone;
    this.clock = clock;
    add(new H2("Reliability review"));
    kind.setLabel("Period");
    kind.setId("review-kind");
    kind.setItems(ReviewPeriod.Kind.values());
    kind.setItemLabelGenerator(
        k ->
            switch (k) {
              case MONTH -> "Month";
              case QUARTER -> "Quarter";
              case CUSTOM -> "Chosen days";
            });
    month.setLabel("Month");
    month.setId("review-month");
    quarter.setLabel("Quarter");
    quarter.setId("review-quarter");
    first.setId("review-first");
    last.setId("review-last");
    Button show = new Button("Show", e -> navigate(fromControls()));
    show.setId("review-show");
    show.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    kind.addValueChangeListener(e -> toggle());
    HorizontalLayout controls = new HorizontalLayout(kind, month, quarter, first, last, show);
    controls.setAlignItems(FlexComponent.Alignment.BASELINE);
    problem.setId("review-problem");
    problem.getStyle().set("color", "var(--lumo-error-text-color)");
    body.setPadding(false);
    body.setId("review-body");
    add(controls, problem, body);
  }

  @Override
  protected void onAttach(AttachEvent attachEvent) {
    super.onAttach(attachEvent);
    userZone.learnFrom(attachEvent.getUI());
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    ZoneId zone = userZone.zone();
    fillChoices(zone);
    Map<String, List<String>> q = event.getLocation().getQueryParameters().getParameters();
    ReviewPeriod p;
    try {
      p =
          q.containsKey("kind")
              ? ReviewExportController.period(
                  q.get("kind").get(0),
                  q.getOrDefault("first", List.of("")).get(0),
                  q.getOrDefault("last", List.of("")).get(0),
                  zone.getId())
              : ReviewPeriod.month(YearMonth.from(clock.instant().atZone(zone)), zone);
    } catch (IllegalArgumentException e) {
      problem.setText(e.getMessage());
      p = ReviewPeriod.month(YearMonth.from(clock.instant().atZone(zone)), zone);
    }
    setControls(p);
    show(p);
  }

  private void fillChoices(ZoneId zone) {
    YearMonth now = YearMonth.from(clock.instant().atZone(zone));
    List<YearMonth> months = new ArrayList<>();
    List<String> quarters = new ArrayList<>();
    for (int k = 0; k < 24; k++) {
      YearMonth m = now.minusMonths(k);
      months.add(m);
      String q = m.getYear() + " Q" + ((m.getMonthValue() - 1) / 3 + 1);
      if (!quarters.contains(q)) {
        quarters.add(q);
      }
    }
    month.setItems(months);
    quarter.setItems(quarters);
  }

  private void setControls(ReviewPeriod p) {
    kind.setValue(p.kind());
    month.setValue(YearMonth.from(p.first()));
    quarter.setValue(p.first().getYear() + " Q" + ((p.first().getMonthValue() - 1) / 3 + 1));
    first.setValue(p.first());
    last.setValue(p.last());
    toggle();
  }

  private void toggle() {
    ReviewPeriod.Kind k = kind.getValue();
    month.setVisible(k == ReviewPeriod.Kind.MONTH);
    quarter.setVisible(k == ReviewPeriod.Kind.QUARTER);
    first.setVisible(k == ReviewPeriod.Kind.CUSTOM);
    last.setVisible(k == ReviewPeriod.Kind.CUSTOM);
  }

  private ReviewPeriod fromControls() {
    ZoneId zone = userZone.zone();
    try {
      problem.setText("");
      return switch (kind.getValue()) {
        case MONTH -> ReviewPeriod.month(month.getValue(), zone);
        case QUARTER -> {
          String[] parts = quarter.getValue().split(" Q");
          yield ReviewPeriod.quarter(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), zone);
        }
        case CUSTOM -> ReviewPeriod.days(first.getValue(), last.getValue(), zone);
      };
    } catch (IllegalArgumentException | NullPointerException e) {
      problem.setText(e.getMessage() == null ? "period: pick one" : e.getMessage());
      return null;
    }
  }

  private void navigate(ReviewPeriod p) {
    if (p == null) {
      return;
    }
    getUI()
        .ifPresent(
            ui ->
                ui.navigate(
                    ReviewView.class,
                    new QueryParameters(
                        Map.of(
                            "kind", List.of(p.kind().name()),
                            "first", List.of(p.first().toString()),
                            "last", List.of(p.last().toString())))));
  }

  private void show(ReviewPeriod p) {
    shown = p;
    body.removeAll();
    Review r = reviews.review(p);
    ZoneId zone = p.zone();
    Paragraph what =
        new Paragraph(
            p.label()
                + " ("
                + p.first()
                + " to "
                + p.last()
                + ") compared with "
                + r.previous().label()
                + ". Times in "
                + Format.zoneName(zone)
                + "; an incident counts in the period its onset falls in, open incidents up to now.");
    what.setId("review-period");
    what.getStyle().set("color", "var(--lumo-secondary-text-color)");
    body.add(what, totals(r), exports(p));
    Div charts = new Div();
    charts.getStyle().set("display", "flex").set("flex-wrap", "wrap").set("gap", "1rem");
    for (BarChart c : ReviewCharts.of(r)) {
      // Inside a div: the browser must parse the SVG as markup, not create a bare element.
      charts.add(new Html("<div class=\"review-chart-box\">" + c.svg() + "</div>"));
    }
    body.add(charts);
    body.add(new H3("Downtime and cost by suspected layer"), groups("layer", "Layer", r.byLayer()));
    body.add(new H3("By suspected component"), groups("component", "Component", r.byComponent()));
    body.add(new H3("By model"), groups("model", "Model", r.byModel()));
    body.add(new H3("By scope"), groups("scope", "Scope", r.byScope()));
    body.add(new H3("Availability against SLO"), slo(r));
    body.add(new H3("Time to detect, acknowledge and resolve (medians)"), response(r));
    body.add(new H3("Incidents (times in " + Format.zoneName(zone) + ")"), incidents(r, zone));
  }

  private Component totals(Review r) {
    HorizontalLayout row = new HorizontalLayout();
    row.setId("review-totals");
    row.add(
        card(
            "total-incidents",
            "Incidents",
            Integer.toString(r.totals().incidents()),
            Integer.toString(r.previousTotals().incidents())));
    row.add(
        card(
            "total-downtime",
            "Downtime",
            Format.duration(r.totals().downtime()),
            Format.duration(r.previousTotals().downtime())));
    row.add(
        card(
            "total-cost",
            "Expected cost",
            Format.money(r.totals().expectedCost()),
            Format.money(r.previousTotals().expectedCost())));
    row.add(
        card(
            "total-detect",
            "Median time to detect",
            d(r.response().detect()),
            d(r.previousResponse().detect())));
    row.add(
        card(
            "total-resolve",
            "Median time to resolve",
            d(r.response().resolve()),
            d(r.previousResponse().resolve())));
    return row;
  }

  private static Component card(String id, String title, String now, String before) {
    Div card = new Div();
    card.setId(id);
    card.getStyle()
        .set("border", "1px solid var(--lumo-contrast-20pct)")
        .set("border-radius", "6px")
        .set("padding", "0.5rem 0.9rem")
        .set("min-width", "9rem");
    Span t = new Span(title);
    t.getStyle().set("display", "block").set("color", "var(--lumo-secondary-text-color)");
    Span v = new Span(now);
    v.addClassName("value");
    v.getStyle().set("display", "block").set("font-size", "1.4rem").set("font-weight", "600");
    Span b = new Span("before: " + before);
    b.getStyle()
        .set("display", "block")
        .set("font-size", "0.85rem")
        .set("color", "var(--lumo-secondary-text-color)");
    card.add(t, v, b);
    return card;
  }

  private Component exports(ReviewPeriod p) {
    String q = ReviewExportController.query(p);
    HorizontalLayout links = new HorizontalLayout();
    links.setId("review-exports");
    Anchor pdf = new Anchor("export/review/pdf?" + q, "Download PDF");
    pdf.setId("export-pdf");
    pdf.setRouterIgnore(true);
    links.add(pdf, new Span("CSV:"));
    for (String t : ReviewCsv.TABLES) {
      Anchor a = new Anchor("export/review/csv/" + t + "?" + q, t);
      a.setId("export-csv-" + t);
      a.setRouterIgnore(true);
      links.add(a);
    }
    return links;
  }

  private Grid<Review.GroupRow> groups(String what, String header, List<Review.GroupRow> rows) {
    Grid<Review.GroupRow> g = new Grid<>();
    g.setId("review-" + what);
    g.addColumn(Review.GroupRow::key).setHeader(header).setFlexGrow(3);
    g.addComponentColumn(r -> behind(what, r.key(), r.incidents(), r.incidentIds()))
        .setHeader("Incidents");
    g.addColumn(r -> Format.duration(r.downtime())).setHeader("Downtime");
    g.addColumn(r -> Format.money(r.expectedCost())).setHeader("Expected cost");
    g.addColumn(r -> Format.duration(r.previousDowntime())).setHeader("Downtime before");
    g.addColumn(r -> Format.money(r.previousCost())).setHeader("Cost before");
    g.addColumn(r -> change(r.expectedCost(), r.previousCost())).setHeader("Cost change");
    g.setItems(rows);
    g.setAllRowsVisible(true);
    return g;
  }

  private static String change(BigDecimal now, BigDecimal before) {
    if (before == null || before.signum() == 0) {
      return now.signum() == 0 ? "–" : "new";
    }
    double pct = (now.doubleValue() - before.doubleValue()) / before.doubleValue() * 100;
    return String.format(Locale.ROOT, "%+.0f %%", pct);
  }

  private Grid<Review.SloRow> slo(Review r) {
    Grid<Review.SloRow> g = new Grid<>();
    g.setId("review-slo");
    g.addColumn(Review.SloRow::model).setHeader("Model").setFlexGrow(3);
    g.addColumn(s -> String.format(Locale.ROOT, "%.3f %%", s.availabilityPct()))
        .setHeader("Availability");
    g.addColumn(s -> s.sloPct().stripTrailingZeros().toPlainString() + " %").setHeader("SLO");
    g.addColumn(s -> s.met() ? "met" : "missed").setHeader("");
    g.addColumn(
            s ->
                Double.isInfinite(s.budgetBurnedPct())
                    ? "∞"
                    : String.format(Locale.ROOT, "%.1f %%", s.budgetBurnedPct()))
        .setHeader("Error budget burned");
    g.addColumn(s -> s.creditPct().stripTrailingZeros().toPlainString() + " %")
        .setHeader("SLA credit");
    g.addColumn(
            s ->
                s.previousAvailabilityPct() == null
                    ? "–"
                    : String.format(Locale.ROOT, "%.3f %%", s.previousAvailabilityPct()))
        .setHeader("Before");
    g.addComponentColumn(s -> behind("slo", s.model(), s.incidentIds().size(), s.incidentIds()))
        .setHeader("Incidents");
    g.setItems(r.slo());
    g.setAllRowsVisible(true);
    return g;
  }

  private record ResponseLine(String what, Duration now, int n, Duration before, int nBefore) {}

  private Grid<ResponseLine> response(Review r) {
    ResponseMedians a = r.response();
    ResponseMedians b = r.previousResponse();
    Grid<ResponseLine> g = new Grid<>();
    g.setId("review-response");
    g.addColumn(ResponseLine::what).setHeader("Median time").setFlexGrow(2);
    g.addColumn(l -> d(l.now())).setHeader(r.period().label());
    g.addColumn(l -> l.n() + " incidents").setHeader("over");
    g.addColumn(l -> d(l.before())).setHeader(r.previous().label());
    g.addColumn(l -> l.nBefore() + " incidents").setHeader("over");
    g.setItems(
        new ResponseLine(
            "to detect (onset to page)", a.detect(), a.detected(), b.detect(), b.detected()),
        new ResponseLine(
            "to acknowledge (page to first ack)",
            a.acknowledge(),
            a.acknowledged(),
            b.acknowledge(),
            b.acknowledged()),
        new ResponseLine(
            "to resolve (onset to recovery)",
            a.resolve(),
            a.resolved(),
            b.resolve(),
            b.resolved()));
    g.setAllRowsVisible(true);
    return g;
  }

  private Grid<Review.IncidentRow> incidents(Review r, ZoneId zone) {
    Grid<Review.IncidentRow> g = new Grid<>();
    g.setId("review-incidents");
    g.addComponentColumn(i -> incidentLink(i.id())).setHeader("Incident").setFlexGrow(3);
    g.addColumn(i -> Format.localDateTime(i.openedAt(), zone))
        .setHeader("Opened")
        .setAutoWidth(true);
    g.addColumn(i -> i.component() == null ? "(" + i.scope() + ")" : i.component())
        .setHeader("Suspected")
        .setAutoWidth(true);
    g.addColumn(i -> i.models().size()).setHeader("Models");
    g.addColumn(i -> Format.duration(i.downtime())).setHeader("Downtime");
    g.addColumn(i -> Format.money(i.expectedCost())).setHeader("Expected cost");
    g.addColumn(i -> d(i.timeToDetect())).setHeader("Detect");
    g.addColumn(i -> d(i.timeToAcknowledge())).setHeader("Ack");
    g.addColumn(i -> d(i.timeToResolve())).setHeader("Resolve");
    g.setItems(r.incidents());
    g.setAllRowsVisible(true);
    return g;
  }

  /** "3 incidents": a click lists them, each a link to its page. */
  private Component behind(String what, String key, int count, List<String> ids) {
    Button b = new Button(count + (count == 1 ? " incident" : " incidents"));
    b.setId("behind-" + what + "-" + slug(key));
    b.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE);
    b.setEnabled(!ids.isEmpty());
    b.addClickListener(
        e -> {
          Dialog d = new Dialog();
          d.setHeaderTitle("Behind " + key + " (" + shown.label() + ")");
          VerticalLayout list = new VerticalLayout();
          list.setId("behind-list");
          list.setPadding(false);
          ids.forEach(id -> list.add(incidentLink(id)));
          Button close = new Button("Close", x -> d.close());
          d.add(list);
          d.getFooter().add(close);
          d.open();
        });
    return b;
  }

  private static Anchor incidentLink(String id) {
    // relative to the UI's base (Vaadin's base href is the application's root)
    Anchor a = new Anchor(UiLinks.incident(".", id), id);
    a.addClassName("incident-link");
    return a;
  }

  private static String slug(String key) {
    return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }

  private static String d(Duration v) {
    return v == null ? "–" : Format.duration(v);
  }
}
