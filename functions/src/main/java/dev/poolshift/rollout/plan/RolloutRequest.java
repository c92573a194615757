package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.ModelPackage;
import dev.poolshift.rollout.profile.DeploymentProfile;

/**
 * Everything {@link RolloutPlanner} needs, read before any write.
 *
 * @param deploymentId stable for the life of one deployment and unique across deployments (the
 *     execution name fits); goes into derived names and the {@code poolshift:deployment} tag
 * @param modelPackage DescribeModelPackage of the approved version
 * @param profile the group's deployment profile
 * @param endpoint DescribeEndpoint of the target endpoint
 * @param currentConfig DescribeEndpointConfig of the endpoint's active config
 */
public record RolloutRequest(
    String deploymentId,
    ModelPackage modelPackage,
    DeploymentProfile profile,
    EndpointState endpoint,
    EndpointConfigSpec currentConfig) {
}
