package dev.faultline.ui.settings;

import dev.faultline.contract.Incident;
import dev.faultline.storage.Storage;
import dev.faultline.storage.settings.CostModel;
import dev.faultline.storage.settings.Receiver;
import dev.faultline.storage.settings.Route;
import dev.faultline.storage.settings.User;
import dev.faultline.ui.security.Actor;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * Settings only admins change: the cost model, notification receivers and routes; users are listed.
 * Every change checks the role here, not only in the view.
 */
@Service
public class SettingsService {

  private final Storage storage;
  private final Clock clock;

  public SettingsService(Storage storage, Clock clock) {
    this.storage = storage;
    this.clock = clock;
  }

  /** Every cost model, the default first. */
  public List<CostModel> costModels() {
    List<CostModel> all = new ArrayList<>(storage.costModels().all());
    all.sort(
        (a, b) ->
            a.kind() == b.kind()
                ? a.subject().compareTo(b.subject())
                : a.kind().compareTo(b.kind()));
    return all;
  }

  /**
   * Saves a cost model from the editor's fields.
   *
   * @param slaTiers "99.9:10, 99:25, 95:100" (below availability %: credit %)
   * @throws IllegalArgumentException naming the field that is wrong
   * @throws SecurityException unless the actor is an admin
   */
  public CostModel saveCostModel(
      Actor actor,
      String subject,
      CostModel.SubjectKind kind,
      List<String> models,
      BigDecimal perHourLow,
      BigDecimal perHourHigh,
      BigDecimal perFailedRequest,
      String slaTiers) {
    actor.requireAdmin("edit the cost model");
    if (perHourLow == null || perHourHigh == null || perFailedRequest == null) {
      throw new IllegalArgumentException(
          "cost per hour (low, high) and cost per failed request are required");
    }
    CostModel m =
        new CostModel(
            kind == CostModel.SubjectKind.DEFAULT ? CostModel.DEFAULT_SUBJECT : subject,
            kind,
            kind == CostModel.SubjectKind.GROUP ? models : List.of(),
            perHourLow,
            perHourHigh,
            perFailedRequest,
            "USD",
            parseTiers(slaTiers),
            clock.instant());
    storage.costModels().save(m);
    return m;
  }

  /** Parses "99.9:10, 99:25" into tiers, highest threshold first. */
  public static List<CostModel.SlaCreditTier> parseTiers(String text) {
    List<CostModel.SlaCreditTier> tiers = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return tiers;
    }
    for (String part : text.split(",")) {
      String[] kv = part.strip().split(":");
      try {
        if (kv.length != 2) {
          throw new NumberFormatException();
        }
        tiers.add(
            new CostModel.SlaCreditTier(
                new BigDecimal(kv[0].strip()), new BigDecimal(kv[1].strip())));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "SLA credit tiers: '" + part.strip() + "' is not 'availability%:credit%'");
      }
    }
    tiers.sort((a, b) -> b.belowPct().compareTo(a.belowPct()));
    return tiers;
  }

  /** Formats tiers the way {@link #parseTiers} reads them. */
  public static String formatTiers(List<CostModel.SlaCreditTier> tiers) {
    return String.join(
        ", ",
        tiers.stream()
            .map(
                t ->
                    t.belowPct().stripTrailingZeros().toPlainString()
                        + ":"
                        + t.creditPct().stripTrailingZeros().toPlainString())
            .toList());
  }

  /** Users, without their hashes. */
  public List<User> users() {
    return storage.users().all();
  }

  /** Notification routes. */
  public List<Route> routes() {
    return storage.routes().routes();
  }

  /** An environment variable name: what a secret reference must be (never the secret itself). */
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  /** A layer name as telemetry carries it (region, scheduler, node_pool, ...). */
  private static final Pattern LAYER = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  /** Notification receivers by name. */
  public List<Receiver> receivers() {
    return storage.routes().receivers();
  }

  /**
   * Creates or replaces a receiver.
   *
   * @param secretRef the name of the environment variable holding the key, or blank for none
   * @throws IllegalArgumentException naming the field that is wrong
   * @throws SecurityException unless the actor is an admin
   */
  public Receiver saveReceiver(
      Actor actor, String name, Receiver.Type type, String targetUrl, String secretRef) {
    actor.requireAdmin("edit notification receivers");
    String n = required("receiver name", name);
    if (type == null) {
      throw new IllegalArgumentException(
          "receiver type: required (pagerduty, opsgenie, slack," + " webhook)");
    }
    String url = required("target URL", targetUrl);
    try {
      URI u = new URI(url);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw new URISyntaxException(url, "not http(s) with a host");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "target URL: '" + url + "' is not an http(s) URL with a host");
    }
    String ref = secretRef == null || secretRef.isBlank() ? null : secretRef.strip();
    if (ref != null && !ENV_NAME.matcher(ref).matches()) {
      // Whatever was typed may be the secret itself: never echo it back.
      throw new IllegalArgumentException(
          "secret reference: must be the NAME of an environment variable (letters, digits, _),"
              + " not the secret itself");
    }
    Receiver r = new Receiver(n, type, url, ref, clock.instant());
    storage.routes().save(r);
    return r;
  }

  /**
   * Deletes a receiver no route uses.
   *
   * @throws IllegalArgumentException when routes still send to it
   * @throws SecurityException unless the actor is an admin
   */
  public boolean deleteReceiver(Actor actor, String name) {
    actor.requireAdmin("delete notification receivers");
    try {
      return storage.routes().deleteReceiver(required("receiver name", name));
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("receiver: " + e.getMessage());
    }
  }

  /**
   * Creates or replaces a route.
   *
   * @param scopes incident scopes matched; empty matches every scope
   * @param models model names matched; empty matches every model
   * @param layers suspected component layers matched; empty matches any
   * @throws IllegalArgumentException naming the field that is wrong
   * @throws SecurityException unless the actor is an admin
   */
  public Route saveRoute(
      Actor actor,
      String name,
      Integer position,
      String receiver,
      Collection<Incident.Scope> scopes,
      Incident.Severity minSeverity,
      Collection<String> models,
      Collection<String> layers,
      boolean enabled) {
    actor.requireAdmin("edit notification routes");
    String n = required("route name", name);
    if (position == null || position < 0) {
      throw new IllegalArgumentException(
          "position: required, 0 or more (routes are tried in" + " position order)");
    }
    String rcv = required("receiver", receiver);
    if (storage.routes().receiver(rcv).isEmpty()) {
      throw new IllegalArgumentException("receiver: no receiver named '" + rcv + "'");
    }
    if (minSeverity == null) {
      throw new IllegalArgumentException("minimum severity: required (critical, major, minor)");
    }
    Set<String> ms = cleaned(models);
    Set<String> ls = cleaned(layers);
    for (String l : ls) {
      if (!LAYER.matcher(l).matches()) {
        throw new IllegalArgumentException(
            "suspected layers: '" + l + "' is not a layer name (e.g. scheduler, node_pool)");
      }
    }
    Route r =
        new Route(
            n,
            position,
            rcv,
            scopes == null ? Set.of() : Set.copyOf(scopes),
            minSeverity,
            ms,
            ls,
            enabled,
            clock.instant());
    storage.routes().save(r);
    return r;
  }

  /**
   * Deletes a route.
   *
   * @throws SecurityException unless the actor is an admin
   */
  public boolean deleteRoute(Actor actor, String name) {
    actor.requireAdmin("delete notification routes");
    return storage.routes().deleteRoute(required("route name", name));
  }

  /** Splits "a, b ,c" into its non-blank parts, in order. */
  public static List<String> splitList(String text) {
    if (text == null) {
      return List.of();
    }
    return java.util.Arrays.stream(text.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /**
   * How a receiver's secret is shown: only as the name of where it lives, never its value (the UI
   * never reads the environment).
   */
  public static String shownSecretRef(Receiver r) {
    return r.secretRef() == null ? "none" : "env " + r.secretRef() + " (value hidden)";
  }

  /** A route's match, in words. */
  public static String describe(Route r) {
    String scopes =
        r.scopes().isEmpty()
            ? "any scope"
            : String.join("/", r.scopes().stream().map(Incident.Scope::wireName).sorted().toList());
    return scopes
        + ", "
        + r.minSeverity().wireName().toLowerCase(Locale.ROOT)
        + " or worse, "
        + (r.models().isEmpty() ? "any model" : "models " + String.join(", ", r.sortedModels()))
        + ", "
        + (r.layers().isEmpty()
            ? "any suspected layer"
            : "suspected " + String.join("/", r.layers().stream().sorted().toList()));
  }

  private static Set<String> cleaned(Collection<String> values) {
    Set<String> out = new LinkedHashSet<>();
    if (values != null) {
      for (String v : values) {
        if (v != null && !v.isBlank()) {
          out.add(v.strip());
        }
      }
    }
    return out;
  }

  private static String required(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + ": required");
    }
    return value.strip();
  }
}
