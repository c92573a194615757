package dev.poolshift.rollout.port;

import dev.poolshift.rollout.ServiceCallException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Application Auto Scaling for a SageMaker variant ({@code endpoint/<ep>/variant/<variant>},
 * {@code sagemaker:variant:DesiredInstanceCount}): is it autoscaled, and taking it out of auto
 * scaling for a rollout and putting it back exactly as it was.
 */
public interface ScalingTargets {
  /** Nobody's variants are autoscaled (tests, or a stack without the permission). */
  ScalingTargets NONE = new ScalingTargets() {
    @Override
    public Optional<ScalingTarget> variant(String endpointName, String variantName) {
      return Optional.empty();
    }

    @Override
    public Optional<ScalingSetup> capture(String endpointName, String variantName) {
      return Optional.empty();
    }

    @Override
    public void remove(ScalingSetup setup) {
      throw new ServiceCallException("Application Auto Scaling is not available to this function");
    }

    @Override
    public void apply(ScalingSetup setup) {
      throw new ServiceCallException("Application Auto Scaling is not available to this function;"
          + " re-apply by hand: " + setup);
    }
  };

  /** The variant's scalable target ({@code DesiredInstanceCount}) and its policies, if any. */
  Optional<ScalingTarget> variant(String endpointName, String variantName);

  /** The variant's target and every policy with all its settings, if it is registered. */
  Optional<ScalingSetup> capture(String endpointName, String variantName);

  /**
   * Deletes the setup's policies and deregisters its target; what is already gone is skipped
   * (a retry after a partial removal succeeds).
   */
  void remove(ScalingSetup setup);

  /**
   * Registers the target with the setup's bounds and puts every policy back with its settings.
   * Both calls replace what exists, so applying twice leaves the same setup.
   */
  void apply(ScalingSetup setup);

  /** A registered scalable target. */
  record ScalingTarget(String resourceId, int minCapacity, int maxCapacity,
      List<String> policyNames) {
    public ScalingTarget {
      policyNames = policyNames == null ? List.of() : List.copyOf(policyNames);
    }
  }

  /**
   * A variant's auto scaling as it was before a rollout.
   *
   * @param suspendedState the target's {@code SuspendedState} as on the wire, or empty
   */
  record ScalingSetup(String endpointName, String variantName, int minCapacity, int maxCapacity,
      Map<String, Object> suspendedState, List<ScalingPolicySetup> policies) {
    public ScalingSetup {
      suspendedState = suspendedState == null ? Map.of() : Map.copyOf(suspendedState);
      policies = policies == null ? List.of() : List.copyOf(policies);
    }

    public String resourceId() {
      return "endpoint/" + endpointName + "/variant/" + variantName;
    }

    public List<String> policyNames() {
      return policies.stream().map(ScalingPolicySetup::policyName).toList();
    }
  }

  /**
   * One scaling policy: its name, type and every other PutScalingPolicy field it had, by wire
   * name (e.g. {@code TargetTrackingScalingPolicyConfiguration}), values as JSON values.
   */
  record ScalingPolicySetup(String policyName, String policyType, Map<String, Object> settings) {
    public ScalingPolicySetup {
      settings = settings == null ? Map.of() : settings;
    }
  }
}
