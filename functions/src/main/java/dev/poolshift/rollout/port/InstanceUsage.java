package dev.poolshift.rollout.port;

import dev.poolshift.rollout.RolloutException;
import java.util.Map;

/** The instances the account's endpoints run now, by type: what counts against the quotas. */
public interface InstanceUsage {
  /** Counts nothing (tests): the usage is reported as unknown. */
  InstanceUsage NONE = maxEndpoints -> new Usage(Map.of(), 0, false);

  /**
   * Reads at most {@code maxEndpoints} endpoints; read-only.
   *
   * @throws dev.poolshift.rollout.RolloutException when the endpoints cannot be listed
   */
  Usage endpointInstances(int maxEndpoints);

  /**
   * @param byType instances by type on the endpoints read (old and new fleet of an update)
   * @param endpointsRead how many endpoints were counted
   * @param complete false when the account has more endpoints than were read, or some could not
   *     be counted: the real usage may then be higher
   */
  record Usage(Map<String, Integer> byType, int endpointsRead, boolean complete) {
    public Usage {
      byType = byType == null ? Map.of() : Map.copyOf(byType);
    }
  }
}
