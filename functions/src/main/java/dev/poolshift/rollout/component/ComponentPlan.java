package dev.poolshift.rollout.component;

import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.ModelToCreate;
import java.util.List;

/**
 * A rollout on an inference-component endpoint: the endpoint config carries the pools, the
 * components carry the models. No canary variant: the new version replaces each component's
 * copies batch by batch ({@code UpdateInferenceComponent}'s rolling update), under alarms that
 * SageMaker watches during every batch's bake.
 *
 * @param variantName the endpoint variant the components are placed on
 * @param pools the variant's pools, as the components are updated for them
 * @param pooledConfig the config that moves the variant onto {@code pools} (same variants, same
 *     config-level settings, no model); null when the variant already runs on them and the
 *     endpoint config is kept
 * @param updates one per component rolled out: the new version in every pool type's
 *     specification, SageMaker's rolling update and its auto-rollback alarms
 * @param restores one per component, in the same order: the specifications it runs now, what
 *     Poolshift's own rollback puts back
 * @param untouched components on the endpoint that run another group's models, left as they are
 * @param waitSeconds bound for all the updates to end, backstop included
 * @param pollSeconds how often the workflow reads the components while they roll: SageMaker
 *     sends no event when a component's status changes
 * @param models the new version's models, created before any update
 * @param minInvocations the requests the components must have served since the update before
 *     the gate judges them (the profile's {@code minInvocationsPerStep})
 * @param max5xxRate the profile's {@code thresholds.max5xxRate}
 * @param alarms the rollout's own alarms on the components' metrics, created before the updates
 *     (SageMaker watches them from the first batch) and deleted when the rollout ends
 */
public record ComponentPlan(
    String variantName,
    List<InstancePool> pools,
    EndpointConfigSpec pooledConfig,
    List<ComponentUpdate> updates,
    List<ComponentUpdate> restores,
    List<String> untouched,
    int waitSeconds,
    int pollSeconds,
    List<ModelToCreate> models,
    long minInvocations,
    double max5xxRate,
    List<AlarmSpec> alarms) {

  /** Poolshift's own way back: every copy at once (SageMaker's largest batch), no bake. */
  public static final int RESTORE_BATCH_PERCENT = 50;
  public static final int RESTORE_TIMEOUT_SECONDS = 1800;
  public static final int MIN_POLL_SECONDS = 60;
  public static final int MAX_POLL_SECONDS = 300;

  public ComponentPlan {
    pools = List.copyOf(pools);
    updates = List.copyOf(updates);
    restores = List.copyOf(restores);
    untouched = List.copyOf(untouched);
    models = models == null ? List.of() : List.copyOf(models);
    alarms = alarms == null ? List.of() : List.copyOf(alarms);
  }

  public List<String> componentNames() {
    return updates.stream().map(ComponentUpdate::inferenceComponentName).toList();
  }

  /** The restore of {@code componentName}, or null when the plan does not roll it out. */
  public ComponentUpdate restoreOf(String componentName) {
    return restores.stream().filter(r -> r.inferenceComponentName().equals(componentName))
        .findFirst().orElse(null);
  }

  /** The update that puts {@code current} back as it is now. */
  public static ComponentUpdate restoring(String componentName,
      List<ComponentSpecification> current) {
    return new ComponentUpdate(componentName, current, RESTORE_BATCH_PERCENT, 0,
        RESTORE_TIMEOUT_SECONDS, 100, List.of());
  }
}
