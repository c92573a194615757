package dev.poolshift.rollout;

/**
 * No deployment profile is stored for the model package group (SSM parameter {@code
 * /poolshift/profiles/<group>} is missing). Terminal: Poolshift deploys only groups it is
 * configured for.
 */
public final class ProfileNotFoundException extends RolloutException {
  public ProfileNotFoundException(String message) {
    super(message);
  }

  public ProfileNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
