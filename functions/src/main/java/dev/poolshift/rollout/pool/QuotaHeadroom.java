package dev.poolshift.rollout.pool;

import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.VariantSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Whether the account's "{@code <type> for endpoint usage}" quotas leave room for the second
 * fleet. A blue/green UpdateEndpoint provisions every variant of the new config while the old
 * fleet still serves: moving onto the canary config holds today's fleet and the whole canary
 * config at once; promoting holds the canary config and the final config. SageMaker counts every
 * endpoint of the account against the quota and refuses an update that does not fit with
 * {@code ResourceLimitExceeded}; pooled variants place what does not fit on their other pools.
 *
 * <p>Worst case per type: a pooled variant's instances may all land on any of its pool types, so
 * "needs up to" adds the whole variant to each of its types. Pure: computed from what the plan
 * step read.
 */
public final class QuotaHeadroom {
  private final Map<String, Integer> serving;
  private final EndpointConfigSpec canaryConfig;
  private final EndpointConfigSpec finalConfig;
  private final Map<String, Integer> quotas;
  private final Map<String, Integer> inUse;
  private final int endpointsRead;
  private final boolean usageComplete;

  /**
   * @param serving this endpoint's instances now, by type
   * @param quotas the applied quotas Service Quotas listed, by type (a missing type is not listed)
   * @param inUse every endpoint's instances now, by type (this one included)
   * @param endpointsRead how many endpoints {@code inUse} counts
   * @param usageComplete false when the account has endpoints that were not counted
   */
  public QuotaHeadroom(Map<String, Integer> serving, EndpointConfigSpec canaryConfig,
      EndpointConfigSpec finalConfig, Map<String, Integer> quotas, Map<String, Integer> inUse,
      int endpointsRead, boolean usageComplete) {
    this.serving = Map.copyOf(serving);
    this.canaryConfig = canaryConfig;
    this.finalConfig = finalConfig;
    this.quotas = Map.copyOf(quotas);
    this.inUse = Map.copyOf(inUse);
    this.endpointsRead = endpointsRead;
    this.usageComplete = usageComplete;
  }

  /** Every type the rollout may provision: all types and pools of both configs, sorted. */
  public static Set<String> types(EndpointConfigSpec canaryConfig, EndpointConfigSpec finalConfig) {
    Set<String> out = new TreeSet<>();
    for (EndpointConfigSpec c : java.util.Arrays.asList(canaryConfig, finalConfig)) {
      if (c != null) {
        c.productionVariants().forEach(v -> out.addAll(typesOf(v)));
      }
    }
    return out;
  }

  /**
   * The plan's line when the quotas could not be read: what they must cover, so a person can
   * check by hand.
   */
  public static String unreadable(String why, Map<String, Integer> serving,
      EndpointConfigSpec canaryConfig, EndpointConfigSpec finalConfig) {
    return "could not read the \"<type> for endpoint usage\" quotas from Service Quotas (" + why
        + "): check " + String.join(", ", types(canaryConfig, finalConfig)) + " by hand; "
        + peaks(serving, canaryConfig, finalConfig) + ". Without room the update fails with"
        + " ResourceLimitExceeded and the endpoint stays as it is";
  }

  /** The summary line, then one risk per type without room, then the types with no quota listed. */
  public List<String> risks() {
    List<String> risks = new ArrayList<>();
    List<String> summary = new ArrayList<>();
    List<String> unlisted = new ArrayList<>();
    for (String type : types(canaryConfig, finalConfig)) {
      Integer quota = quotas.get(type);
      int need = needUpTo(type);
      if (quota == null) {
        unlisted.add(type);
        continue;
      }
      int used = inUse.getOrDefault(type, 0);
      summary.add(type + " quota " + quota + ", in use " + used + ", needs up to " + need + " more");
      if (need > quota - used) {
        risks.add(lacking(type, quota, used, need));
      }
    }
    String partial = usageComplete ? "" : " (in use counts " + endpointsRead + " endpoint"
        + (endpointsRead == 1 ? "" : "s") + " only: the account has more, or some could not be"
        + " read, so the real headroom may be smaller)";
    if (!summary.isEmpty()) {
      risks.addFirst("quota headroom for the second fleet (SageMaker holds the old and the new"
          + " fleet until each switch completes): " + String.join("; ", summary) + partial);
    }
    if (!unlisted.isEmpty()) {
      risks.add("Service Quotas lists no applied \"for endpoint usage\" quota for "
          + String.join(", ", unlisted) + ": check them by hand; " + peaks(serving, canaryConfig,
          finalConfig) + ". Without room the update fails with ResourceLimitExceeded");
    }
    return risks;
  }

  /**
   * Why moving onto the canary config would certainly fail, if it would: a single-type variant
   * needs more than its type's headroom (SageMaker refuses UpdateEndpoint at once), or no pool of
   * a pooled variant has any headroom. Usage counted on fewer endpoints than exist only makes the
   * real headroom smaller, so a partial count cannot make this wrong.
   */
  public Optional<String> refusal() {
    Map<String, Integer> single = new TreeMap<>();
    String first = canaryConfig != null ? "the canary config" : "the final config";
    for (VariantSpec v : firstMove().productionVariants()) {
      if (!v.usesPools() && v.instanceType() != null) {
        single.merge(v.instanceType(), count(v), Integer::sum);
      }
    }
    for (Map.Entry<String, Integer> e : single.entrySet()) {
      Integer room = headroom(e.getKey());
      if (room != null && e.getValue() > room) {
        return Optional.of(first + " needs " + e.getValue() + " × " + e.getKey()
            + " next to today's fleet but its \"for endpoint usage\" quota is "
            + quotas.get(e.getKey()) + " with " + inUse.getOrDefault(e.getKey(), 0)
            + " in use: UpdateEndpoint would fail with ResourceLimitExceeded");
      }
    }
    for (VariantSpec v : firstMove().productionVariants()) {
      if (!v.usesPools()) {
        continue;
      }
      List<String> full = new ArrayList<>();
      boolean anyRoom = false;
      for (String type : typesOf(v)) {
        Integer room = headroom(type);
        if (room == null || room > 0) {
          anyRoom = true;
          break;
        }
        full.add(type + " (quota " + quotas.get(type) + ", in use " + inUse.getOrDefault(type, 0)
            + ")");
      }
      if (!anyRoom) {
        return Optional.of("variant " + v.variantName() + " of " + first + " has no pool with"
            + " quota headroom: " + String.join(", ", full) + "; SageMaker cannot place any of its"
            + " instances");
      }
    }
    return Optional.empty();
  }

  /** Quota minus every endpoint's usage, for each type with a quota listed. */
  public Map<String, Integer> headroomByType() {
    Map<String, Integer> out = new TreeMap<>();
    quotas.keySet().forEach(type -> out.put(type, headroom(type)));
    return out;
  }

  /** Quota minus usage, or null when no quota is listed. */
  private Integer headroom(String type) {
    Integer quota = quotas.get(type);
    return quota == null ? null : quota - inUse.getOrDefault(type, 0);
  }

  /**
   * The config the rollout's first move deploys next to today's fleet: the canary config, or the
   * final config when there is none (an endpoint switched blue/green at once, e.g. asynchronous).
   */
  private EndpointConfigSpec firstMove() {
    return canaryConfig != null ? canaryConfig : finalConfig;
  }

  /** The most instances of the type the rollout adds to today's, at its worst moment. */
  int needUpTo(String type) {
    if (canaryConfig == null) {
      return upTo(finalConfig, type);
    }
    int canary = upTo(canaryConfig, type);
    int promote = canary + upTo(finalConfig, type) - serving.getOrDefault(type, 0);
    return Math.max(0, Math.max(canary, promote));
  }

  private String lacking(String type, int quota, int used, int need) {
    int canary = canaryConfig == null ? need : upTo(canaryConfig, type);
    String when = canaryConfig == null ? "while switching onto the final config"
        : canary >= need ? "while moving onto the canary config" : "while promoting";
    boolean single = singleOn(canary >= need ? firstMove() : finalConfig, type);
    String consequence = single
        ? "UpdateEndpoint fails with ResourceLimitExceeded and the endpoint stays as it is; raise"
            + " the quota in Service Quotas or free instances before deploying"
        : "pooled instances that do not fit go to the variant's lower-priority pools"
            + (quota == 0 ? "; with a quota of 0 SageMaker may refuse the update outright"
                + " (ResourceLimitExceeded)" : "");
    return type + ": quota " + quota + ", in use " + used + ", this rollout needs up to " + need
        + " more (" + when + "): " + consequence;
  }

  private static boolean singleOn(EndpointConfigSpec config, String type) {
    return config.productionVariants().stream()
        .anyMatch(v -> !v.usesPools() && type.equals(v.instanceType()));
  }

  private static int upTo(EndpointConfigSpec config, String type) {
    int n = 0;
    for (VariantSpec v : config.productionVariants()) {
      if (typesOf(v).contains(type)) {
        n += count(v);
      }
    }
    return n;
  }

  private static Set<String> typesOf(VariantSpec v) {
    Set<String> out = new LinkedHashSet<>();
    if (v.usesPools()) {
      v.instancePools().forEach(p -> out.add(p.instanceType()));
    } else if (v.instanceType() != null) {
      out.add(v.instanceType());
    }
    return out;
  }

  private static int count(VariantSpec v) {
    return v.initialInstanceCount() == null ? 1 : v.initialInstanceCount();
  }

  /** The fleets held at once during each switch, on the preferred pools. */
  private static String peaks(Map<String, Integer> serving, EndpointConfigSpec canaryConfig,
      EndpointConfigSpec finalConfig) {
    if (canaryConfig == null) {
      Map<String, Integer> switchPeak = new TreeMap<>(serving);
      addPreferred(switchPeak, finalConfig);
      return "this endpoint holds up to " + text(switchPeak) + " while switching onto the final"
          + " config (now " + text(serving) + ", preferred pools assumed)";
    }
    Map<String, Integer> canaryPeak = new TreeMap<>(serving);
    addPreferred(canaryPeak, canaryConfig);
    Map<String, Integer> finalPeak = new TreeMap<>();
    addPreferred(finalPeak, canaryConfig);
    addPreferred(finalPeak, finalConfig);
    return "this endpoint holds up to " + text(canaryPeak) + " while moving onto the canary"
        + " config and " + text(finalPeak) + " while promoting (now " + text(serving)
        + ", preferred pools assumed)";
  }

  private static void addPreferred(Map<String, Integer> counts, EndpointConfigSpec config) {
    for (VariantSpec v : config.productionVariants()) {
      if (v.preferredInstanceType() != null) {
        counts.merge(v.preferredInstanceType(), count(v), Integer::sum);
      }
    }
  }

  private static String text(Map<String, Integer> counts) {
    StringBuilder b = new StringBuilder();
    counts.forEach((type, n) -> b.append(b.isEmpty() ? "" : " + ").append(n).append(" × ")
        .append(type));
    return b.isEmpty() ? "no instances" : b.toString();
  }
}
