package dev.poolshift.aws;

import dev.poolshift.rollout.port.ScalingTargets;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;

/**
 * {@link ScalingTargets} on Application Auto Scaling: a SageMaker variant's target is
 * {@code endpoint/<ep>/variant/<variant>} on {@code sagemaker:variant:DesiredInstanceCount}.
 * Read-only.
 */
public final class ApplicationAutoScalingTargets implements ScalingTargets {
  private final ApplicationAutoScalingClient client;

  public ApplicationAutoScalingTargets(ApplicationAutoScalingClient client) {
    this.client = client;
  }

  @Override
  public Optional<ScalingTarget> variant(String endpointName, String variantName) {
    String resourceId = "endpoint/" + endpointName + "/variant/" + variantName;
    try {
      Optional<ScalableTarget> target = client.describeScalableTargets(b -> b
          .serviceNamespace(ServiceNamespace.SAGEMAKER).resourceIds(resourceId)
          .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT))
          .scalableTargets().stream().findFirst();
      if (target.isEmpty()) {
        return Optional.empty();
      }
      var policies = client.describeScalingPoliciesPaginator(b -> b
          .serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(resourceId)
          .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT))
          .scalingPolicies().stream().map(ScalingPolicy::policyName).toList();
      return Optional.of(new ScalingTarget(resourceId, target.get().minCapacity(),
          target.get().maxCapacity(), policies));
    } catch (SdkException e) {
      throw AwsErrors.translate("DescribeScalableTargets " + resourceId, e);
    }
  }
}
