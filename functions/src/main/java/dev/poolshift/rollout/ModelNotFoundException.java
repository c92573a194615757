package dev.poolshift.rollout;

/** The SageMaker model does not exist ("Could not find model"). */
public final class ModelNotFoundException extends RolloutException {
  public ModelNotFoundException(String message) {
    super(message);
  }

  public ModelNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
