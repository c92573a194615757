package dev.poolshift.local.sagemaker;

/**
 * What SageMaker asks Application Auto Scaling before an UpdateEndpoint: is this variant a
 * registered scalable target? Kept this narrow so the SageMaker simulator knows nothing of the
 * autoscaling registry; {@code LocalRuntime} wires the two.
 */
@FunctionalInterface
public interface ScalableVariants {
  /** No variant is autoscaled (a SageMaker world on its own). */
  ScalableVariants NONE = (endpoint, variant) -> false;

  /** True when {@code endpoint/<endpointName>/variant/<variantName>} is a registered target. */
  boolean registered(String endpointName, String variantName);
}
