package dev.faultline.notifier.failover;

import dev.faultline.storage.jdbc.Sql;
import dev.faultline.storage.settings.EquivalenceGroup;
import dev.faultline.storage.settings.ModelEquivalentRepository;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the UI asks about equivalent models: the groups (to show and edit them) and, for an
 * incident's models, the equivalents healthy right now (the same answer the pages carry).
 */
public final class FailoverService {

  private final ModelEquivalentRepository groups;
  private final Sql sql;
  private final Clock clock;

  public FailoverService(DataSource dataSource, Clock clock) {
    this.sql = new Sql(dataSource);
    this.groups = new ModelEquivalentRepository(sql);
    this.clock = clock;
  }

  /** Every group of equivalent models. */
  public List<EquivalenceGroup> groups() {
    return groups.groups();
  }

  /** Replaces the table of equivalent models. */
  public void replaceGroups(List<EquivalenceGroup> replacement) {
    groups.replace(replacement);
  }

  /**
   * The healthy equivalents of each of {@code models} that has equivalents (an empty list when none
   * is healthy), in the given order; empty when none of them has any.
   */
  public Map<String, List<String>> healthyEquivalents(List<String> models) {
    return sql.withConnection(c -> EquivalentHealth.healthy(c, models, clock.instant()));
  }
}
