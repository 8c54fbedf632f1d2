package dev.faultline.ui.app;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.server.menu.MenuConfiguration;
import dev.faultline.ui.Format;
import dev.faultline.ui.account.AccountView;
import dev.faultline.ui.account.UserZone;
import dev.faultline.ui.security.Actor;
import dev.faultline.ui.security.CurrentUser;
import jakarta.annotation.security.PermitAll;

/**
 * The frame of every page: product name, navigation, who is signed in. Every route gets it ({@link
 * Layout}) unless it opts out, and the navigation lists the views that declare a {@code @Menu}
 * entry the signed-in user may open (Settings only for admins): the frame imports no feature's
 * view, so features depend on the frame and never the other way round.
 */
@Layout
@PermitAll
public class MainLayout extends AppLayout {

  public MainLayout(CurrentUser currentUser, UserZone zone) {
    Actor me = currentUser.actor();
    Span brand = new Span("Faultline");
    brand.getStyle().set("font-weight", "700").set("font-size", "1.25rem").set("color", "#1f4e8c");
    HorizontalLayout nav = new HorizontalLayout();
    MenuConfiguration.getMenuEntries()
        .forEach(entry -> nav.add(new RouterLink(entry.title(), entry.menuClass())));
    nav.getStyle().set("margin-left", "2rem");
    // Learn the browser's zone once per session; the zone every time is shown in is named here.
    addAttachListener(e -> zone.learnFrom(e.getUI()));
    RouterLink account = new RouterLink(Format.zoneName(zone.zone()), AccountView.class);
    account.setId("user-zone");
    Span who = new Span(me.name() + " · " + me.role().name().toLowerCase(java.util.Locale.ROOT));
    who.setId("signed-in-user");
    who.getStyle().set("color", "var(--lumo-secondary-text-color)");
    Button logout = new Button("Sign out", e -> currentUser.logout());
    logout.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
    HorizontalLayout right = new HorizontalLayout(who, account, logout);
    right.setAlignItems(FlexComponent.Alignment.CENTER);
    right.getStyle().set("margin-left", "auto").set("margin-right", "1rem");
    HorizontalLayout bar = new HorizontalLayout(brand, nav, right);
    bar.setWidthFull();
    bar.setAlignItems(FlexComponent.Alignment.CENTER);
    bar.getStyle().set("padding-left", "1rem");
    addToNavbar(bar);
  }
}
