package dev.faultline.storage.settings;

import dev.faultline.storage.jdbc.Sql;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads and writes the cost model the UI edits and the reports apply. */
public final class CostModelRepository {

  private final Sql sql;

  public CostModelRepository(Sql sql) {
    this.sql = sql;
  }

  /** Every cost model, the default first. */
  public List<CostModel> all() {
    return sql
        .query(
            "SELECT subject FROM cost_model ORDER BY subject_kind = 'default' DESC, subject",
            rs -> rs.getString(1))
        .stream()
        .map(s -> get(s).orElseThrow())
        .toList();
  }

  /** One subject's cost model. */
  public Optional<CostModel> get(String subject) {
    List<CostModel.SlaCreditTier> tiers =
        sql.query(
            "SELECT below_pct, credit_pct FROM sla_credit_tier WHERE subject = ?"
                + " ORDER BY below_pct DESC",
            rs -> new CostModel.SlaCreditTier(rs.getBigDecimal(1), rs.getBigDecimal(2)),
            subject);
    return sql.queryOne(
        "SELECT subject, subject_kind, models, outage_cost_per_hour_low,"
            + " outage_cost_per_hour_high, cost_per_failed_request, currency, updated_at"
            + " FROM cost_model WHERE subject = ?",
        rs ->
            new CostModel(
                rs.getString("subject"),
                CostModel.SubjectKind.valueOf(
                    rs.getString("subject_kind").toUpperCase(Locale.ROOT)),
                Sql.strings(rs, "models"),
                rs.getBigDecimal("outage_cost_per_hour_low"),
                rs.getBigDecimal("outage_cost_per_hour_high"),
                rs.getBigDecimal("cost_per_failed_request"),
                rs.getString("currency"),
                tiers,
                Sql.instant(rs, "updated_at")),
        subject);
  }

  /**
   * The cost model that applies to a model: its own, else the first group containing it, else the
   * default.
   */
  public Optional<CostModel> forModel(String model) {
    return sql.queryOne(
            "SELECT subject FROM cost_model WHERE subject = ? OR ? = ANY(models)"
                + " OR subject_kind = 'default'"
                + " ORDER BY CASE subject_kind WHEN 'model' THEN 0 WHEN 'group' THEN 1 ELSE 2 END,"
                + " subject LIMIT 1",
            rs -> rs.getString(1),
            model,
            model)
        .flatMap(this::get);
  }

  /** Creates or replaces a cost model with its credit tiers. */
  public void save(CostModel m) {
    sql.inTransaction(
        c -> {
          Sql.update(
              c,
              "INSERT INTO cost_model (subject, subject_kind, models, outage_cost_per_hour_low,"
                  + " outage_cost_per_hour_high, cost_per_failed_request, currency, updated_at)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (subject) DO UPDATE SET"
                  + " subject_kind = EXCLUDED.subject_kind, models = EXCLUDED.models,"
                  + " outage_cost_per_hour_low = EXCLUDED.outage_cost_per_hour_low,"
                  + " outage_cost_per_hour_high = EXCLUDED.outage_cost_per_hour_high,"
                  + " cost_per_failed_request = EXCLUDED.cost_per_failed_request,"
                  + " currency = EXCLUDED.currency, updated_at = EXCLUDED.updated_at",
              m.subject(),
              m.kind().name().toLowerCase(Locale.ROOT),
              m.models().toArray(String[]::new),
              m.outageCostPerHourLow(),
              m.outageCostPerHourHigh(),
              m.costPerFailedRequest(),
              m.currency(),
              m.updatedAt());
          Sql.update(c, "DELETE FROM sla_credit_tier WHERE subject = ?", m.subject());
          for (CostModel.SlaCreditTier t : m.slaCredits()) {
            Sql.update(
                c,
                "INSERT INTO sla_credit_tier (subject, below_pct, credit_pct) VALUES (?, ?, ?)",
                m.subject(),
                t.belowPct(),
                t.creditPct());
          }
          return null;
        });
  }

  /** Deletes a model's or group's cost model; the default cannot be deleted. */
  public boolean delete(String subject) {
    if (CostModel.DEFAULT_SUBJECT.equals(subject)) {
      throw new IllegalArgumentException("subject: the default cost model cannot be deleted");
    }
    return sql.update("DELETE FROM cost_model WHERE subject = ?", subject) > 0;
  }
}
