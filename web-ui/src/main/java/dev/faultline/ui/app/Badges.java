package dev.faultline.ui.app;

import com.vaadin.flow.component.html.Span;
import dev.faultline.contract.Incident;
import dev.faultline.ui.board.Board;
import java.util.Locale;

/** Small coloured labels; plain inline styles so no theme module is needed. */
public final class Badges {

  private Badges() {}

  /** A label with the given colours. */
  public static Span of(String text, String background, String color) {
    Span s = new Span(text);
    s.getStyle()
        .set("background", background)
        .set("color", color)
        .set("border-radius", "0.6em")
        .set("padding", "0.1em 0.6em")
        .set("font-size", "0.8rem")
        .set("font-weight", "600")
        .set("white-space", "nowrap");
    return s;
  }

  public static Span severity(Incident.Severity s) {
    return switch (s) {
      case CRITICAL -> of("critical", "#fde2e1", "#b3261e");
      case MAJOR -> of("major", "#ffedd5", "#9a4a00");
      case MINOR -> of("minor", "#fef9c3", "#6b5900");
    };
  }

  public static Span status(Incident.Status s, boolean acknowledged) {
    if (s == Incident.Status.RESOLVED) {
      return of("resolved", "#e2f5e9", "#1b6e3a");
    }
    return acknowledged
        ? of("open · acked", "#e0ecff", "#1f4e8c")
        : of("open", "#fde2e1", "#b3261e");
  }

  public static Span model(Board.ModelState m) {
    String text =
        m.model()
            + (m.state() == Board.State.HEALTHY || m.state() == Board.State.NO_DATA
                ? ""
                : String.format(Locale.ROOT, " %.0f%%", m.errorRatio() * 100));
    Span s =
        switch (m.state()) {
          case FAILING -> of(text, "#d93025", "white");
          case DEGRADED -> of(text, "#f9ab00", "black");
          case HEALTHY -> of(text, "#e2f5e9", "#1b6e3a");
          case NO_DATA -> of(text, "#eceff1", "#555");
        };
    s.getElement().setAttribute("title", m.state().name().toLowerCase(Locale.ROOT));
    s.getElement().setAttribute("data-state", m.state().name());
    return s;
  }
}
