package dev.poolshift.rollout.pool;

import dev.poolshift.rollout.profile.PoolPreference;
import java.util.List;
import java.util.Map;

/**
 * What {@link PoolMigration} should move a variant to.
 *
 * @param modelName the new model; pools without a per-pool build run it
 * @param pools the profile's ranked pools
 * @param perPoolModels instance type → the new version's per-pool model (ModelNameOverride)
 * @param provisionTimeoutSeconds VariantInstanceProvisionTimeoutInSeconds for new pools
 * @param keepCurrentTypeFirst keep the variant's current hardware at priority 1
 * @param overrideExistingPools replace pools the variant already has
 * @param instanceCount the new variant's instance count; null = the current variant's
 * @param routingStrategy the routing strategy to set; null = keep the variant's own
 */
public record PoolTarget(
    String modelName,
    List<PoolPreference> pools,
    Map<String, String> perPoolModels,
    int provisionTimeoutSeconds,
    boolean keepCurrentTypeFirst,
    boolean overrideExistingPools,
    Integer instanceCount,
    String routingStrategy) {

  public PoolTarget {
    pools = List.copyOf(pools);
    perPoolModels = Map.copyOf(perPoolModels);
  }
}
