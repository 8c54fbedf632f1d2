package dev.faultline.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.storage.StorageConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The reliability review, the account page and sign-in throttling in real headless Chromium, over
 * four months of simulated incidents ({@link ReviewHistory}). The browser runs in Europe/Berlin
 * ({@code TZ}), so the UI must pick that zone up on its own; expected figures are computed here
 * from the stored rows with plain SQL. Screenshots land in {@code target/screenshots/}.
 */
class ReviewBrowserIT {

  static final Map<String, String> PASSWORDS =
      Map.of(
          "admin", "admin-password-1", "sre", "sre-password-01", "manager", "manager-password-1");
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final String Q3 = "review?kind=QUARTER&first=2026-07-01&last=2026-09-30";

  static ReviewHistory.Fixture history;
  static StorageConfig db;
  static WebUi ui;
  WebDriver driver;
  WebDriverWait wait;

  @BeforeAll
  static void startUi() throws Exception {
    assertTrue(
        Files.isExecutable(WebUiBrowserIT.CHROMIUM)
            && Files.isExecutable(WebUiBrowserIT.CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver: run ./faultline test (web-ui/test-setup.sh)");
    history = ReviewHistory.load();
    db = ReviewHistory.freshCopy("webui_review_browser");
    ui =
        WebUi.start(
            WebUiConfig.of(0, db)
                .withClock(history.clock())
                .withBoardRefresh(Duration.ofSeconds(5))
                .withInitialPasswords(PASSWORDS));
    Files.createDirectories(WebUiBrowserIT.SHOTS);
  }

  @AfterAll
  static void stopUi() {
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
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1440,1000");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(WebUiBrowserIT.CHROMEDRIVER.toFile())
            .withEnvironment(Map.of("TZ", BERLIN.getId()))
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1440, 1000));
    wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    // Vaadin replaces elements when a view re-renders (a new zone redraws the page): look again.
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
  }

  @AfterEach
  void closeBrowser() {
    if (driver != null) {
      driver.quit();
    }
  }

  /** Incident ids and onsets of [first, last] in the zone, by plain SQL. */
  private static List<String[]> stored(LocalDate first, LocalDate last, ZoneId zone, String layer)
      throws Exception {
    List<String[]> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, opened_at FROM incident WHERE opened_at >= ? AND opened_at < ?"
                    + (layer == null ? "" : " AND suspected_layer = '" + layer + "'")
                    + " ORDER BY opened_at, id")) {
      ps.setTimestamp(1, Timestamp.from(first.atStartOfDay(zone).toInstant()));
      ps.setTimestamp(2, Timestamp.from(last.plusDays(1).atStartOfDay(zone).toInstant()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new String[] {rs.getString(1), rs.getTimestamp(2).toInstant().toString()});
        }
      }
    }
    return out;
  }

  private static String local(String instant, ZoneId zone) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
        .format(Instant.parse(instant).atZone(zone));
  }

  @Test
  void managerReadsTheQuarterInTheBrowsersZoneAndOpensTheIncidentsBehindAFigure() throws Exception {
    List<String[]> q3 = stored(LocalDate.of(2026, 7, 1), LocalDate.of(2026, 9, 30), BERLIN, null);
    List<String[]> schedulers =
        stored(LocalDate.of(2026, 7, 1), LocalDate.of(2026, 9, 30), BERLIN, "scheduler");
    assertFalse(schedulers.isEmpty());
    signIn("manager");
    driver.get(ui.url() + Q3);
    wait.until(d -> d.findElement(By.id("user-zone")).getText().equals("Europe/Berlin"));
    wait.until(
        d -> d.findElement(By.id("review-period")).getText().contains("Times in Europe/Berlin"));
    WebElement total = driver.findElement(By.cssSelector("#total-incidents .value"));
    assertEquals(Integer.toString(q3.size()), total.getText());
    String grid = driver.findElement(By.id("review-incidents")).getText();
    for (String[] row : q3) {
      assertTrue(grid.contains(row[0]), row[0] + " listed");
      assertTrue(grid.contains(local(row[1], BERLIN)), "onset of " + row[0] + " in Berlin time");
    }
    assertFalse(driver.findElements(By.cssSelector("#chart-layer rect")).isEmpty());
    driver.manage().window().setSize(new Dimension(1440, 3000));
    shot("review");
    driver.manage().window().setSize(new Dimension(1440, 1000));

    WebElement behind = driver.findElement(By.id("behind-layer-scheduler"));
    ((org.openqa.selenium.JavascriptExecutor) driver)
        .executeScript("arguments[0].scrollIntoView({block: 'center'})", behind);
    behind.click();
    WebElement list = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("behind-list")));
    List<String> ids =
        list.findElements(By.tagName("a")).stream().map(WebElement::getText).toList();
    assertEquals(schedulers.stream().map(r -> r[0]).toList(), ids);
    shot("review-behind");
    // The list is in the dialog's overlay, at the top of everything.
    list.findElements(By.tagName("a")).get(0).click();
    wait.until(ExpectedConditions.urlContains("/incident/" + schedulers.get(0)[0]));
    wait.until(d -> d.findElement(By.id("timeline")).getText().contains("onset"));
  }

  @Test
  void exportsNameTheZoneAndListTheSameIncidents() throws Exception {
    List<String[]> q3 = stored(LocalDate.of(2026, 7, 1), LocalDate.of(2026, 9, 30), BERLIN, null);
    signIn("manager");
    driver.get(ui.url() + Q3);
    wait.until(d -> d.findElement(By.id("user-zone")).getText().equals("Europe/Berlin"));
    wait.until(
        d -> d.findElement(By.id("review-period")).getText().contains("Times in Europe/Berlin"));
    HttpResponse<byte[]> csv =
        fetchSignedIn(driver.findElement(By.id("export-csv-incidents")).getAttribute("href"));
    assertEquals(200, csv.statusCode());
    List<String> lines = new String(csv.body(), StandardCharsets.UTF_8).lines().toList();
    assertTrue(lines.get(0).contains("opened (Europe/Berlin)"), lines.get(0));
    assertEquals(q3.size() + 1, lines.size());
    for (int k = 0; k < q3.size(); k++) {
      String[] cells = lines.get(k + 1).split(",");
      assertEquals(q3.get(k)[0], cells[0]);
      assertEquals(local(q3.get(k)[1], BERLIN), cells[1]);
    }
    HttpResponse<byte[]> pdf =
        fetchSignedIn(driver.findElement(By.id("export-pdf")).getAttribute("href"));
    assertEquals(200, pdf.statusCode());
    assertEquals("application/pdf", pdf.headers().firstValue("content-type").orElse(""));
    Files.write(WebUiBrowserIT.SHOTS.resolve("review-q3.pdf"), pdf.body());
    try (PDDocument doc = Loader.loadPDF(pdf.body())) {
      String text = new PDFTextStripper().getText(doc);
      assertTrue(text.contains("Reliability review: Q3 2026"), text);
      assertTrue(text.contains("Times in Europe/Berlin"), text);
      assertTrue(text.contains(ReviewHistory.UNICODE_MODEL), text);
    }
  }

  @Test
  void managerCreatesAnApiTokenOnAccountReadsWithItAndRevokesIt() throws Exception {
    signIn("manager");
    driver.get(ui.url() + "account");
    wait.until(d -> d.findElement(By.id("account-token-name")).isDisplayed());
    driver.findElement(By.cssSelector("#account-token-name input")).sendKeys("grafana");
    driver.findElement(By.id("account-token-create")).click();
    String token =
        wait.until(
            d -> {
              String v =
                  d.findElement(By.cssSelector("#account-token-new input")).getDomProperty("value");
              return v == null || v.isEmpty() ? null : v;
            });
    assertTrue(token.startsWith("flt_"), "a token, shown once");
    wait.until(d -> d.findElement(By.id("account-tokens")).getText().contains("grafana"));
    shot("account-token");

    HttpClient http = HttpClient.newHttpClient();
    URI incidents = URI.create(ui.url() + "api/v1/incidents?limit=500");
    HttpResponse<String> read =
        http.send(
            HttpRequest.newBuilder(incidents).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, read.statusCode(), read.body());
    String someId =
        stored(LocalDate.of(2026, 8, 1), LocalDate.of(2026, 11, 30), BERLIN, null).get(0)[0];
    assertTrue(read.body().contains("\"" + someId + "\""), read.body());
    HttpResponse<String> ack =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(ui.url() + "api/v1/incidents/" + someId + "/acknowledge"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(403, ack.statusCode(), "a manager's token cannot acknowledge: " + ack.body());
    // The browser's signed-in session authenticates nothing on the API.
    Cookie session = driver.manage().getCookieNamed("JSESSIONID");
    assertTrue(session != null, "signed in with a session");
    HttpResponse<String> withCookie =
        http.send(
            HttpRequest.newBuilder(incidents)
                .header("Cookie", "JSESSIONID=" + session.getValue())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, withCookie.statusCode());
    assertTrue(withCookie.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));

    WebElement revoke = driver.findElement(By.cssSelector("[id^='account-token-revoke-']"));
    ((JavascriptExecutor) driver)
        .executeScript("arguments[0].scrollIntoView({block: 'center'})", revoke);
    revoke.click();
    wait.until(d -> d.findElement(By.id("account-tokens")).getText().contains("revoked"));
    HttpResponse<String> revoked =
        http.send(
            HttpRequest.newBuilder(incidents).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, revoked.statusCode());
    // Shown once: a fresh page does not show it again.
    driver.get(ui.url() + "account");
    wait.until(d -> d.findElement(By.id("account-tokens")).getText().contains("grafana"));
    assertFalse(driver.getPageSource().contains(token));
  }

  @Test
  void sreChoosesAZoneAndChangesTheirPassword() throws Exception {
    signIn("sre", PASSWORDS.get("sre"));
    driver.get(ui.url() + "account");
    wait.until(d -> d.findElement(By.id("account-zone-now")).getText().contains("Europe/Berlin"));
    WebElement zone = driver.findElement(By.cssSelector("#account-zone input"));
    zone.sendKeys(Keys.chord(Keys.CONTROL, "a"), "Asia/Tokyo");
    wait.until(d -> d.findElements(By.cssSelector("vaadin-combo-box-item")).size() >= 1);
    zone.sendKeys(Keys.ENTER);
    wait.until(
        d ->
            d.findElement(By.id("account-zone-now"))
                .getText()
                .startsWith("Times are shown in Asia/Tokyo"));

    driver.findElement(By.cssSelector("#account-current input")).sendKeys(PASSWORDS.get("sre"));
    driver.findElement(By.cssSelector("#account-new input")).sendKeys("too-short");
    driver.findElement(By.cssSelector("#account-repeat input")).sendKeys("too-short");
    driver.findElement(By.id("account-change")).click();
    wait.until(
        d -> d.findElement(By.id("account-password-result")).getText().contains("at least 12"));
    driver.findElement(By.cssSelector("#account-current input")).sendKeys(PASSWORDS.get("sre"));
    driver.findElement(By.cssSelector("#account-new input")).sendKeys("a-much-longer-password");
    driver.findElement(By.cssSelector("#account-repeat input")).sendKeys("a-much-longer-password");
    driver.findElement(By.id("account-change")).click();
    wait.until(
        d -> d.findElement(By.id("account-password-result")).getText().equals("Password changed."));
    shot("account");

    driver.get(ui.url() + Q3);
    wait.until(
        d -> d.findElement(By.id("review-period")).getText().contains("Times in Asia/Tokyo"));
    assertEquals("Asia/Tokyo", driver.findElement(By.id("user-zone")).getText());

    driver.manage().deleteAllCookies();
    signIn("sre", "a-much-longer-password");
    assertTrue(driver.findElement(By.id("signed-in-user")).getText().startsWith("sre"));
  }

  @Test
  void repeatedWrongPasswordsLockTheAccountForAWhile() {
    for (int k = 0; k < 5; k++) {
      refused("admin", "not-the-password");
    }
    refused("admin", PASSWORDS.get("admin"));
    assertTrue(driver.findElements(By.id("signed-in-user")).isEmpty(), "still signed out");
    // Another user from the same browser is not locked.
    signIn("manager");
  }

  /** Submits the form and waits for the login page to come back with its error. */
  private void refused(String user, String password) {
    WebElement pw = attempt(user, password);
    wait.until(d -> gone(pw));
    wait.until(ExpectedConditions.urlContains("login?error"));
    wait.until(
        ExpectedConditions.presenceOfElementLocated(By.cssSelector("input[name='password']")));
  }

  /**
   * Whether the page holding this element has been replaced. Selenium's {@code stalenessOf} only
   * catches a stale-reference error; Chromium may instead answer a node from a page being torn down
   * with "Node with given id does not belong to the document", which means the same.
   */
  private static boolean gone(WebElement element) {
    try {
      element.isEnabled();
      return false;
    } catch (StaleElementReferenceException stale) {
      return true;
    } catch (WebDriverException detached) {
      String message = String.valueOf(detached.getMessage());
      if (message.contains("does not belong to the document")) {
        return true;
      }
      throw detached;
    }
  }

  private WebElement attempt(String user, String password) {
    driver.get(ui.url() + "login");
    WebElement name =
        wait.until(
            ExpectedConditions.elementToBeClickable(By.cssSelector("input[name='username']")));
    name.sendKeys(user);
    WebElement pw = driver.findElement(By.cssSelector("input[name='password']"));
    pw.sendKeys(password);
    pw.sendKeys(Keys.ENTER);
    return pw;
  }

  private void signIn(String user) {
    signIn(user, PASSWORDS.get(user));
  }

  private void signIn(String user, String password) {
    attempt(user, password);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-in-user")));
  }

  private HttpResponse<byte[]> fetchSignedIn(String url) throws Exception {
    StringBuilder cookies = new StringBuilder();
    for (Cookie c : driver.manage().getCookies()) {
      cookies.append(c.getName()).append('=').append(c.getValue()).append("; ");
    }
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookies.toString()).build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  private void shot(String name) throws Exception {
    byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Files.write(WebUiBrowserIT.SHOTS.resolve(name + ".png"), png);
  }
}
