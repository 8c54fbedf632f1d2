package dev.faultline.ui.app;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.ParentLayout;
import com.vaadin.flow.router.RouteConfiguration;
import com.vaadin.flow.router.RouterLink;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What a signed-in user sees on a page that does not exist or needs a role they lack (in production
 * mode Vaadin reports both as not found, so as not to reveal which pages exist): a page inside the
 * frame that says why and leads back to the board, instead of a bare error line. The board is found
 * by its address (the home route), so the frame's package depends on no feature's view.
 */
@ParentLayout(MainLayout.class)
@PermitAll
public class NotFoundView extends VerticalLayout implements HasErrorParameter<NotFoundException> {

  @Override
  public int setErrorParameter(
      BeforeEnterEvent event, ErrorParameter<NotFoundException> parameter) {
    removeAll();
    setId("not-found");
    add(
        new H2("Nothing to show here"),
        new Paragraph(
            "'"
                + event.getLocation().getPath()
                + "' does not exist or needs a role you do not have."
                + " Settings (cost model, notification routes, users) are for admins."),
        home());
    return HttpServletResponse.SC_NOT_FOUND;
  }

  private static RouterLink home() {
    RouterLink home = new RouterLink();
    home.setText("Back to the live board");
    RouteConfiguration.forSessionScope().getRoute("").ifPresent(home::setRoute);
    return home;
  }
}
