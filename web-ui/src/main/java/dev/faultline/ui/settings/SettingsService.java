package dev.faultline.ui.settings;

import dev.faultline.storage.Storage;
import dev.faultline.storage.settings.CostModel;
import dev.faultline.storage.settings.Route;
import dev.faultline.storage.settings.User;
import dev.faultline.ui.Actor;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/** Settings only admins change: the cost model; users and routes are listed. */
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
}
