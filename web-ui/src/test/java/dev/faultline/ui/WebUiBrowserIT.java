package dev.faultline.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.Incident;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The whole UI in real headless Chromium (Debian's {@code chromium} and {@code chromedriver}) over
 * the seed outage replayed by the real correlation engine. Screenshots land in {@code
 * target/screenshots/}.
 */
class WebUiBrowserIT {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SHOTS = Path.of("target", "screenshots");
  static final Map<String, String> PASSWORDS =
      Map.of("admin", "admin-pw-1", "sre", "sre-pw-1", "manager", "manager-pw-1");

  static SeedOutage.Fixture seed;
  static WebUi ui;
  WebDriver driver;
  WebDriverWait wait;

  @BeforeAll
  static void startUi() throws Exception {
    assertTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver: run ./faultline test (web-ui/test-setup.sh)");
    seed = SeedOutage.load();
    ui =
        WebUi.start(
            WebUiConfig.of(0, SeedOutage.freshCopy(seed, "webui_browser"))
                .withClock(seed.clock())
                .withBoardRefresh(Duration.ofSeconds(1))
                .withInitialPasswords(PASSWORDS));
    Files.createDirectories(SHOTS);
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
    options.setBinary(CHROMIUM.toFile());
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
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1440, 1000));
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
  void sreSignsInSeesTheReplayedOutageOnTheBoardAndReadsItsTimeline() throws Exception {
    Incident main = seed.main();
    signIn("sre");
    // Look the grid up again on each try: a board refresh may replace it (a held reference goes
    // stale for good and the wait would time out).
    wait.until(d -> d.findElement(By.id("incidents")).getText().contains(main.models().get(0)));
    WebElement grid = driver.findElement(By.id("incidents"));
    if (main.suspected() != null) {
      assertTrue(grid.getText().contains(main.suspected().id()), grid.getText());
    }
    WebElement fleet = driver.findElement(By.id("fleet-strip"));
    assertFalse(fleet.findElements(By.cssSelector("[data-state='HEALTHY']")).isEmpty());
    shot("board");

    driver.findElement(By.cssSelector("a[data-incident='" + main.id() + "']")).click();
    wait.until(d -> d.findElement(By.id("timeline")).getText().contains("onset"));
    WebElement timeline = driver.findElement(By.id("timeline"));
    assertTrue(timeline.getText().contains("degraded"), timeline.getText());
    assertTrue(timeline.getText().contains(main.models().get(0)), timeline.getText());
    assertFalse(driver.findElements(By.cssSelector("#chart-error-ratio svg path")).isEmpty());

    driver.findElement(By.cssSelector("#note-text input")).sendKeys("draining the node pool");
    driver.findElement(By.id("add-note")).click();
    wait.until(d -> d.findElement(By.id("timeline")).getText().contains("draining the node pool"));
    shot("incident");
  }

  @Test
  void exportedPdfReadsLikeTheReport() throws Exception {
    Incident main = seed.main();
    signIn("manager");
    driver.get(ui.url() + "post-mortem/" + main.id());
    WebElement pdf = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("export-pdf")));
    shot("post-mortem");
    HttpResponse<byte[]> response = fetchSignedIn(pdf.getAttribute("href"));
    assertEquals(200, response.statusCode());
    assertEquals("application/pdf", response.headers().firstValue("content-type").orElse(""));
    Files.write(Path.of("target", "post-mortem.pdf"), response.body());
    try (PDDocument doc = Loader.loadPDF(response.body())) {
      String text = new PDFTextStripper().getText(doc);
      assertTrue(text.contains("Post-mortem"), text);
      assertTrue(text.contains(main.id()), text);
      assertTrue(text.contains("Timeline (UTC)"), text);
      assertTrue(text.contains(main.models().get(0)), text);
    }
  }

  @Test
  void changingTheCostModelMovesTheEstimate() throws Exception {
    Incident main = seed.main();
    signIn("admin");
    driver.get(ui.url() + "incident/" + main.id());
    String before =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("cost-range"))).getText();
    assertFalse(driver.findElements(By.linkText("Settings")).isEmpty(), "an admin is offered it");

    driver.get(ui.url() + "settings");
    WebElement high =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#cost-high input")));
    WebElement low = driver.findElement(By.cssSelector("#cost-low input"));
    assertTrue(driver.findElement(By.id("route-form")).isDisplayed(), "admin sees the route form");
    replace(low, "100000");
    replace(high, "400000");
    driver.findElement(By.id("save-cost-model")).click();
    wait.until(d -> d.getPageSource().contains("Cost model saved"));
    shot("settings");

    driver.get(ui.url() + "incident/" + main.id());
    String after =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("cost-range"))).getText();
    assertNotEquals(before, after);
    assertTrue(money(after, "expected") > money(before, "expected"), before + " -> " + after);
  }

  @Test
  void managerCannotReachSettings() throws Exception {
    signIn("manager");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("incidents")));
    assertTrue(driver.findElements(By.linkText("Settings")).isEmpty(), "no settings link");
    for (String entry : List.of("Live board", "Downtime cost", "Review")) {
      assertFalse(driver.findElements(By.linkText(entry)).isEmpty(), "navigation offers " + entry);
    }
    driver.get(ui.url() + "settings");
    wait.until(d -> !d.findElements(By.tagName("body")).isEmpty());
    wait.until(
        d ->
            d.findElements(By.id("save-cost-model")).isEmpty()
                && d.findElement(By.tagName("body")).getText().length() > 0);
    assertTrue(driver.findElements(By.id("save-cost-model")).isEmpty());
    assertTrue(driver.findElements(By.cssSelector("#cost-high input")).isEmpty());
    String page = driver.findElement(By.tagName("body")).getText();
    assertTrue(page.contains("needs a role you do not have"), page);
    assertTrue(page.contains("Back to the live board"), page);
    shot("manager-settings");
    driver.findElement(By.linkText("Back to the live board")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("incidents")));
  }

  @Test
  void managerReadsTheMonthsDowntimeCost() throws Exception {
    Incident main = seed.main();
    signIn("manager");
    driver.get(ui.url() + "cost");
    WebElement total =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("month-total")));
    assertTrue(total.getText().contains("$"), total.getText());
    wait.until(d -> d.findElement(By.tagName("body")).getText().contains(main.id()));
    String page = driver.findElement(By.tagName("body")).getText();
    for (String model : main.models()) {
      assertTrue(page.contains(model), "availability row for " + model + ": " + page);
    }
    shot("cost");
  }

  @Test
  void nothingButTheLoginPageWithoutSigningIn() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(ui.url() + "export/" + seed.main().id() + ".pdf"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertNotEquals(200, r.statusCode(), "export without signing in: " + r.statusCode());
    driver.get(ui.url() + "settings");
    wait.until(d -> d.getCurrentUrl().contains("/login"));
    shot("login");
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

  private static void replace(WebElement input, String value) {
    input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    input.sendKeys(value, Keys.TAB);
  }

  private static double money(String text, String label) {
    int at = text.indexOf(label);
    String rest = text.substring(text.indexOf('$', at) + 1);
    StringBuilder digits = new StringBuilder();
    for (char c : rest.toCharArray()) {
      if (Character.isDigit(c)) {
        digits.append(c);
      } else if (c != ',') {
        break;
      }
    }
    return Double.parseDouble(digits.toString());
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
    Files.write(SHOTS.resolve(name + ".png"), png);
  }
}
