package dev.faultline.ui.board;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import dev.faultline.ui.Format;
import dev.faultline.ui.account.UserZone;
import dev.faultline.ui.app.Badges;
import dev.faultline.ui.incident.IncidentService;
import dev.faultline.ui.incident.IncidentView;
import dev.faultline.ui.security.Actor;
import dev.faultline.ui.security.CurrentUser;
import dev.faultline.ui.silence.SilenceService;
import dev.faultline.ui.silence.SilencesView;
import jakarta.annotation.security.PermitAll;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The live board: what is broken, since when, how wide, what is suspected. Pushed, not polled. */
@Route("")
@Menu(title = "Live board", order = 0)
@PageTitle("Live board · Faultline")
@PermitAll
public class BoardView extends VerticalLayout {

  private final BoardService board;
  private final BoardFeed feed;
  private final IncidentService incidents;
  private final SilenceService silences;
  private final Actor me;
  private final HorizontalLayout fleet = new HorizontalLayout();
  private final Grid<Board.Row> grid = new Grid<>();
  private final Span summary = new Span();
  private Runnable unsubscribe;
  private List<Board.Row> shownRows;
  private List<Board.ModelState> shownFleet;

  // Times in the reader's zone (UserZone), with its short name.
  private final DateTimeFormatter started;

  public BoardView(
      BoardService board,
      BoardFeed feed,
      IncidentService incidents,
      SilenceService silences,
      CurrentUser currentUser,
      UserZone userZone) {
    this.started =
        DateTimeFormatter.ofPattern("MMM d HH:mm:ss zzz", Locale.ROOT).withZone(userZone.zone());
    this.board = board;
    this.feed = feed;
    this.incidents = incidents;
    this.silences = silences;
    this.me = currentUser.actor();
    setSizeFull();
    fleet.setId("fleet-strip");
    fleet.getStyle().set("flex-wrap", "wrap").set("gap", "0.4rem");
    fleet.setSpacing(false);
    summary.setId("board-summary");
    summary.getStyle().set("color", "var(--lumo-secondary-text-color)");
    H2 title = new H2("Live board");
    title.getStyle().set("margin", "0");
    RouterLink silenceLink = new RouterLink("Silences", SilencesView.class);
    silenceLink.setId("silences-link");
    HorizontalLayout head = new HorizontalLayout(title, summary, silenceLink);
    head.setAlignItems(Alignment.BASELINE);
    configureGrid();
    add(head, new Span("Fleet now"), fleet, grid);
    show(board.snapshot());
  }

  private void configureGrid() {
    grid.setId("incidents");
    // Wrap rather than truncate: the suspected component and the model names are what an SRE
    // reads first, and an ellipsis hides exactly that.
    grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_WRAP_CELL_CONTENT);
    grid.addComponentColumn(this::status).setHeader("Status").setAutoWidth(true).setFlexGrow(0);
    grid.addComponentColumn(r -> Badges.severity(r.severity()))
        .setHeader("Severity")
        .setAutoWidth(true)
        .setFlexGrow(0);
    grid.addColumn(r -> r.scope().wireName()).setHeader("Scope").setAutoWidth(true).setFlexGrow(0);
    grid.addColumn(Board.Row::modelsText).setHeader("Models").setFlexGrow(3);
    grid.addColumn(Board.Row::suspectedText).setHeader("Suspected component").setFlexGrow(2);
    grid.addColumn(r -> started.format(r.openedAt())).setHeader("Started").setAutoWidth(true);
    grid.addColumn(r -> Format.duration(r.duration())).setHeader("Duration").setAutoWidth(true);
    grid.addColumn(r -> String.format(Locale.ROOT, "%,d", r.failedRequests()))
        .setHeader("Failed requests")
        .setAutoWidth(true);
    grid.addComponentColumn(this::actions).setHeader("").setAutoWidth(true).setFlexGrow(0);
    grid.setSelectionMode(Grid.SelectionMode.NONE);
    grid.setSizeFull();
  }

  /** The status badge, and a "silenced" one while a silence holds the incident's page back. */
  private com.vaadin.flow.component.Component status(Board.Row r) {
    Span status = Badges.status(r.status(), r.acknowledged());
    if (r.status() != dev.faultline.contract.Incident.Status.OPEN
        || !silences.silenced(r.models(), r.suspected())) {
      return status;
    }
    Span silenced =
        Badges.of("silenced", "var(--lumo-contrast-10pct)", "var(--lumo-secondary-text-color)");
    silenced.getElement().setAttribute("data-silenced", r.id());
    silenced.getElement().setAttribute("title", "not paged until its silence ends");
    HorizontalLayout both = new HorizontalLayout(status, silenced);
    both.setSpacing(false);
    both.getStyle().set("gap", "0.25rem").set("flex-wrap", "wrap");
    return both;
  }

  private HorizontalLayout actions(Board.Row r) {
    RouterLink open = new RouterLink("Open", IncidentView.class, r.id());
    open.getElement().setAttribute("data-incident", r.id());
    HorizontalLayout a = new HorizontalLayout(open);
    a.setAlignItems(Alignment.CENTER);
    if (me.canRespond()
        && !r.acknowledged()
        && r.status() == dev.faultline.contract.Incident.Status.OPEN) {
      Button ack =
          new Button("Ack", e -> run(() -> incidents.acknowledge(r.id(), me), "Acknowledged"));
      ack.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_PRIMARY);
      a.add(ack);
    }
    if (me.canRespond()) {
      Button note = new Button("Note", e -> noteDialog(r.id()));
      note.addThemeVariants(ButtonVariant.LUMO_SMALL);
      a.add(note);
    }
    String g =
        incidents.grafanaUrl(
            r.models(),
            r.openedAt().minus(IncidentService.MARGIN),
            r.openedAt().plus(r.duration()).plus(IncidentService.MARGIN));
    if (g != null) {
      Anchor grafana = new Anchor(g, "Grafana");
      grafana.setTarget("_blank");
      a.add(grafana);
    }
    return a;
  }

  private void noteDialog(String id) {
    Dialog d = new Dialog();
    d.setHeaderTitle("Note on " + id);
    TextArea text = new TextArea("What do you see?");
    text.setWidth("28rem");
    Button save =
        new Button(
            "Add note",
            e -> {
              run(() -> incidents.addNote(id, me, text.getValue()), "Note added");
              d.close();
            });
    save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    d.add(text);
    d.getFooter().add(new Button("Cancel", e -> d.close()), save);
    d.open();
  }

  private void run(Runnable action, String done) {
    try {
      action.run();
      Notification.show(done);
      show(board.snapshot());
    } catch (RuntimeException e) {
      Notification.show(e.getMessage());
    }
  }

  private void show(Board b) {
    // Re-render only what changed: rebuilding the rows every refresh replaces the buttons and
    // links under the SRE's pointer, and a click landing mid-refresh is lost.
    if (!b.rows().equals(shownRows)) {
      grid.setItems(b.rows());
      shownRows = b.rows();
    }
    if (!b.fleet().equals(shownFleet)) {
      fleet.removeAll();
      b.fleet().forEach(m -> fleet.add(modelBadge(m)));
      if (b.fleet().isEmpty()) {
        fleet.add(new Div(new Span("No model reported in the last hour.")));
      }
      shownFleet = b.fleet();
    }
    grid.setEmptyStateText("No open or recent incident.");
    long open =
        b.rows().stream()
            .filter(r -> r.status() == dev.faultline.contract.Incident.Status.OPEN)
            .count();
    summary.setText(
        open + " open · " + b.rows().size() + " recent · updated " + started.format(b.at()));
  }

  @Override
  protected void onAttach(AttachEvent event) {
    UI ui = event.getUI();
    unsubscribe = feed.subscribe(b -> ui.access(() -> show(b)));
  }

  @Override
  protected void onDetach(DetachEvent event) {
    if (unsubscribe != null) {
      unsubscribe.run();
    }
  }

  /** A model of the fleet, coloured by its state, with its error ratio when it is not healthy. */
  private static Span modelBadge(Board.ModelState m) {
    String text =
        m.model()
            + (m.state() == Board.State.HEALTHY || m.state() == Board.State.NO_DATA
                ? ""
                : String.format(Locale.ROOT, " %.0f%%", m.errorRatio() * 100));
    Span s =
        switch (m.state()) {
          case FAILING -> Badges.of(text, "#d93025", "white");
          case DEGRADED -> Badges.of(text, "#f9ab00", "black");
          case HEALTHY -> Badges.of(text, "#e2f5e9", "#1b6e3a");
          case NO_DATA -> Badges.of(text, "#eceff1", "#555");
        };
    s.getElement().setAttribute("title", m.state().name().toLowerCase(Locale.ROOT));
    s.getElement().setAttribute("data-state", m.state().name());
    return s;
  }
}
