package dev.faultline.ui.postmortem;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import dev.faultline.contract.UiLinks;
import dev.faultline.storage.incident.PostMortem;
import dev.faultline.ui.account.UserZone;
import dev.faultline.ui.incident.IncidentView;
import dev.faultline.ui.security.Actor;
import dev.faultline.ui.security.CurrentUser;
import jakarta.annotation.security.PermitAll;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The post-mortem of one incident: generated facts, fields people write, exports. */
@Route(UiLinks.POST_MORTEM_ROUTE)
@PageTitle("Post-mortem · Faultline")
@PermitAll
public class PostMortemView extends VerticalLayout implements HasUrlParameter<String> {

  private final PostMortemService postMortems;
  private final Actor me;
  private final List<PostMortem.ActionItem> items = new ArrayList<>();
  private final Grid<PostMortem.ActionItem> itemGrid = new Grid<>();
  private final UserZone userZone;
  private String id;

  public PostMortemView(PostMortemService postMortems, CurrentUser currentUser, UserZone userZone) {
    this.postMortems = postMortems;
    this.me = currentUser.actor();
    this.userZone = userZone;
    setMaxWidth("1000px");
  }

  @Override
  public void setParameter(BeforeEvent event, String incidentId) {
    id = incidentId;
    removeAll();
    postMortems
        .report(id, userZone.zone())
        .ifPresentOrElse(this::show, () -> add(new H2("No incident " + id)));
  }

  private void show(PostMortemReport r) {
    add(new H2(r.title()));
    // The exports carry the reader's zone, as the review's do.
    String zone = "?zone=" + URLEncoder.encode(r.zone().getId(), StandardCharsets.UTF_8);
    Anchor md = new Anchor("export/" + id + ".md" + zone, "Export Markdown");
    Anchor pdf = new Anchor("export/" + id + ".pdf" + zone, "Export PDF");
    md.getElement().setAttribute("router-ignore", true);
    pdf.getElement().setAttribute("router-ignore", true);
    pdf.setId("export-pdf");
    md.setId("export-md");
    add(new HorizontalLayout(new RouterLink("Back to incident", IncidentView.class, id), md, pdf));
    add(new H3("Summary"), new Paragraph(r.summary()));
    add(new H3("Impact"));
    add(impactTable(PostMortemFacts.impact(r)));
    add(new H3("Detection"), new Paragraph(PostMortemFacts.detection(r)));
    add(new H3("Suspected cause and evidence"), new Paragraph(PostMortemFacts.suspicion(r)));
    boolean editable = me.canRespond();
    TextArea rootCause = new TextArea("Root cause");
    rootCause.setValue(r.written().rootCause());
    rootCause.setWidthFull();
    rootCause.setReadOnly(!editable);
    rootCause.setId("root-cause");
    TextArea lessons = new TextArea("Lessons learned");
    lessons.setValue(r.written().lessons());
    lessons.setWidthFull();
    lessons.setReadOnly(!editable);
    add(rootCause);
    add(new H3("Action items"));
    items.clear();
    items.addAll(r.written().actionItems());
    itemGrid.removeAllColumns();
    itemGrid.addColumn(PostMortem.ActionItem::description).setHeader("Action").setFlexGrow(3);
    itemGrid.addColumn(PostMortem.ActionItem::owner).setHeader("Owner");
    itemGrid.addColumn(a -> a.type().name().toLowerCase(Locale.ROOT)).setHeader("Type");
    itemGrid.setItems(items);
    itemGrid.setAllRowsVisible(true);
    add(itemGrid);
    if (editable) {
      add(newItemForm());
    }
    add(lessons);
    if (editable) {
      Button save =
          new Button(
              "Save post-mortem",
              e -> {
                try {
                  postMortems.save(id, me, rootCause.getValue(), items, lessons.getValue());
                  Notification.show("Saved");
                } catch (RuntimeException ex) {
                  Notification.show(ex.getMessage());
                }
              });
      save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
      save.setId("save-post-mortem");
      add(save);
    }
  }

  /** Label and value side by side, as in the PDF: a manager scans these, not reads them. */
  private static Div impactTable(List<String[]> rows) {
    Div table = new Div();
    table.setId("impact");
    table
        .getStyle()
        .set("display", "grid")
        .set("grid-template-columns", "max-content 1fr")
        .set("column-gap", "1.5rem")
        .set("row-gap", "0.3rem");
    for (String[] row : rows) {
      Span label = new Span(row[0]);
      label.getStyle().set("color", "var(--lumo-secondary-text-color)");
      Span value = new Span(row[1]);
      value.getStyle().set("font-weight", "600");
      table.add(label, value);
    }
    return table;
  }

  private HorizontalLayout newItemForm() {
    TextField description = new TextField("New action");
    description.setWidth("24rem");
    TextField owner = new TextField("Owner");
    Select<PostMortem.ActionItem.Type> type = new Select<>();
    type.setLabel("Type");
    type.setItems(PostMortem.ActionItem.Type.values());
    type.setValue(PostMortem.ActionItem.Type.PREVENT);
    Button add =
        new Button(
            "Add",
            e -> {
              try {
                items.add(
                    new PostMortem.ActionItem(
                        description.getValue(), owner.getValue(), type.getValue(), false));
                itemGrid.setItems(items);
                description.clear();
                owner.clear();
              } catch (IllegalArgumentException ex) {
                Notification.show(ex.getMessage());
              }
            });
    HorizontalLayout form = new HorizontalLayout(description, owner, type, add);
    form.setAlignItems(Alignment.BASELINE);
    return form;
  }
}
