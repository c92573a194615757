package dev.poolshift.rollout.port;

import java.util.Map;

/**
 * Poolshift's own metrics: how rollouts start, are judged, hold and end. Dimensions stay few
 * and low-cardinality (an outcome, a verdict, an instance type); which endpoint and which
 * execution a value belongs to travels with it as a property, never as a dimension.
 * {@code docs/observability.md} lists every name.
 */
public interface RolloutMetrics {
  /** A rollout took its endpoint's lock: {@code RolloutsStarted}. */
  void rolloutStarted(String endpointName, String executionName, String action);

  /** A canary (or promoted-fleet) gate gave its verdict: {@code StepVerdicts} by {@code Verdict}. */
  void stepJudged(String endpointName, String executionName, String verdict);

  /** A step was held for a person: {@code Holds}. */
  void held(String endpointName, String executionName);

  /**
   * The workflow turned around after a canary alarm: {@code AlarmReactionSeconds} (T_act), from
   * the alarm's state change to the rollback step.
   */
  void alarmReaction(String endpointName, String executionName, double seconds);

  /** A rollout ended: {@code RolloutsEnded} by {@code Outcome}, with what the history shows. */
  void rolloutEnded(RolloutEnd end);

  /**
   * One invocation of a step made {@code calls} SageMaker API calls: {@code SageMakerCalls}; and,
   * when the SDK had to retry some of them (throttling, a 5xx), {@code SageMakerRetries} with the
   * HTTP attempts beyond each call's first. Summed by the {@code executionName} property, the
   * calls and retries of a rollout.
   */
  void sageMakerCalls(String endpointName, String executionName, String step, int calls, int retries);

  /** Metrics off (tests that do not look at them). */
  RolloutMetrics NONE = new RolloutMetrics() {
    @Override
    public void rolloutStarted(String endpointName, String executionName, String action) {
    }

    @Override
    public void stepJudged(String endpointName, String executionName, String verdict) {
    }

    @Override
    public void held(String endpointName, String executionName) {
    }

    @Override
    public void alarmReaction(String endpointName, String executionName, double seconds) {
    }

    @Override
    public void rolloutEnded(RolloutEnd end) {
    }

    @Override
    public void sageMakerCalls(String endpointName, String executionName, String step, int calls,
        int retries) {
    }
  };

  /** The metric names, as dashboards and alarms name them. */
  final class Names {
    public static final String NAMESPACE = "Poolshift";
    public static final String ROLLOUTS_STARTED = "RolloutsStarted";
    public static final String ROLLOUTS_ENDED = "RolloutsEnded";
    public static final String ROLLOUT_SECONDS = "RolloutSeconds";
    public static final String STEP_VERDICTS = "StepVerdicts";
    public static final String HOLDS = "Holds";
    public static final String ALARM_REACTION_SECONDS = "AlarmReactionSeconds";
    public static final String ALARM_TO_BASELINE_SECONDS = "AlarmToBaselineSeconds";
    public static final String FIRST_ERROR_TO_BASELINE_SECONDS = "FirstErrorToBaselineSeconds";
    public static final String ESCALATIONS = "Escalations";
    public static final String ROLLBACKS_FAILED = "RollbacksFailed";
    public static final String SECONDS_ON_INSTANCE_TYPE = "SecondsOnInstanceType";
    public static final String SAGEMAKER_CALLS = "SageMakerCalls";
    public static final String SAGEMAKER_RETRIES = "SageMakerRetries";
    public static final String OUTCOME = "Outcome";
    public static final String VERDICT = "Verdict";
    public static final String INSTANCE_TYPE = "InstanceType";

    /** Every metric name, for docs and tests. */
    public static final Map<String, String> ALL = Map.ofEntries(
        Map.entry(ROLLOUTS_STARTED, "Count"),
        Map.entry(ROLLOUTS_ENDED, "Count"),
        Map.entry(ROLLOUT_SECONDS, "Seconds"),
        Map.entry(STEP_VERDICTS, "Count"),
        Map.entry(HOLDS, "Count"),
        Map.entry(ALARM_REACTION_SECONDS, "Seconds"),
        Map.entry(ALARM_TO_BASELINE_SECONDS, "Seconds"),
        Map.entry(FIRST_ERROR_TO_BASELINE_SECONDS, "Seconds"),
        Map.entry(ESCALATIONS, "Count"),
        Map.entry(ROLLBACKS_FAILED, "Count"),
        Map.entry(SECONDS_ON_INSTANCE_TYPE, "Seconds"),
        Map.entry(SAGEMAKER_CALLS, "Count"),
        Map.entry(SAGEMAKER_RETRIES, "Count"));

    private Names() {}
  }
}
