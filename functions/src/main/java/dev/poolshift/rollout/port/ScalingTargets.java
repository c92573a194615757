package dev.poolshift.rollout.port;

import dev.poolshift.rollout.ServiceCallException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  /**
   * The variant's scalable target ({@code DesiredInstanceCount}), its policies and scheduled
   * actions, if any.
   */
  Optional<ScalingTarget> variant(String endpointName, String variantName);

  /**
   * The variant's target, every policy and every scheduled action with all their settings, if it
   * is registered.
   */
  Optional<ScalingSetup> capture(String endpointName, String variantName);

  /**
   * Deletes the setup's policies and deregisters its target, which deletes its scheduled actions
   * too; what is already gone is skipped (a retry after a partial removal succeeds).
   */
  void remove(ScalingSetup setup);

  /**
   * Registers the target with the setup's bounds and puts every policy and scheduled action back
   * with its settings. Every call replaces what exists (PutScheduledAction updates an action of
   * the same name), so applying twice leaves the same setup.
   */
  void apply(ScalingSetup setup);

  /** A registered scalable target. */
  record ScalingTarget(String resourceId, int minCapacity, int maxCapacity,
      List<String> policyNames, List<String> scheduledActionNames) {
    public ScalingTarget {
      policyNames = policyNames == null ? List.of() : List.copyOf(policyNames);
      scheduledActionNames = scheduledActionNames == null ? List.of()
          : List.copyOf(scheduledActionNames);
    }

    /** A target without scheduled actions. */
    public ScalingTarget(String resourceId, int minCapacity, int maxCapacity,
        List<String> policyNames) {
      this(resourceId, minCapacity, maxCapacity, policyNames, List.of());
    }
  }

  /**
   * A variant's auto scaling as it was before a rollout.
   *
   * @param suspendedState the target's {@code SuspendedState} as on the wire, or empty
   * @param scheduledActions the target's scheduled actions: DeregisterScalableTarget deletes
   *     them with the target, so they are kept and re-created like the policies
   */
  record ScalingSetup(String endpointName, String variantName, int minCapacity, int maxCapacity,
      Map<String, Object> suspendedState, List<ScalingPolicySetup> policies,
      List<ScheduledActionSetup> scheduledActions) {
    public ScalingSetup {
      suspendedState = suspendedState == null ? Map.of() : Map.copyOf(suspendedState);
      policies = policies == null ? List.of() : List.copyOf(policies);
      scheduledActions = scheduledActions == null ? List.of() : List.copyOf(scheduledActions);
    }

    /** A setup without scheduled actions (and as kept before they were). */
    public ScalingSetup(String endpointName, String variantName, int minCapacity, int maxCapacity,
        Map<String, Object> suspendedState, List<ScalingPolicySetup> policies) {
      this(endpointName, variantName, minCapacity, maxCapacity, suspendedState, policies, List.of());
    }

    public List<String> scheduledActionNames() {
      return scheduledActions.stream().map(ScheduledActionSetup::name).toList();
    }

    /** The same setup with only these scheduled actions. */
    public ScalingSetup withScheduledActions(List<ScheduledActionSetup> actions) {
      return new ScalingSetup(endpointName, variantName, minCapacity, maxCapacity, suspendedState,
          policies, actions);
    }

    /**
     * The same setup with its target-tracking policies replaced by {@code policy}; step scaling
     * and predictive scaling policies, bounds, suspended state and scheduled actions unchanged.
     */
    public ScalingSetup withTargetTrackingReplacedBy(ScalingPolicySetup policy) {
      List<ScalingPolicySetup> kept = new java.util.ArrayList<>(policies.stream()
          .filter(p -> !TARGET_TRACKING.equals(p.policyType())
              && !p.policyName().equals(policy.policyName())).toList());
      kept.add(policy);
      return new ScalingSetup(endpointName, variantName, minCapacity, maxCapacity, suspendedState,
          kept, scheduledActions);
    }

    public String resourceId() {
      return "endpoint/" + endpointName + "/variant/" + variantName;
    }

    public List<String> policyNames() {
      return policies.stream().map(ScalingPolicySetup::policyName).toList();
    }
  }

  /**
   * One scheduled action: its name and every other PutScheduledAction field it had, by wire name
   * ({@code Schedule}, {@code Timezone}, {@code StartTime}, {@code EndTime},
   * {@code ScalableTargetAction}), values as JSON values (times as ISO-8601 instants).
   */
  record ScheduledActionSetup(String name, Map<String, Object> settings) {
    private static final Pattern AT = Pattern.compile("at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)");

    public ScheduledActionSetup {
      settings = settings == null ? Map.of() : settings;
    }

    public String schedule() {
      return settings.get("Schedule") instanceof String s ? s : null;
    }

    /**
     * The instant of a one-time {@code at(yyyy-mm-ddThh:mm:ss)} schedule, read in the action's
     * {@code Timezone} (UTC when it has none, as Application Auto Scaling reads it); empty for
     * {@code rate(...)} and {@code cron(...)}, which recur.
     *
     * @throws java.time.DateTimeException when the time or the time zone does not parse
     */
    public Optional<Instant> oneTimeAt() {
      String schedule = schedule();
      Matcher m = schedule == null ? null : AT.matcher(schedule.trim());
      if (m == null || !m.matches()) {
        return Optional.empty();
      }
      ZoneId zone = settings.get("Timezone") instanceof String tz && !tz.isBlank()
          ? ZoneId.of(tz) : ZoneOffset.UTC;
      return Optional.of(LocalDateTime.parse(m.group(1)).atZone(zone).toInstant());
    }

    /** A one-time action whose time is not after {@code now}: it can no longer run. */
    public boolean passed(Instant now) {
      return oneTimeAt().map(at -> !at.isAfter(now)).orElse(false);
    }
  }

  /**
   * One scaling policy: its name, type and every other PutScalingPolicy field it had, by wire
   * name (e.g. {@code TargetTrackingScalingPolicyConfiguration}), values as JSON values.
   */
  String TARGET_TRACKING = "TargetTrackingScaling";

  record ScalingPolicySetup(String policyName, String policyType, Map<String, Object> settings) {
    public ScalingPolicySetup {
      settings = settings == null ? Map.of() : settings;
    }
  }
}
