package dev.poolshift.rollout.port;

import dev.poolshift.rollout.RolloutException;
import java.util.Map;
import java.util.Set;

/**
 * The account's per-type "{@code <instance type> for endpoint usage}" quotas: how many instances
 * of a type all the account's endpoints may hold at once in this Region.
 */
public interface InstanceQuotas {
  /** Lists no quota (tests, or a stack that does not read them): every type is "not listed". */
  InstanceQuotas NONE = types -> Map.of();

  /**
   * The applied quota of each of these types that the quota service lists. A type missing from
   * the answer has no applied value listed (the service does not retrieve such quotas); that is
   * not the same as a quota of 0.
   *
   * @throws dev.poolshift.rollout.RolloutException when the quotas cannot be read (no permission,
   *     throttled, unavailable)
   */
  Map<String, Integer> endpointUsage(Set<String> instanceTypes);
}
