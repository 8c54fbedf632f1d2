package dev.faultline.ui.security;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;

/** The only page reachable without signing in. */
@Route(value = "login", autoLayout = false)
@PageTitle("Sign in · Faultline")
@AnonymousAllowed
public class LoginView extends VerticalLayout implements BeforeEnterObserver {

  private final LoginForm login = new LoginForm();

  public LoginView() {
    setSizeFull();
    setAlignItems(FlexComponent.Alignment.CENTER);
    setJustifyContentMode(FlexComponent.JustifyContentMode.CENTER);
    login.setAction("login");
    login.setForgotPasswordButtonVisible(false);
    H1 title = new H1("Faultline");
    title.getStyle().set("margin-bottom", "0");
    Paragraph tagline = new Paragraph("Outage observability for LLM fleets");
    tagline.getStyle().set("color", "var(--lumo-secondary-text-color)");
    add(title, tagline, login);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    login.setError(event.getLocation().getQueryParameters().getParameters().containsKey("error"));
  }
}
