package dev.poolshift.rollout;

/**
 * SageMaker did not do what was asked: the endpoint does not run the config that was deployed
 * (an update SageMaker rolled back on its own, with or without a FailureReason), a variant or
 * weight is not as asked, or the endpoint is Failed. Verify steps report it as {@code error};
 * steps that find the endpoint elsewhere than the rollout left it throw it.
 */
public final class DeploymentFailedException extends RolloutException {
  public DeploymentFailedException(String message) {
    super(message);
  }

  public DeploymentFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
