package dev.poolshift.rollout.port;

import java.util.List;

/**
 * What the per-endpoint dashboard shows: the endpoint's variants, every instance type its fleets
 * may run on (the baseline's, each pool of the canary and of the final config), and the
 * rollout's alarms.
 *
 * @param name the dashboard's name ({@link #nameFor})
 */
public record EndpointDashboard(String name, String endpointName, List<String> variantNames,
    List<String> instanceTypes, List<String> alarmNames) {

  /** CloudWatch allows A–Z, a–z, 0–9, "-" and "_" in a dashboard name, up to 255 characters. */
  public static final int MAX_NAME = 255;

  public EndpointDashboard {
    variantNames = List.copyOf(variantNames);
    instanceTypes = List.copyOf(instanceTypes);
    alarmNames = List.copyOf(alarmNames);
  }

  /**
   * {@code poolshift-<endpoint>}: SageMaker endpoint names are letters, digits and hyphens, all
   * of which a dashboard name may hold; the prefix is what the stack's IAM grant is scoped to.
   */
  public static String nameFor(String endpointName) {
    String name = "poolshift-" + endpointName;
    return name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name;
  }
}
