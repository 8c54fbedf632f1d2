package dev.faultline.ui;

import dev.faultline.storage.Storage;
import dev.faultline.ui.security.FirstStartUsers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The web UI as a plain Java service: {@link #start} opens storage, creates the first users, and
 * boots the Spring Boot + Vaadin application in this JVM; {@link #close} stops both.
 *
 * <pre>{@code
 * try (WebUi ui = WebUi.start(WebUiConfig.of(8080, jdbcUrl, user, password))) {
 *   System.out.println("UI on " + ui.url());
 *   ui.createdUsers().forEach((name, pw) -> System.out.println(name + " / " + pw));
 * }
 * }</pre>
 */
public final class WebUi implements AutoCloseable {

  private final ConfigurableApplicationContext context;
  private final Storage storage;
  private final int port;
  private final String host;
  private final Map<String, String> createdUsers;

  private WebUi(
      ConfigurableApplicationContext context,
      Storage storage,
      int port,
      String host,
      Map<String, String> createdUsers) {
    this.context = context;
    this.storage = storage;
    this.port = port;
    this.host = host;
    this.createdUsers = createdUsers;
  }

  /** Starts the UI; returns once it serves requests. */
  public static WebUi start(WebUiConfig config) {
    Storage storage = Storage.open(config.storage(), config.clock());
    try {
      Map<String, String> created =
          new FirstStartUsers(storage.users(), config.clock())
              .ensure(config.initialPasswords(), System.getenv());
      Map<String, Object> props = new LinkedHashMap<>();
      props.put("server.port", config.port());
      props.put("server.address", config.bindAddress());
      props.put("spring.main.register-shutdown-hook", false);
      props.put("spring.jmx.enabled", false);
      props.put("vaadin.allowed-packages", "dev.faultline.ui");
      props.put("vaadin.launch-browser", false);
      // The build copies Vaadin's pre-compiled production bundle into the classes (no npm); say
      // so explicitly, since a plain classes directory carries no build token.
      props.put("vaadin.productionMode", true);
      props.put(
          "spring.autoconfigure.exclude",
          "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration,"
              + "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration");
      ConfigurableApplicationContext ctx =
          new SpringApplicationBuilder(FaultlineUiApplication.class)
              .bannerMode(Banner.Mode.OFF)
              .web(WebApplicationType.SERVLET)
              .properties(props)
              .initializers(
                  c -> {
                    var beans = c.getBeanFactory();
                    beans.registerSingleton("storage", storage);
                    beans.registerSingleton("clock", config.clock());
                    beans.registerSingleton("webUiConfig", config);
                  })
              .run();
      int actual = ((ServletWebServerApplicationContext) ctx).getWebServer().getPort();
      return new WebUi(ctx, storage, actual, config.bindAddress(), created);
    } catch (RuntimeException e) {
      storage.close();
      throw e;
    }
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** Where to point a browser, e.g. {@code http://127.0.0.1:8080/}. */
  public String url() {
    String h = host.equals("0.0.0.0") ? "127.0.0.1" : host;
    return "http://" + h + ":" + port + "/";
  }

  /**
   * Users created at this start with a generated one-time password (name to password); empty when
   * they existed already or their passwords came from config or the environment.
   */
  public Map<String, String> createdUsers() {
    return createdUsers;
  }

  @Override
  public void close() {
    try {
      context.close();
    } finally {
      storage.close();
    }
  }
}
