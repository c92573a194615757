package dev.poolshift.rollout.port;

import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.ProfileNotFoundException;
import dev.poolshift.rollout.profile.DeploymentProfile;

/** Where deployment profiles live, one per model package group. */
public interface ProfileStore {
  /**
   * @throws dev.poolshift.rollout.ProfileNotFoundException when the group has no profile
   * @throws dev.poolshift.rollout.InvalidInputException when the stored profile is invalid
   */
  DeploymentProfile load(String modelPackageGroupName);
}
