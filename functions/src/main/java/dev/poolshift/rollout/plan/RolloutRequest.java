package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.ModelPackage;
import dev.poolshift.rollout.endpoint.ModelSettings;
import dev.poolshift.rollout.endpoint.Release;
import dev.poolshift.rollout.profile.DeploymentProfile;
import java.util.Map;

/**
 * Everything {@link RolloutPlanner} needs, read before any write.
 *
 * @param deploymentId stable for the life of one deployment and unique across deployments (the
 *     execution name fits); goes into derived names and the {@code poolshift:deployment} tag
 * @param modelPackage DescribeModelPackage of the approved version
 * @param profile the group's deployment profile
 * @param endpoint DescribeEndpoint of the target endpoint
 * @param currentConfig DescribeEndpointConfig of the endpoint's active config
 * @param baselinePackage DescribeModelPackage of the version the baseline variant serves, when
 *     it came from the registry (its per-hardware builds let the baseline's blue/green copy use
 *     the same fallback pools as the canary); null when unknown
 * @param baselineModel the settings of the model the baseline variant runs (DescribeModel),
 *     which every model the rollout creates keeps; null for a model with none
 * @param release what ships: {@code modelPackage}'s version, or (a migrate of a model that did not
 *     come from the registry, {@code modelPackage} null) that model, which the new variant runs a
 *     copy of
 * @param baselinePoolModels for a baseline variant already on pools, the settings of each model a
 *     pool runs through its {@code ModelNameOverride}, by the pool's instance type: a new build
 *     for that type keeps these rather than the main model's; empty otherwise
 */
public record RolloutRequest(
    String deploymentId,
    ModelPackage modelPackage,
    DeploymentProfile profile,
    EndpointState endpoint,
    EndpointConfigSpec currentConfig,
    ModelPackage baselinePackage,
    ModelSettings baselineModel,
    Release release,
    Map<String, ModelSettings> baselinePoolModels) {

  public RolloutRequest {
    baselinePoolModels = baselinePoolModels == null ? Map.of() : Map.copyOf(baselinePoolModels);
    if (release == null && modelPackage != null) {
      release = Release.of(modelPackage.parsedArn());
    }
    if (release == null || release.fromRegistry() != (modelPackage != null)) {
      throw new IllegalArgumentException("a rollout ships a described model package or a model"
          + " outside the registry");
    }
  }

  /** No pool of the baseline runs a model of its own. */
  public RolloutRequest(String deploymentId, ModelPackage modelPackage, DeploymentProfile profile,
      EndpointState endpoint, EndpointConfigSpec currentConfig, ModelPackage baselinePackage,
      ModelSettings baselineModel, Release release) {
    this(deploymentId, modelPackage, profile, endpoint, currentConfig, baselinePackage,
        baselineModel, release, null);
  }

  /** A package version. */
  public RolloutRequest(String deploymentId, ModelPackage modelPackage, DeploymentProfile profile,
      EndpointState endpoint, EndpointConfigSpec currentConfig, ModelPackage baselinePackage,
      ModelSettings baselineModel) {
    this(deploymentId, modelPackage, profile, endpoint, currentConfig, baselinePackage,
        baselineModel, null, null);
  }

  /** The baseline's package unknown: its copy gets no per-hardware builds. */
  public RolloutRequest(String deploymentId, ModelPackage modelPackage, DeploymentProfile profile,
      EndpointState endpoint, EndpointConfigSpec currentConfig) {
    this(deploymentId, modelPackage, profile, endpoint, currentConfig, null, null);
  }

  /** A baseline model with no settings to carry. */
  public RolloutRequest(String deploymentId, ModelPackage modelPackage, DeploymentProfile profile,
      EndpointState endpoint, EndpointConfigSpec currentConfig, ModelPackage baselinePackage) {
    this(deploymentId, modelPackage, profile, endpoint, currentConfig, baselinePackage, null);
  }
}
