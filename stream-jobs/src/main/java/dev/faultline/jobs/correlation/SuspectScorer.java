package dev.faultline.jobs.correlation;

import dev.faultline.contract.Layers;
import dev.faultline.jobs.core.Evidence;
import dev.faultline.jobs.correlation.FleetState.ModelView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Scores the shared components that could explain a set of degraded models.
 *
 * <p>For a component {@code c} (a layer and id from the models' {@code infra}) and a set {@code G}
 * of degraded models: {@code D} is the models of {@code G} that depend on {@code c}, {@code H} the
 * healthy models that also depend on it. {@code coverage = |D| / |G|} (how much of the outage it
 * explains), {@code purity = |D| / (|D| + |H|)} (a component that healthy models also use without
 * trouble is a weak suspect), {@code score = coverage * purity}.
 *
 * <p>Components are ranked by how well each explains the whole group, as a likelihood: a failing
 * component fails each of its models with some chance {@code q} (an outage may spare some of them),
 * at best {@code q = purity}, which gives {@code |D| ln(purity) + |H| ln(1 - purity)}; every model
 * of the group it does not explain must have failed on its own in the same round, a coincidence of
 * chance {@link #COINCIDENCE} each. So a component that explains all four failing models of a
 * provider but spares two healthy ones ranks above a model family that explains three of them with
 * a fourth failing by coincidence; and among components that explain the same models, the purer
 * ranks first (the likelihood falls with every healthy dependent), as the score does. Ties go to
 * components with GPU-pressure evidence, then to the layer more often at fault (scheduler first,
 * region last). The confidence is the score times the odds that the failures gather behind the
 * component not by chance: one minus the hypergeometric chance that, picking {@code |G|} of the
 * fleet's reporting units at random, {@code |D|} or more fall among the component's {@code K}
 * ({@code chance}), so three failures among the four models of one scheduler in a fleet of 400 are
 * telling and two of a fleet of three are not. A component behind every reporting unit gathers any
 * group, so for it that test says nothing; its chance is that of the failures sharing no cause,
 * each unit failing on its own ({@link #COINCIDENCE}) in the same round. The confidence is
 * discounted when another component explains the evidence equally well. Members are units: a model,
 * or a model's deployment when it has several.
 */
public final class SuspectScorer {

  /** Layers in the order ties are broken, most likely culprit first. */
  static final List<String> LAYER_PRIORITY =
      List.of(
          Layers.SCHEDULER,
          Layers.ROUTER,
          Layers.MEMORY_MANAGER,
          Layers.GATEWAY,
          Layers.SERVING_ENGINE,
          Layers.CLUSTER,
          Layers.NODE_POOL,
          Layers.NODE,
          Layers.NETWORK,
          Layers.REGION,
          Layers.PROVIDER);

  /**
   * The chance that a unit fails on its own, unrelated to the others, in the same round of failures
   * (about once a day in a fleet of a dozen models, per minute): what leaving a failing unit
   * unexplained costs a component.
   */
  static final double COINCIDENCE = 1e-3;

  private SuspectScorer() {}

  /** A scored component. */
  public record Candidate(
      String layer,
      String id,
      List<String> degraded,
      int healthy,
      double coverage,
      double purity,
      double chance,
      boolean evidence,
      double likelihood) {

    public double score() {
      return coverage * purity;
    }
  }

  /** The log-likelihood that a component with these failing and healthy units explains a group. */
  static double likelihood(int degraded, int healthy, int group) {
    double purity = degraded + healthy == 0 ? 0 : (double) degraded / (degraded + healthy);
    double spared = healthy == 0 ? 0 : healthy * Math.log(1 - purity);
    double failed = degraded == 0 ? Double.NEGATIVE_INFINITY : degraded * Math.log(purity);
    return failed + spared + (group - degraded) * Math.log(COINCIDENCE);
  }

  /** The suspect chosen for a group, with its confidence. */
  public record Suspect(Candidate candidate, double confidence) {}

  /** Every component shared by at least one model of {@code group}, best first. */
  public static List<Candidate> rank(
      Collection<String> units, FleetState fleet, Set<String> evidence) {
    Set<String> components = new TreeSet<>();
    for (String m : units) {
      ModelView v = fleet.models.get(m);
      if (v != null) {
        v.infra.forEach((layer, id) -> components.add(layer + "=" + id));
      }
    }
    return rank(units, fleet, evidence, components);
  }

  /** The given components ({@code layer=id}) as explanations of {@code units}, best first. */
  public static List<Candidate> rank(
      Collection<String> units, FleetState fleet, Set<String> evidence, Set<String> components) {
    return rank(units, fleet, evidence, components, null);
  }

  /**
   * The same, counting as healthy only the units {@code observed} accepts (null: every unit): a
   * unit not yet observed since the failures began is unknown, neither failing nor healthy.
   *
   * <p>The failing units of every component come from one pass over the group; the healthy and
   * reporting units behind a component from the counts the fleet keeps, so a component costs the
   * group's size, not its own (a region of thousands of models is not scanned per signal).
   */
  public static List<Candidate> rank(
      Collection<String> units,
      FleetState fleet,
      Set<String> evidence,
      Set<String> components,
      java.util.function.Predicate<ModelView> observed) {
    Set<String> group = units instanceof Set<String> set ? set : new java.util.HashSet<>(units);
    int reporting = Math.max(fleet.reporting(), group.size());
    // The components split once into layer and id; the group's units looked up by them (a few
    // look-ups a unit), or, when they are many, by the units' own components.
    int k = components.size();
    String[] componentOf = components.toArray(new String[0]);
    String[] layers = new String[k];
    String[] ids = new String[k];
    for (int i = 0; i < k; i++) {
      int eq = componentOf[i].indexOf('=');
      layers[i] = componentOf[i].substring(0, eq);
      ids[i] = componentOf[i].substring(eq + 1);
    }
    java.util.Map<String, Integer> position = null;
    @SuppressWarnings("unchecked")
    List<String>[] degradedBy = new List[k];
    int[] countedHealthy = new int[k];
    for (String unit : group) {
      ModelView v = fleet.models.get(unit);
      if (v == null) {
        continue;
      }
      boolean healthy = v.isHealthy();
      if (k <= v.infra.size()) {
        for (int i = 0; i < k; i++) {
          if (ids[i].equals(v.infra.get(layers[i]))) {
            note(degradedBy, countedHealthy, i, unit, healthy);
          }
        }
      } else {
        if (position == null) {
          position = new java.util.HashMap<>();
          for (int i = 0; i < k; i++) {
            position.put(componentOf[i], i);
          }
        }
        for (java.util.Map.Entry<String, String> e : v.infra.entrySet()) {
          Integer i = position.get(e.getKey() + "=" + e.getValue());
          if (i != null) {
            note(degradedBy, countedHealthy, i, unit, healthy);
          }
        }
      }
    }
    List<Candidate> candidates = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      String component = componentOf[i];
      String layer = layers[i];
      String id = ids[i];
      List<String> degraded = degradedBy[i] == null ? new ArrayList<>() : degradedBy[i];
      int healthy;
      if (observed == null) {
        // Healthy units behind it that are not in the group.
        healthy = fleet.countBehind(component, FleetState.HEALTHY) - countedHealthy[i];
      } else {
        healthy = 0;
        for (ModelView v : fleet.behind(layer, id)) {
          if (!group.contains(v.unit) && v.isHealthy() && observed.test(v)) {
            healthy++;
          }
        }
      }
      degraded.sort(Comparator.naturalOrder());
      candidates.add(
          candidate(
              fleet,
              component,
              degraded,
              degraded.size(),
              healthy,
              group.size(),
              reporting,
              evidence.contains(component)));
    }
    candidates.sort(ORDER);
    return candidates;
  }

  /**
   * The best of {@code components} as {@link #rank} would rank them (no evidence, every unit
   * observed) for the group of the fleet's {@link FleetState#GROUPED} units ({@code groupSize} of
   * them), from the counts the fleet keeps per component: no unit is looked at, so it costs the
   * number of components, not the group's size. Null when there are none.
   */
  static String bestCounted(FleetState fleet, Set<String> components, int groupSize) {
    int reporting = Math.max(fleet.reporting(), groupSize);
    Candidate best = null;
    for (String component : components) {
      int degraded = fleet.countBehind(component, FleetState.GROUPED);
      // The healthy units behind it are all outside the group (pending and suspect are not).
      int healthy = fleet.countBehind(component, FleetState.HEALTHY);
      Candidate c =
          candidate(fleet, component, List.of(), degraded, healthy, groupSize, reporting, false);
      if (best == null || ORDER.compare(c, best) < 0) {
        best = c;
      }
    }
    return best == null ? null : best.layer() + "=" + best.id();
  }

  /**
   * A component as the explanation of a group of {@code groupSize} units, {@code degraded} of them
   * behind it (listed in {@code listed}, or not listed), with {@code healthy} healthy units behind
   * it outside the group.
   */
  private static Candidate candidate(
      FleetState fleet,
      String component,
      List<String> listed,
      int degraded,
      int healthy,
      int groupSize,
      int reporting,
      boolean evidence) {
    int eq = component.indexOf('=');
    int members = fleet.unitsBehind(component) - fleet.countBehind(component, FleetState.SILENT);
    double coverage = (double) degraded / groupSize;
    double purity = degraded + healthy == 0 ? 0 : (double) degraded / (degraded + healthy);
    // Behind every reporting unit, a component gathers any group: where the failures fall says
    // nothing, so the chance is that they share no cause at all, each unit failing on its own in
    // the same round (a whole fleet of one provider or region failing at once is telling).
    double chance =
        members >= reporting
            ? Evidence.binomialTail(Math.max(members, degraded), COINCIDENCE, degraded)
            : Evidence.hypergeometricTail(
                reporting, Math.max(members, degraded), groupSize, degraded);
    return new Candidate(
        component.substring(0, eq),
        component.substring(eq + 1),
        listed,
        healthy,
        coverage,
        purity,
        chance,
        evidence,
        likelihood(degraded, healthy, groupSize));
  }

  private static void note(
      List<String>[] degradedBy, int[] countedHealthy, int i, String unit, boolean healthy) {
    if (degradedBy[i] == null) {
      degradedBy[i] = new ArrayList<>();
    }
    degradedBy[i].add(unit);
    if (healthy) {
      countedHealthy[i]++;
    }
  }

  static final Comparator<Candidate> ORDER =
      Comparator.comparingDouble(Candidate::likelihood)
          .reversed()
          .thenComparing(Comparator.comparingDouble(Candidate::score).reversed())
          .thenComparing(c -> !c.evidence())
          .thenComparingInt(c -> priority(c.layer()))
          .thenComparing(Candidate::layer)
          .thenComparing(Candidate::id);

  static int priority(String layer) {
    int i = LAYER_PRIORITY.indexOf(layer);
    return i < 0 ? LAYER_PRIORITY.size() : i;
  }

  /** How many distinct models the candidate's failing units are. */
  static int models(Candidate c, FleetState fleet) {
    return (int)
        c.degraded().stream()
            .map(u -> fleet.models.containsKey(u) ? fleet.models.get(u).model : u)
            .distinct()
            .count();
  }

  /** The best explanation of {@code group}, or null when no component is shared by two models. */
  public static Suspect suspect(Collection<String> group, FleetState fleet, Set<String> evidence) {
    return suspect(group, fleet, evidence, null);
  }

  /** The same, counting as healthy only the units {@code observed} accepts. */
  public static Suspect suspect(
      Collection<String> group,
      FleetState fleet,
      Set<String> evidence,
      java.util.function.Predicate<ModelView> observed) {
    Set<String> components = new TreeSet<>();
    for (String m : group) {
      ModelView v = fleet.models.get(m);
      if (v != null) {
        v.infra.forEach((layer, id) -> components.add(layer + "=" + id));
      }
    }
    List<Candidate> ranked = rank(group, fleet, evidence, components, observed);
    if (ranked.isEmpty() || models(ranked.get(0), fleet) < 2) {
      return null;
    }
    return new Suspect(ranked.get(0), confidence(ranked));
  }

  /**
   * The confidence in the best candidate: its score, times the odds that so many of the failing
   * units sit behind it not by chance (one minus {@link Candidate#chance}), discounted when another
   * component explains the evidence equally well.
   */
  static double confidence(List<Candidate> ranked) {
    Candidate best = ranked.get(0);
    double confidence = best.score() * (1 - best.chance());
    if (ranked.size() > 1 && ranked.get(1).likelihood() >= best.likelihood() - 1e-9) {
      confidence *= 0.6;
    }
    return Math.round(confidence * 100) / 100.0;
  }
}
