package dev.poolshift.rollout;

/**
 * The model package is not deployable: its status is not {@code Completed} or it is not {@code
 * Approved}. Terminal for this approval.
 */
public final class ModelPackageNotDeployableException extends RolloutException {
  public ModelPackageNotDeployableException(String message) {
    super(message);
  }

  public ModelPackageNotDeployableException(String message, Throwable cause) {
    super(message, cause);
  }
}
