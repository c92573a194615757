package dev.poolshift.rollout.endpoint;

import java.util.List;

/**
 * An UpdateEndpoint call. {@code retainAllVariantProperties} keeps the instance counts and
 * weights of variants that keep their name (what auto scaling or earlier weight shifts set)
 * instead of the new config's initial values; {@code excludeRetained} lists properties
 * ({@code DesiredWeight}, {@code DesiredInstanceCount}) taken from the new config anyway.
 * {@code autoRollbackAlarms} become SageMaker's own AutoRollbackConfiguration for the update;
 * {@code terminationWaitSeconds}, when set, a blue/green policy (all at once) whose old fleet
 * SageMaker keeps for that long after the switch: while it bakes, an auto-rollback alarm in ALARM
 * puts traffic back on the old fleet at once, without provisioning anything.
 */
public record EndpointUpdate(
    String endpointName,
    String endpointConfigName,
    boolean retainAllVariantProperties,
    List<String> excludeRetained,
    List<String> autoRollbackAlarms,
    Integer terminationWaitSeconds) {

  public static final String DESIRED_WEIGHT = "DesiredWeight";
  public static final String DESIRED_INSTANCE_COUNT = "DesiredInstanceCount";

  /** No blue/green bake of its own: SageMaker's default (all at once, no termination wait). */
  public EndpointUpdate(String endpointName, String endpointConfigName,
      boolean retainAllVariantProperties, List<String> excludeRetained,
      List<String> autoRollbackAlarms) {
    this(endpointName, endpointConfigName, retainAllVariantProperties, excludeRetained,
        autoRollbackAlarms, null);
  }

  public EndpointUpdate {
    excludeRetained = excludeRetained == null ? List.of() : List.copyOf(excludeRetained);
    autoRollbackAlarms = autoRollbackAlarms == null ? List.of() : List.copyOf(autoRollbackAlarms);
  }
}
