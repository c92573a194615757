package dev.poolshift.rollout.port;

import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.Trigger;
import dev.poolshift.rollout.endpoint.VariantWeight;
import java.time.Instant;
import java.util.List;

/**
 * The active-rollout record ({@code ENDPOINT#<ep>} / {@code ROLLOUT}): what the event handlers
 * and the reconciler need without the workflow's plan — who owns the rollout, the baseline to
 * restore, the canary, the alarms, where it is, and what happened so far (for the ledger).
 *
 * @param baselineWeight the baseline variant's weight before the rollout
 * @param models the SageMaker models the rollout created
 * @param alarmNames every alarm the gate reads (managed ones and the profile's)
 * @param managedAlarmNames the ones Poolshift created and deletes
 * @param stop a pending request to turn around, or null
 * @param history shifts, verdicts, fleet checks and alarms, oldest first
 * @param sageMakerRetries how many times the steps' SageMaker calls were retried (throttling,
 *     transient errors) so far
 */
public record ActiveRollout(
    String endpointName,
    String executionName,
    String executionArn,
    String modelPackageArn,
    String baselineConfigName,
    String baselineVariantName,
    double baselineWeight,
    String canaryConfigName,
    String canaryVariantName,
    String finalConfigName,
    List<String> models,
    List<String> alarmNames,
    List<String> managedAlarmNames,
    Trigger trigger,
    Instant startedAt,
    RolloutPhase phase,
    Integer stepIndex,
    StopRequest stop,
    List<HistoryEntry> history,
    int sageMakerRetries) {

  /** A rollout whose calls were not retried (yet). */
  public ActiveRollout(String endpointName, String executionName, String executionArn, String modelPackageArn,
      String baselineConfigName, String baselineVariantName, double baselineWeight, String canaryConfigName,
      String canaryVariantName, String finalConfigName, List<String> models, List<String> alarmNames,
      List<String> managedAlarmNames, Trigger trigger, Instant startedAt, RolloutPhase phase, Integer stepIndex,
      StopRequest stop, List<HistoryEntry> history) {
    this(endpointName, executionName, executionArn, modelPackageArn, baselineConfigName, baselineVariantName,
        baselineWeight, canaryConfigName, canaryVariantName, finalConfigName, models, alarmNames, managedAlarmNames,
        trigger, startedAt, phase, stepIndex, stop, history, 0);
  }

  public ActiveRollout {
    models = models == null ? List.of() : List.copyOf(models);
    alarmNames = alarmNames == null ? List.of() : List.copyOf(alarmNames);
    managedAlarmNames = managedAlarmNames == null ? List.of() : List.copyOf(managedAlarmNames);
    history = history == null ? List.of() : List.copyOf(history);
  }

  /** All traffic on the baseline variant: the one call that puts a canary back. */
  public List<VariantWeight> baselineWeights() {
    return List.of(new VariantWeight(baselineVariantName, baselineWeight),
        new VariantWeight(canaryVariantName, 0.0));
  }

  /**
   * An inference-component rollout: no canary config, and the endpoint config it ends on is the
   * one it started from (the components carry the version). A rollback to a previous release
   * names no final config; a canary rollout names its canary config.
   */
  public boolean rollsComponents() {
    return canaryConfigName == null && finalConfigName != null
        && finalConfigName.equals(baselineConfigName);
  }

  public boolean ownedBy(String executionName) {
    return this.executionName.equals(executionName);
  }
}
