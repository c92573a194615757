package dev.poolshift.rollout.pool;

import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.VariantSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each fleet of a rollout needs and where it will likely land, for the plan: the canary
 * config's copy of the baseline and its canary (provisioned together while today's fleet still
 * serves), then the promoted fleet (provisioned while the canary config still holds its
 * instances). A pooled fleet fills its pools in priority order, as SageMaker places instances.
 *
 * <p>"Likely" is all the plan can say: SageMaker publishes no capacity before provisioning. The
 * account's quota headroom (when Service Quotas lists the type) is the only limit known in
 * advance; a type without a listed quota is assumed to take what it is asked for, and the
 * forecast says that is an assumption.
 */
public final class FleetForecast {
  private FleetForecast() {}

  /**
   * One fleet.
   *
   * @param fleet {@code baseline copy}, {@code canary} or {@code promoted}
   * @param pools the instance types it may use, in priority order
   * @param likely instances per type where it will likely land (empty: nowhere fits)
   * @param why how the landing was worked out
   */
  public record Fleet(String fleet, String variantName, int instances, List<String> pools,
      Map<String, Integer> likely, String why) {
  }

  /**
   * @param headroom quota minus every endpoint's usage, by type; a type that is absent has no
   *     quota listed
   * @param serving this endpoint's instances now, by type (released once the canary config
   *     serves)
   */
  public static List<Fleet> of(EndpointConfigSpec canaryConfig, String baselineVariant,
      String canaryVariant, EndpointConfigSpec finalConfig, Map<String, Integer> headroom,
      Map<String, Integer> serving) {
    Map<String, Integer> room = new HashMap<>(headroom);
    List<Fleet> out = new ArrayList<>();
    if (canaryConfig == null) {
      // One blue/green switch (no canary config): the promoted fleet is provisioned next to
      // today's, which holds its instances until the switch completes.
      for (VariantSpec v : finalConfig.productionVariants()) {
        out.add(place("promoted", v, room));
      }
      return out;
    }
    VariantSpec copy = canaryConfig.variant(baselineVariant);
    VariantSpec canary = canaryConfig.variant(canaryVariant);
    if (copy != null) {
      out.add(place("baseline copy", copy, room));
    }
    if (canary != null) {
      out.add(place("canary", canary, room));
    }
    // Today's fleet is terminated once the canary config serves; the canary config's fleets are
    // still held while the promoted one is provisioned.
    serving.forEach((type, n) -> room.computeIfPresent(type, (t, r) -> r + n));
    for (VariantSpec v : finalConfig.productionVariants()) {
      out.add(place("promoted", v, room));
    }
    return out;
  }

  private static Fleet place(String fleet, VariantSpec v, Map<String, Integer> room) {
    int need = v.initialInstanceCount() == null ? 1 : v.initialInstanceCount();
    List<String> pools = v.usesPools() ? v.instancePools().stream()
        .sorted(Comparator.comparingInt(InstancePool::priority))
        .map(InstancePool::instanceType).toList()
        : List.of(v.instanceType());
    Map<String, Integer> likely = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    int left = need;
    for (String type : pools) {
      if (left == 0) {
        break;
      }
      Integer r = room.get(type);
      int take = r == null ? left : Math.max(0, Math.min(r, left));
      if (!v.usesPools() && take < left) {
        notes.add(type + " has quota headroom for " + Math.max(0, r) + " of " + need
            + ": a single-type fleet does not fall back, the update would fail");
        take = 0;
      }
      if (take > 0) {
        likely.put(type, take);
        left -= take;
        if (r != null) {
          room.put(type, r - take);
        }
      }
      notes.add(type + (r == null ? ": no quota listed (capacity is not visible before"
          + " provisioning)" : ": quota headroom " + r));
      if (!v.usesPools()) {
        break;
      }
    }
    String why = String.join("; ", notes)
        + (left > 0 ? "; " + left + " of " + need + " instances fit no pool's quota" : "");
    return new Fleet(fleet, v.variantName(), need, pools,
        java.util.Collections.unmodifiableMap(likely), why);
  }
}
