package dev.faultline.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.faultline.contract.Incident;
import dev.faultline.contract.UiLinks;
import dev.faultline.notifier.notify.Alert;
import dev.faultline.notifier.notify.AlertAction;
import dev.faultline.notifier.notify.HttpSender;
import dev.faultline.notifier.notify.IncidentText;
import dev.faultline.notifier.notify.Notifier;
import dev.faultline.notifier.notify.Outcome;
import dev.faultline.notifier.notify.opsgenie.OpsgenieNotifier;
import dev.faultline.notifier.notify.pagerduty.PagerDutyNotifier;
import dev.faultline.notifier.notify.slack.SlackNotifier;
import dev.faultline.notifier.notify.webhook.WebhookNotifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every link an on-call engineer can click to reach an incident, followed in real headless
 * Chromium, signed in: the links in the pages the notifier really sends (PagerDuty, Opsgenie,
 * Slack, the signed webhook; captured by a local HTTP server) and the links in the provisioned
 * Grafana dashboards (data links and the annotation SQL in {@code dashboards/json}). Each must land
 * on the incident's page, not on "Nothing to show here". The UI's own Grafana link must name a
 * dashboard that is provisioned.
 */
class IncidentLinksBrowserIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DASHBOARDS = Path.of("..", "dashboards", "json");
  private static final Pattern ANNOTATION_LINK =
      Pattern.compile("\\$\\{ui_base_url:sqlstring} \\|\\| '([^']*)' \\|\\| id");
  private static final Map<String, String> PASSWORDS =
      Map.of("admin", "admin-pw-1", "sre", "sre-pw-1", "manager", "manager-pw-1");

  static SeedOutage.Fixture seed;
  static WebUi ui;
  static HttpServer pagers;
  static final List<String> bodies = new CopyOnWriteArrayList<>();
  WebDriver driver;
  WebDriverWait wait;

  @BeforeAll
  static void startUiAndPagers() throws Exception {
    assertTrue(
        Files.isExecutable(WebUiBrowserIT.CHROMIUM)
            && Files.isExecutable(WebUiBrowserIT.CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver: run ./faultline test (web-ui/test-setup.sh)");
    seed = SeedOutage.load();
    ui =
        WebUi.start(
            WebUiConfig.of(0, SeedOutage.freshCopy(seed, "webui_links"))
                .withClock(seed.clock())
                .withBoardRefresh(Duration.ofSeconds(1))
                .withInitialPasswords(PASSWORDS));
    pagers = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    pagers.createContext(
        "/",
        ex -> {
          try (ex) {
            bodies.add(new String(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(202, -1);
          }
        });
    pagers.start();
  }

  @AfterAll
  static void stop() {
    if (pagers != null) {
      pagers.stop(0);
    }
    if (ui != null) {
      ui.close();
    }
  }

  @BeforeEach
  void openBrowser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(WebUiBrowserIT.CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--no-first-run",
        "--window-size=1440,1000");
    driver =
        new ChromeDriver(
            new ChromeDriverService.Builder()
                .usingDriverExecutable(WebUiBrowserIT.CHROMEDRIVER.toFile())
                .build(),
            options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    // Vaadin replaces elements when a view re-renders: look again.
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
  }

  @AfterEach
  void closeBrowser() {
    if (driver != null) {
      driver.quit();
    }
  }

  @Test
  void everyLinkInARealPagerPayloadLandsOnTheIncident() throws Exception {
    Incident main = seed.main();
    Map<String, String> links = pagerLinks(main);
    assertEquals(
        List.of(
            "pagerduty client_url",
            "pagerduty links[0]",
            "opsgenie details.link",
            "slack button",
            "webhook link"),
        List.copyOf(links.keySet()));
    signIn("sre");
    for (Map.Entry<String, String> l : links.entrySet()) {
      landsOnIncident(l.getKey(), l.getValue(), main);
    }
  }

  @Test
  void everyIncidentLinkInTheDashboardsLandsOnTheIncident() throws Exception {
    Incident main = seed.main();
    String base = ui.url().endsWith("/") ? ui.url().substring(0, ui.url().length() - 1) : ui.url();
    Map<String, String> links = new LinkedHashMap<>();
    for (Path file : dashboardFiles()) {
      JsonNode d = JSON.readTree(file.toFile());
      for (JsonNode a : d.path("annotations").path("list")) {
        Matcher m = ANNOTATION_LINK.matcher(a.path("target").path("rawSql").asText());
        if (m.find()) {
          links.put(file.getFileName() + " annotation", base + m.group(1) + main.id());
        }
      }
      List<String> urls = new ArrayList<>();
      collectUrls(d, urls);
      for (int k = 0; k < urls.size(); k++) {
        links.put(
            file.getFileName() + " data link " + k,
            urls.get(k).replace("${ui_base_url}", base).replace("${__value.raw}", main.id()));
      }
    }
    assertTrue(links.size() >= 5, "3 annotations and the tables' data links: " + links);
    signIn("manager");
    for (Map.Entry<String, String> l : links.entrySet()) {
      landsOnIncident(l.getKey(), l.getValue(), main);
    }
  }

  @Test
  void theUisGrafanaLinkNamesAProvisionedDashboard() throws Exception {
    Incident main = seed.main();
    signIn("sre");
    driver.get(UiLinks.incident(ui.url(), main.id()));
    WebElement g =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText("Grafana dashboard")));
    URI href = URI.create(g.getAttribute("href"));
    String uid = href.getPath().replaceFirst("^/d/", "").replaceFirst("/.*$", "");
    List<String> uids = new ArrayList<>();
    for (Path file : dashboardFiles()) {
      uids.add(JSON.readTree(file.toFile()).path("uid").asText());
    }
    assertTrue(uids.contains(uid), href + " names " + uid + ", provisioned: " + uids);
    for (String model : main.models()) {
      assertTrue(href.getRawQuery().contains("var-model=" + model), href.toString());
    }
  }

  @Test
  void anSreFindsTheSilenceFormFromTheBoard() {
    signIn("sre");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("silences-link"))).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("silence-form")));
    assertTrue(
        driver.getCurrentUrl().endsWith("/" + UiLinks.SILENCES_ROUTE), driver.getCurrentUrl());
    assertTrue(driver.findElement(By.id("silences")).isDisplayed());
  }

  @Test
  void aManagerSeesSilencesButCannotSetOne() {
    signIn("manager");
    driver.get(ui.url() + UiLinks.SILENCES_ROUTE);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("silences")));
    assertTrue(driver.findElements(By.id("silence-form")).isEmpty());
  }

  /** Sends the incident through each receiver's real notifier and reads the links it carried. */
  private Map<String, String> pagerLinks(Incident main) throws Exception {
    IncidentText text = new IncidentText(URI.create(ui.url()));
    HttpSender http = HttpSender.create(Duration.ofSeconds(5), seed.clock());
    String at = "http://127.0.0.1:" + pagers.getAddress().getPort();
    List<Notifier> notifiers =
        List.of(
            new PagerDutyNotifier(URI.create(at + "/v2/enqueue"), "k".repeat(32), text, http),
            new OpsgenieNotifier(at, "genie-key-0123456789", text, http),
            new SlackNotifier(at + "/services/T0/B0/x", text, http),
            new WebhookNotifier(
                URI.create(at + "/hook"), "s".repeat(32), text, http, seed.clock()));
    bodies.clear();
    for (Notifier n : notifiers) {
      Outcome o = n.send(new Alert(1, "r", AlertAction.TRIGGER, main));
      assertEquals(Outcome.Kind.DELIVERED, o.kind(), o.toString());
    }
    assertEquals(4, bodies.size());
    JsonNode pd = JSON.readTree(bodies.get(0));
    JsonNode og = JSON.readTree(bodies.get(1));
    JsonNode slack = JSON.readTree(bodies.get(2));
    JsonNode hook = JSON.readTree(bodies.get(3));
    Map<String, String> links = new LinkedHashMap<>();
    links.put("pagerduty client_url", pd.path("client_url").asText());
    links.put("pagerduty links[0]", pd.path("links").path(0).path("href").asText());
    links.put("opsgenie details.link", og.path("details").path("link").asText());
    for (JsonNode block : slack.path("blocks")) {
      for (JsonNode e : block.path("elements")) {
        if (e.has("url")) {
          links.put("slack button", e.path("url").asText());
        }
      }
    }
    links.put("webhook link", hook.path("link").asText());
    return links;
  }

  private void landsOnIncident(String what, String link, Incident main) {
    assertFalse(link.isBlank(), what + ": no link");
    driver.get(link);
    try {
      wait.until(d -> d.findElement(By.tagName("body")).getText().contains("onset"));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          what
              + ": "
              + link
              + " did not land on the incident: "
              + driver.findElement(By.tagName("body")).getText(),
          e);
    }
    String page = driver.findElement(By.tagName("body")).getText();
    assertTrue(page.contains(main.id()), what + ": " + page);
    assertFalse(page.contains("Nothing to show here"), what + ": " + page);
    assertFalse(driver.findElements(By.id("timeline")).isEmpty(), what + ": no timeline");
  }

  private static List<Path> dashboardFiles() throws Exception {
    try (Stream<Path> s = Files.list(DASHBOARDS)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  private static void collectUrls(JsonNode n, List<String> out) {
    if (n.isObject()) {
      JsonNode url = n.get("url");
      if (url != null && url.isTextual() && url.asText().contains("${ui_base_url}")) {
        out.add(url.asText());
      }
      n.elements().forEachRemaining(c -> collectUrls(c, out));
    } else if (n.isArray()) {
      n.elements().forEachRemaining(c -> collectUrls(c, out));
    }
  }

  private void signIn(String user) {
    driver.get(ui.url() + "login");
    WebElement name =
        wait.until(
            ExpectedConditions.elementToBeClickable(By.cssSelector("input[name='username']")));
    name.sendKeys(user);
    WebElement pw = driver.findElement(By.cssSelector("input[name='password']"));
    pw.sendKeys(PASSWORDS.get(user));
    pw.sendKeys(Keys.ENTER);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-in-user")));
  }
}
