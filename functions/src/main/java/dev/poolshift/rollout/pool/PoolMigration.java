package dev.poolshift.rollout.pool;

import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.profile.PoolPreference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes the production variant that runs the new model on instance pools, from the variant
 * running now and a {@link PoolTarget}. Rules:
 * <ul>
 *   <li>the current hardware stays at priority 1 unless the profile says otherwise, the
 *       profile's pools follow in their order, at most 5, each type once, priorities 1..n;
 *   <li>a variant already on pools keeps its pools and provision timeout (only the models
 *       change) unless the profile sets {@code overrideExistingPools};
 *   <li>pools with a per-pool build get {@code ModelNameOverride};
 *   <li>an inference-component variant (no {@code ModelName}) moves onto pools without a model
 *       when the target names none: its components say what runs on each type;
 *   <li>{@code RoutingConfig} is kept as the variant has it (an LLM endpoint's prefix-aware
 *       routing with its settings) unless the profile names a strategy; a variant that sets
 *       none gets {@code LEAST_OUTSTANDING_REQUESTS}: SageMaker's default RANDOM ignores
 *       per-instance load, which matters when instances differ in speed;
 *   <li>everything else (health-check and download timeouts, volume size, other routing
 *       settings, fields newer than our SDK) is carried over unchanged.
 * </ul>
 */
public final class PoolMigration {
  private PoolMigration() {}

  /**
   * @throws IncompatibleEndpointException when the variant cannot use pools (serverless,
   *     inference components)
   * @throws InvalidInputException when the profile cannot be applied to this variant, naming the
   *     profile field
   */
  public static VariantSpec migrate(VariantSpec current, PoolTarget target) {
    String where = "variant " + current.variantName();
    if (current.carried().containsKey("ServerlessConfig")) {
      throw new IncompatibleEndpointException(where + " is serverless (ServerlessConfig);"
          + " instance pools need instance-based variants");
    }
    if (current.modelName() == null && target.modelName() != null) {
      throw new IncompatibleEndpointException(where + " has no ModelName (an inference-component"
          + " endpoint): its inference components say what runs, so it takes no model; roll the"
          + " components out instead");
    }
    FieldErrors errors = new FieldErrors();
    List<InstancePool> pools;
    Integer timeout;
    if (current.usesPools() && !target.overrideExistingPools()) {
      pools = keepExisting(current, target, errors);
      timeout = current.provisionTimeoutSeconds();
    } else {
      pools = fromProfile(current, target, errors);
      timeout = target.provisionTimeoutSeconds();
      DeploymentProfile.checkRange(errors, "provisionTimeoutSeconds", timeout,
          DeploymentProfile.MIN_PROVISION_TIMEOUT, DeploymentProfile.MAX_PROVISION_TIMEOUT);
    }
    errors.throwIfAny("cannot move " + where + " onto instance pools");

    Map<String, Object> carried = new LinkedHashMap<>(current.carried());
    carried.put(VariantSpec.ROUTING_CONFIG, routing(current, target.routingStrategy()));

    Integer count = target.instanceCount() != null ? target.instanceCount()
        : current.initialInstanceCount();
    return new VariantSpec(current.variantName(), target.modelName(), count, null, pools, timeout,
        current.initialVariantWeight(), carried);
  }

  /**
   * The variant's routing: its own unless the profile names a strategy. A strategy other than
   * {@code PREFIX_AWARE} drops {@code PrefixAwareRoutingConfig}, which belongs to that strategy.
   */
  private static Map<String, Object> routing(VariantSpec current, String asked) {
    Map<String, Object> routing = new LinkedHashMap<>();
    if (current.carried().get(VariantSpec.ROUTING_CONFIG) instanceof Map<?, ?> existing) {
      existing.forEach((k, v) -> routing.put(String.valueOf(k), v));
    }
    if (asked != null) {
      routing.put("RoutingStrategy", asked);
      if (!asked.equals(VariantSpec.PREFIX_AWARE)) {
        routing.remove(VariantSpec.PREFIX_AWARE_ROUTING_CONFIG);
      }
    } else if (!(routing.get("RoutingStrategy") instanceof String)) {
      routing.put("RoutingStrategy", VariantSpec.LEAST_OUTSTANDING_REQUESTS);
    }
    return routing;
  }

  private static List<InstancePool> keepExisting(VariantSpec current, PoolTarget target,
      FieldErrors errors) {
    List<InstancePool> sorted = current.instancePools().stream()
        .sorted(Comparator.comparingInt(InstancePool::priority)).toList();
    List<InstancePool> pools = new ArrayList<>();
    for (InstancePool pool : sorted) {
      String model = target.perPoolModels().get(pool.instanceType());
      if (pool.modelNameOverride() != null && model == null) {
        // The old override is a build of the OLD version; keeping it would run the old model
        // on that hardware under the new variant.
        errors.add("instancePools", "the endpoint's pool " + pool.instanceType()
            + " runs a per-pool model (" + pool.modelNameOverride() + ") but the profile names no"
            + " inferenceSpecificationName for " + pool.instanceType() + "; add one, or set"
            + " overrideExistingPools: true");
      }
      pools.add(new InstancePool(pool.instanceType(), pool.priority(), model));
    }
    return pools;
  }

  private static List<InstancePool> fromProfile(VariantSpec current, PoolTarget target,
      FieldErrors errors) {
    List<String> types = new ArrayList<>();
    String currentType = current.preferredInstanceType();
    if (target.keepCurrentTypeFirst() && currentType != null) {
      types.add(currentType);
    }
    target.pools().stream().sorted(Comparator.comparingInt(PoolPreference::priority))
        .map(PoolPreference::instanceType)
        .filter(t -> !types.contains(t))
        .forEach(types::add);
    if (types.size() > DeploymentProfile.MAX_POOLS) {
      errors.add("instancePools", "the current type " + currentType + " kept first plus the"
          + " profile's pools make " + types.size() + " pools, at most "
          + DeploymentProfile.MAX_POOLS + "; list " + currentType + " among the pools, remove"
          + " one, or set keepCurrentTypeFirst: false");
      return List.of();
    }
    List<InstancePool> pools = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      String type = types.get(i);
      pools.add(new InstancePool(type, i + 1, target.perPoolModels().get(type)));
    }
    return pools;
  }
}
