package dev.poolshift.rollout;

/** The model package version named by the ARN does not exist in the Model Registry. */
public final class ModelPackageNotFoundException extends RolloutException {
  public ModelPackageNotFoundException(String message) {
    super(message);
  }

  public ModelPackageNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
