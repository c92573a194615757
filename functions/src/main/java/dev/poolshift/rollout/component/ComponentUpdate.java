package dev.poolshift.rollout.component;

import java.util.List;

/**
 * An {@code UpdateInferenceComponent} that rolls a new version out copy batch by copy batch:
 * the per-instance-type {@code Specifications} and SageMaker's rolling update policy with
 * auto-rollback alarms.
 *
 * @param batchPercent {@code MaximumBatchSize} as {@code CAPACITY_PERCENT} (5–50)
 * @param waitIntervalSeconds the bake after each batch (0–3600)
 * @param maximumExecutionTimeoutSeconds the bound of the whole update (600–28800)
 * @param rollbackBatchPercent {@code RollbackMaximumBatchSize} as {@code CAPACITY_PERCENT}:
 *     100, every copy back at once
 * @param autoRollbackAlarms at most 10, watched by SageMaker during every batch's bake
 */
public record ComponentUpdate(
    String inferenceComponentName,
    List<ComponentSpecification> specifications,
    int batchPercent,
    int waitIntervalSeconds,
    int maximumExecutionTimeoutSeconds,
    int rollbackBatchPercent,
    List<String> autoRollbackAlarms) {

  public ComponentUpdate {
    specifications = List.copyOf(specifications);
    autoRollbackAlarms = List.copyOf(autoRollbackAlarms);
  }
}
