package dev.faultline.ui.incident;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.faultline.contract.Incident;
import dev.faultline.contract.UiLinks;
import dev.faultline.notifier.outbox.Delivery;
import dev.faultline.storage.metrics.SeriesPoint;
import dev.faultline.ui.Format;
import dev.faultline.ui.account.UserZone;
import dev.faultline.ui.app.Badges;
import dev.faultline.ui.cost.CostEstimate;
import dev.faultline.ui.security.Actor;
import dev.faultline.ui.security.CurrentUser;
import jakarta.annotation.security.PermitAll;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** One incident: what happened when, the curves around it, why a component is suspected. */
@Route(UiLinks.INCIDENT_ROUTE)
@PageTitle("Incident · Faultline")
@PermitAll
public class IncidentView extends VerticalLayout implements HasUrlParameter<String> {

  /** From how many precursors in a row the timeline folds them into one line. */
  private static final int PRECURSOR_RUN = 3;

  private final IncidentService incidents;
  private final Actor me;
  private String id;

  // Every time in the reader's zone (UserZone), named beside it.
  private final ZoneId zone;
  private final DateTimeFormatter time;
  private final DateTimeFormatter timeOfDay;
  private final DateTimeFormatter day;

  public IncidentView(IncidentService incidents, CurrentUser currentUser, UserZone userZone) {
    this.incidents = incidents;
    this.me = currentUser.actor();
    this.zone = userZone.zone();
    this.time = DateTimeFormatter.ofPattern("MMM d HH:mm:ss zzz", Locale.ROOT).withZone(zone);
    this.timeOfDay = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(zone);
    this.day = DateTimeFormatter.ofPattern("MMM d yyyy", Locale.ROOT).withZone(zone);
    setPadding(true);
  }

  @Override
  public void setParameter(BeforeEvent event, String incidentId) {
    this.id = incidentId;
    render();
  }

  private void render() {
    removeAll();
    incidents.page(id).ifPresentOrElse(this::show, () -> add(new H2("No incident " + id)));
  }

  private void show(IncidentPage p) {
    Incident i = p.incident();
    H2 title = new H2("Incident " + i.id());
    title.getStyle().set("margin", "0");
    HorizontalLayout head =
        new HorizontalLayout(
            title,
            Badges.severity(i.severity()),
            Badges.status(i.status(), p.detail().acknowledged()),
            new Span(i.scope().wireName() + " scope"));
    head.setAlignItems(Alignment.CENTER);
    add(head);
    add(facts(p));
    add(actions(p));
    FlexLayout columns = new FlexLayout();
    columns.setFlexWrap(FlexLayout.FlexWrap.WRAP);
    columns.setWidthFull();
    columns.getStyle().set("gap", "1.5rem");
    VerticalLayout left = new VerticalLayout(timeline(p));
    left.setPadding(false);
    left.getStyle().set("flex", "1 1 420px");
    VerticalLayout right = new VerticalLayout(charts(p));
    right.setPadding(false);
    right.getStyle().set("flex", "1 1 560px");
    right.add(evidence(p), cost(p.cost()), deliveries());
    columns.add(left, right);
    add(columns);
  }

  private FlexLayout facts(IncidentPage p) {
    Incident i = p.incident();
    FlexLayout f = new FlexLayout();
    f.setFlexWrap(FlexLayout.FlexWrap.WRAP);
    f.getStyle().set("gap", "2rem");
    f.add(fact("Started", time.format(i.openedAt())));
    f.add(fact(i.resolvedAt() == null ? "Open for" : "Lasted", Format.duration(p.duration())));
    f.add(fact("Time to detect", Format.duration(p.timeToDetect())));
    f.add(fact("Models", i.models().size() + ": " + String.join(", ", i.models())));
    f.add(
        fact(
            "Suspected",
            i.suspected() == null
                ? "none"
                : i.suspected().layer()
                    + " "
                    + i.suspected().id()
                    + " ("
                    + Math.round(i.suspected().confidence() * 100)
                    + "%)"));
    if (i.resolvedAt() == null) {
      java.util.Map<String, java.util.List<String>> instead =
          incidents.healthyEquivalents(i.models());
      java.util.List<String> lines = new java.util.ArrayList<>();
      instead.forEach(
          (model, healthy) -> {
            if (!healthy.isEmpty()) {
              lines.add(model + " → " + String.join(", ", healthy));
            }
          });
      if (!lines.isEmpty()) {
        f.add(fact("Send traffic instead", String.join("; ", lines)));
      }
    }
    f.add(fact("Failed requests", String.format(Locale.ROOT, "%,d", i.failedRequests())));
    f.add(
        fact(
            "Estimated cost",
            Format.money(p.cost().expected())
                + " ("
                + Format.money(p.cost().low())
                + " to "
                + Format.money(p.cost().high())
                + ")"));
    return f;
  }

  private static Div fact(String label, String value) {
    Span l = new Span(label);
    l.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-size", "0.8rem");
    Span v = new Span(value);
    v.getStyle().set("font-weight", "600");
    Div d = new Div(l, new Div(v));
    d.getElement().setAttribute("data-fact", label);
    return d;
  }

  private HorizontalLayout actions(IncidentPage p) {
    HorizontalLayout a = new HorizontalLayout();
    a.setAlignItems(Alignment.BASELINE);
    // relative to the UI's base (Vaadin's base href is the application's root)
    Anchor postMortem = new Anchor(UiLinks.postMortem(".", id), "Post-mortem");
    postMortem.setId("post-mortem-link");
    a.add(postMortem);
    if (p.grafanaUrl() != null) {
      Anchor g = new Anchor(p.grafanaUrl(), "Grafana dashboard");
      g.setTarget("_blank");
      a.add(g);
    }
    if (me.canRespond()) {
      if (!p.detail().acknowledged() && p.incident().status() == Incident.Status.OPEN) {
        Button ack = new Button("Acknowledge", e -> act(() -> incidents.acknowledge(id, me)));
        ack.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        a.add(ack);
      }
      TextField note = new TextField();
      note.setPlaceholder("Add a note to the timeline");
      note.setWidth("22rem");
      note.setId("note-text");
      Button add =
          new Button("Add note", e -> act(() -> incidents.addNote(id, me, note.getValue())));
      add.setId("add-note");
      a.add(note, add);
    }
    return a;
  }

  private void act(Runnable r) {
    try {
      r.run();
      render();
    } catch (RuntimeException e) {
      Notification.show(e.getMessage());
    }
  }

  private VerticalLayout timeline(IncidentPage p) {
    VerticalLayout t = new VerticalLayout();
    t.setId("timeline");
    t.setPadding(false);
    t.setSpacing(false);
    LocalDate onsetDay = p.incident().openedAt().atZone(zone).toLocalDate();
    t.add(
        new H3(
            "Timeline ("
                + Format.zoneName(zone)
                + ", "
                + day.format(p.incident().openedAt())
                + ")"));
    List<IncidentPage.TimelineItem> items = p.timeline();
    for (int k = 0; k < items.size(); ) {
      int end = k;
      while (end < items.size() && items.get(end).isPrecursor()) {
        end++;
      }
      if (end - k >= PRECURSOR_RUN) {
        t.add(precursors(items.subList(k, end), onsetDay));
        k = end;
      } else {
        t.add(row(items.get(k), onsetDay));
        k++;
      }
    }
    return t;
  }

  /**
   * A run of precursors (one per GPU crossing its threshold) would push the onset off the screen:
   * one line says how many and when, the details stay one click away.
   */
  private VerticalLayout precursors(List<IncidentPage.TimelineItem> run, LocalDate day) {
    IncidentPage.TimelineItem first = run.get(0);
    IncidentPage.TimelineItem last = run.get(run.size() - 1);
    IncidentPage.TimelineItem summary =
        new IncidentPage.TimelineItem(
            first.ts(),
            Incident.TimelineTypes.PRECURSOR,
            null,
            run.size()
                + " early warnings until "
                + timeOfDay.format(last.ts())
                + ", first: "
                + first.text());
    VerticalLayout all = new VerticalLayout();
    all.setPadding(false);
    all.setSpacing(false);
    run.forEach(item -> all.add(row(item, day)));
    Details details = new Details("Show all " + run.size(), all);
    details.getStyle().set("margin", "0 0 0 9rem").set("font-size", "0.9rem");
    VerticalLayout v = new VerticalLayout(row(summary, day), details);
    v.setPadding(false);
    v.setSpacing(false);
    return v;
  }

  private HorizontalLayout row(IncidentPage.TimelineItem item, LocalDate day) {
    boolean sameDay = item.ts().atZone(zone).toLocalDate().equals(day);
    Span time = new Span((sameDay ? timeOfDay : this.time).format(item.ts()));
    time.getStyle()
        .set("font-family", "monospace")
        .set("min-width", sameDay ? "4.5rem" : "8.5rem")
        .set("white-space", "nowrap");
    Span kind = Badges.of(item.kind(), kindColor(item.kind()), "#222");
    kind.getStyle().set("min-width", "5.5rem").set("text-align", "center");
    Span text = new Span((item.model() == null ? "" : item.model() + ": ") + item.text());
    HorizontalLayout row = new HorizontalLayout(time, kind, text);
    row.setAlignItems(Alignment.BASELINE);
    row.setWidthFull();
    row.getStyle().set("padding", "0.25rem 0").set("border-bottom", "1px solid #eceff1");
    row.addClassName("timeline-item");
    return row;
  }

  private static String kindColor(String kind) {
    return switch (kind) {
      case "onset", "degraded" -> "#fde2e1";
      case "recovered", "resolved" -> "#e2f5e9";
      case "suspected", "detected" -> "#e0ecff";
      case Incident.TimelineTypes.PRECURSOR -> "#ffedd5";
      case "ack", "note" -> "#f3e8ff";
      default -> "#eceff1";
    };
  }

  private VerticalLayout charts(IncidentPage p) {
    Incident i = p.incident();
    Instant from = i.openedAt().minus(IncidentService.MARGIN);
    Instant end = i.resolvedAt() != null ? i.resolvedAt() : i.ts();
    Instant to = end.plus(IncidentService.MARGIN);
    Map<String, Instant> markers = new LinkedHashMap<>();
    markers.put("onset", i.openedAt());
    if (i.resolvedAt() != null) {
      markers.put("recovered", i.resolvedAt());
    }
    VerticalLayout c = new VerticalLayout();
    c.setPadding(false);
    c.add(new H3("Error ratio"));
    c.add(
        chart(
            "chart-error-ratio",
            SvgChart.lines(
                byModel(p.series(), SeriesPoint::errorRatio),
                from,
                to,
                0.1,
                v -> String.format(Locale.ROOT, "%.0f%%", v * 100),
                markers)));
    c.add(new H3("Latency p95"));
    c.add(
        chart(
            "chart-latency",
            SvgChart.lines(
                byModel(
                    p.series().stream().filter(s -> s.latencyP95() != null).toList(),
                    s -> s.latencyP95()),
                from,
                to,
                0,
                v -> String.format(Locale.ROOT, "%.0f ms", v),
                markers)));
    if (!p.gpu().isEmpty()) {
      Map<String, List<SvgChart.Point>> gpu = new LinkedHashMap<>();
      for (IncidentPage.GpuPoint g : p.gpu()) {
        gpu.computeIfAbsent(g.node(), k -> new ArrayList<>())
            .add(new SvgChart.Point(g.bucket(), g.memRatio()));
      }
      c.add(new H3("GPU memory of the implicated nodes"));
      c.add(
          chart(
              "chart-gpu",
              SvgChart.lines(
                  gpu,
                  from,
                  to,
                  1.0,
                  v -> String.format(Locale.ROOT, "%.0f%%", v * 100),
                  markers)));
    }
    return c;
  }

  private static Map<String, List<SvgChart.Point>> byModel(
      List<SeriesPoint> series, ToDoubleFunction<SeriesPoint> value) {
    Map<String, List<SvgChart.Point>> lines = new LinkedHashMap<>();
    for (SeriesPoint s : series) {
      lines
          .computeIfAbsent(s.model(), k -> new ArrayList<>())
          .add(new SvgChart.Point(s.bucket(), value.applyAsDouble(s)));
    }
    return lines;
  }

  private static Html chart(String domId, String svg) {
    return new Html("<div id='" + domId + "' style='width:100%'>" + svg + "</div>");
  }

  private VerticalLayout evidence(IncidentPage p) {
    VerticalLayout e = new VerticalLayout();
    e.setPadding(false);
    e.setId("evidence");
    e.add(new H3("Evidence"));
    IncidentPage.Evidence ev = p.evidence();
    if (ev == null) {
      e.add(new Paragraph("No shared component is suspected."));
      return e;
    }
    e.add(
        new Paragraph(
            ev.dependents().size()
                + " models depend on "
                + ev.layer()
                + " "
                + ev.id()
                + "; "
                + ev.affected().size()
                + " failed, "
                + ev.healthy().size()
                + " stayed healthy."));
    HorizontalLayout failed = new HorizontalLayout(new Span("Failed:"));
    ev.affected().forEach(m -> failed.add(Badges.of(m, "#d93025", "white")));
    HorizontalLayout healthy = new HorizontalLayout(new Span("Healthy:"));
    ev.healthy().forEach(m -> healthy.add(Badges.of(m, "#e2f5e9", "#1b6e3a")));
    failed.getStyle().set("flex-wrap", "wrap");
    healthy.getStyle().set("flex-wrap", "wrap");
    e.add(failed, healthy);
    return e;
  }

  /** The notifier's delivery log: what went to which receiver, when, and the answer. */
  private VerticalLayout deliveries() {
    VerticalLayout v = new VerticalLayout();
    v.setPadding(false);
    v.setId("deliveries");
    v.add(new H3("Notifications sent"));
    List<Delivery> log = incidents.deliveries(id);
    if (log.isEmpty()) {
      Paragraph none = new Paragraph("No deliveries recorded.");
      none.setId("deliveries-empty");
      v.add(none);
      return v;
    }
    Grid<Delivery> grid = new Grid<>();
    grid.addColumn(d -> time.format(d.attemptedAt()))
        .setHeader("When (" + Format.zoneName(zone) + ")")
        .setAutoWidth(true);
    grid.addColumn(Delivery::receiver).setHeader("Receiver").setAutoWidth(true);
    grid.addColumn(Delivery::action).setHeader("Action").setAutoWidth(true);
    grid.addColumn(Delivery::attempt).setHeader("Attempt").setAutoWidth(true);
    grid.addColumn(d -> d.outcome().replace('_', ' ')).setHeader("Outcome").setAutoWidth(true);
    grid.addColumn(d -> d.httpStatus() == 0 ? "no answer" : String.valueOf(d.httpStatus()))
        .setHeader("HTTP")
        .setAutoWidth(true);
    grid.addColumn(d -> d.reason() == null ? "" : d.reason()).setHeader("Reason").setFlexGrow(2);
    // What was sent and answered is long: shown when a row is clicked.
    grid.setItemDetailsRenderer(
        new ComponentRenderer<>(
            d -> {
              Pre pre = new Pre("Sent:\n" + d.request() + "\n\nAnswer:\n" + d.response());
              pre.getStyle().set("white-space", "pre-wrap").set("font-size", "0.8rem");
              return pre;
            }));
    grid.setAllRowsVisible(true);
    grid.setItems(log);
    v.add(grid);
    return v;
  }

  private VerticalLayout cost(CostEstimate c) {
    VerticalLayout v = new VerticalLayout();
    v.setPadding(false);
    v.setId("cost");
    v.add(new H3("Downtime cost"));
    Span range =
        new Span(
            "Low "
                + Format.money(c.low())
                + " · expected "
                + Format.money(c.expected())
                + " · high "
                + Format.money(c.high()));
    range.setId("cost-range");
    range.getStyle().set("font-weight", "600");
    v.add(range);
    for (CostEstimate.Line l : c.lines()) {
      v.add(
          new Span(
              String.format(
                  Locale.ROOT,
                  "%s: %,d of %,d requests failed (%.0f%%) → %.2f outage-hours × $%,.0f–$%,.0f/h"
                      + " × share %.3f (%s) + %,d × $%s = %s–%s",
                  l.model(),
                  l.failedRequests(),
                  l.requests(),
                  l.failedShare() * 100,
                  l.outageHours(),
                  l.hourlyLow(),
                  l.hourlyHigh(),
                  l.share(),
                  l.subject().equals("*") ? "fleet default, 1/" + c.fleetSize() : l.subject(),
                  l.failedRequests(),
                  l.perFailedRequest().stripTrailingZeros().toPlainString(),
                  Format.money(l.low()),
                  Format.money(l.high()))));
    }
    Paragraph how = new Paragraph(CostEstimate.FORMULA);
    how.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-size", "0.85rem");
    v.add(how);
    return v;
  }
}
