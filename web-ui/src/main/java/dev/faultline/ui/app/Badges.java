package dev.faultline.ui.app;

import com.vaadin.flow.component.html.Span;
import dev.faultline.contract.Incident;

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
      case CRITICAL -> of(s.wireName(), "#fde2e1", "#b3261e");
      case MAJOR -> of(s.wireName(), "#ffedd5", "#9a4a00");
      case MINOR -> of(s.wireName(), "#fef9c3", "#6b5900");
    };
  }

  public static Span status(Incident.Status s, boolean acknowledged) {
    if (s == Incident.Status.RESOLVED) {
      return of(s.wireName(), "#e2f5e9", "#1b6e3a");
    }
    return acknowledged
        ? of(s.wireName() + " · acked", "#e0ecff", "#1f4e8c")
        : of(s.wireName(), "#fde2e1", "#b3261e");
  }
}
