package dev.faultline.jobs.correlation;

import dev.faultline.jobs.core.Evidence;
import dev.faultline.jobs.correlation.FleetState.ModelView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rules of the grouping hold: when a hold may end early, when it must wait longer (for
 * neighbours whose last window was bad, or that are probed and not heard from since the onset), and
 * which suspects join the waiting models at once because chance does not explain them.
 */
final class GroupingHold {

  private GroupingHold() {}

  /**
   * Suspects that join the waiting models at once. Take the component that best explains the
   * waiting models and the suspects together among those that serve every waiting model ({@link
   * SuspectScorer}); when so many of its other models show a bad window in the same round that
   * chance does not explain it (the binomial chance of that many bad windows among them at {@code
   * windowAlpha} each is itself below {@code windowAlpha}), they are taken as failing with the
   * waiting ones, so one page names them all a window earlier. Two bad windows among a scheduler's
   * three other models are a one-in-300,000 chance; one among twenty is not. A promoted model whose
   * next window is clean leaves the incident again.
   */
  static void promoteSuspects(FleetState fleet, long now, double windowAlpha) {
    // Read only from the indexes: if they did not change since it last promoted nobody, nor will it
    // now (a region of thousands waiting would otherwise be ranked again for every signal).
    long shape = fleet.shape();
    if (shape == fleet.promotionCheckedAt) {
      return;
    }
    fleet.promotionCheckedAt = shape;
    // From the fleet's counts alone: the waiting units are the pending ones, the group ranked is
    // they and the suspects, and a component's share of it is counted behind it. Scanning the group
    // instead cost a region's outage the square of its size (every arrival changes the shape).
    int waiting = fleet.unitsFlagged(FleetState.PENDING);
    int together = fleet.unitsFlagged(FleetState.GROUPED);
    if (waiting == 0 || together == waiting) {
      return;
    }
    // Only components that serve every waiting unit can be the one (they are few to rank).
    Set<String> serveAll = fleet.sharedByAllPending();
    String best = serveAll.isEmpty() ? null : SuspectScorer.bestCounted(fleet, serveAll, together);
    if (best == null) {
      return;
    }
    int eq = best.indexOf('=');
    String layer = best.substring(0, eq);
    String id = best.substring(eq + 1);
    // Its other models that report: the healthy ones and the suspects (counted, then listed).
    int suspectsBehind = fleet.countBehind(best, FleetState.SUSPECT);
    int others = fleet.countBehind(best, FleetState.HEALTHY) + suspectsBehind;
    if (suspectsBehind == 0 || binomialTail(others, suspectsBehind, windowAlpha) > windowAlpha) {
      return;
    }
    List<ModelView> suspects = new ArrayList<>();
    for (String unit : fleet.unitsBehindSet(best)) {
      if (fleet.suspectUnits().contains(unit)) {
        suspects.add(fleet.models.get(unit));
      }
    }
    suspects.sort(Comparator.comparing((ModelView v) -> v.unit));
    for (ModelView v : suspects) {
      v.promote();
      v.onset = v.suspectSince;
      v.detectedAt = now;
      v.peakErrorRatio = v.suspectRatio;
      String bad =
          v.probed
              ? "a failed probe"
              : String.format(
                  Locale.ROOT, "a bad window (%d%% errors)", Math.round(v.suspectRatio * 100));
      v.reason =
          String.format(
              Locale.ROOT,
              "%s with %d other models behind %s %s: more than chance explains",
              bad,
              suspects.size() - 1,
              layer,
              id);
      fleet.touch(v);
    }
  }

  /** The chance of {@code atLeast} or more successes in {@code n} trials at {@code p}. */
  static double binomialTail(int n, int atLeast, double p) {
    double total = 0;
    for (int k = atLeast; k <= n; k++) {
      total += Math.exp(Evidence.logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
    }
    return total;
  }

  /**
   * Whether a model that shares a component with a waiting one has a bad window that is not yet
   * enough to degrade it: its next window will tell, so the hold waits for it (at most {@link
   * #SUSPECT_WAIT_MILLIS} longer) rather than page one model alone while its neighbours are failing
   * too.
   */
  static boolean suspectsToWaitFor(FleetState fleet) {
    if (fleet.suspectUnits().isEmpty()) {
      return false;
    }
    // A look-up per suspect's component in the counts the fleet keeps.
    for (String unit : fleet.suspectUnits()) {
      for (Map.Entry<String, String> e : fleet.models.get(unit).infra.entrySet()) {
        if (fleet.countBehind(e.getKey() + "=" + e.getValue(), FleetState.PENDING) > 0) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether a model judged by probes alone shares a component with a waiting one and has not been
   * probed since that one's onset: a probe a minute apart says nothing of the time since, so it is
   * not known healthy. The hold waits for its next probe (at most {@link #SUSPECT_WAIT_MILLIS}
   * longer) rather than page one model alone, or count it as a healthy neighbour, while it may be
   * failing too.
   */
  static boolean probedNeighboursToWaitFor(FleetState fleet) {
    if (fleet.probedUnits().isEmpty()) {
      return false;
    }
    Set<String> seen = new HashSet<>();
    for (String unit : fleet.waitingUnits()) {
      ModelView waiting = fleet.models.get(unit);
      if (!waiting.isPending()) {
        continue;
      }
      for (Map.Entry<String, String> e : waiting.infra.entrySet()) {
        String component = e.getKey() + "=" + e.getValue();
        if (!seen.add(component) || fleet.countBehind(component, FleetState.PROBED) == 0) {
          continue;
        }
        for (ModelView v : fleet.behind(e.getKey(), e.getValue())) {
          if (v.probed && v.isHealthy() && v.lastSeen <= waiting.onset) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Whether the hold can end early: the degraded models waiting are two or more, and one component
   * explains all of them with no healthy model left depending on it, so no other model can still
   * join through it.
   */
  static boolean nothingLeftToWaitFor(FleetState fleet) {
    Set<String> names = new HashSet<>();
    for (String unit : fleet.waitingUnits()) {
      ModelView v = fleet.models.get(unit);
      if (v.isLostPending()) {
        return false;
      }
      if (v.isPending()) {
        names.add(v.model);
      }
    }
    if (names.size() < 2) {
      return false;
    }
    // The best candidate covers every waiting unit with no healthy one behind it exactly when some
    // component does (its score, 1, cannot be beaten): look only at those shared by all of them.
    for (String component : fleet.sharedByAllPending()) {
      if (fleet.countBehind(component, FleetState.HEALTHY) == 0) {
        return true;
      }
    }
    return false;
  }

  /** The components ({@code layer=id}) that every one of {@code units} depends on. */
  static Set<String> sharedByAll(FleetState fleet, List<String> units) {
    if (units.isEmpty()) {
      return Set.of();
    }
    Map<String, String> first = fleet.models.get(units.get(0)).infra;
    String[] layers = first.keySet().toArray(new String[0]);
    String[] ids = new String[layers.length];
    for (int i = 0; i < layers.length; i++) {
      ids[i] = first.get(layers[i]);
    }
    int left = layers.length;
    for (int u = 1; u < units.size() && left > 0; u++) {
      Map<String, String> infra = fleet.models.get(units.get(u)).infra;
      for (int i = 0; i < layers.length; i++) {
        if (layers[i] != null && !ids[i].equals(infra.get(layers[i]))) {
          layers[i] = null;
          left--;
        }
      }
    }
    Set<String> shared = new java.util.TreeSet<>();
    for (int i = 0; i < layers.length; i++) {
      if (layers[i] != null) {
        shared.add(layers[i] + "=" + ids[i]);
      }
    }
    return shared;
  }
}
