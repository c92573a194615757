package dev.poolshift.handler;

import static dev.poolshift.rollout.usecase.RolloutWorld.ARN;
import static dev.poolshift.rollout.usecase.RolloutWorld.ENDPOINT;
import static dev.poolshift.rollout.usecase.RolloutWorld.GATE_ALARM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.local.asl.TaskResources;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.sfn.Execution;
import dev.poolshift.local.sfn.SfnExecutionStatus;
import dev.poolshift.local.sfn.StepFunctions;
import dev.poolshift.local.sim.Simulation;
import dev.poolshift.rollout.Outcome;
import dev.poolshift.rollout.canary.AlarmState;
import dev.poolshift.rollout.event.AlarmStateChange;
import dev.poolshift.rollout.usecase.AlarmResponder;
import dev.poolshift.rollout.usecase.Events;
import dev.poolshift.rollout.component.ComponentSpecification;
import dev.poolshift.rollout.component.ComponentState;
import dev.poolshift.rollout.component.ComponentUpdate;
import dev.poolshift.rollout.endpoint.ModelSettings;
import dev.poolshift.rollout.endpoint.ModelToCreate;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.port.VariantMetrics;
import dev.poolshift.rollout.usecase.RolloutWorld;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An inference-component endpoint rolled out through {@code statemachine/rollout.asl.json}: the
 * real definition on the local ASL engine, every Task invoking {@link RolloutStepsHandler}, the
 * components played by the in-memory fake (a rolling update ends some time after it was sent).
 */
class ComponentWorkflowTest {
  private static final Duration UPDATE_TIME = Duration.ofMinutes(25);
  static final String CONFIG = "fraud-scoring-prod-ic-cfg";
  static final String COMPONENT = "fraud-scoring-ic";
  static final List<InstancePool> POOLS = List.of(new InstancePool("ml.g5.2xlarge", 1, null),
      new InstancePool("ml.g5.4xlarge", 2, null), new InstancePool("ml.g6.2xlarge", 3, null));
  static final List<ComponentSpecification> BASELINE = List.of(new ComponentSpecification(null,
      "fraud-scoring-v41", Map.of("NumberOfAcceleratorDevicesRequired", 1,
          "MinMemoryRequiredInMb", 4096), Map.of()));

  private final Simulation sim = Simulation.discrete(Simulation.DEFAULT_EPOCH);
  private final RolloutWorld world = new RolloutWorld();
  private final RolloutStepsHandler handler = new RolloutStepsHandler(world.steps);
  private final List<String> stepsRun = new ArrayList<>();
  private final StepFunctions sfn;
  /** What SageMaker does with the new version's update: finish it, or roll it back. */
  private String sageMakerRollsBack;

  ComponentWorkflowTest() {
    sfn = new StepFunctions(sim, TaskResources.of(new StepsFunctionResource(handler, stepsRun)), e -> { },
        AwsContext.DEFAULT);
    world.alarms.initial = AlarmState.OK;
    world.alarms.set(GATE_ALARM, AlarmState.OK, "ok");
    world.metrics.next = new VariantMetrics(20_000, 2, null, Map.of(
        "ml.g5.2xlarge", new VariantMetrics(15_000, 1, null),
        "ml.g6.2xlarge", new VariantMetrics(5_000, 1, null)));
    world.sageMaker.configs.put(CONFIG, new EndpointConfigSpec(CONFIG, List.of(new VariantSpec(
        "AllTraffic", null, 2, null, POOLS, 1200, 1.0, Map.of())), Map.of(), Map.of()));
    world.sageMaker.endpointOn(ENDPOINT, CONFIG);
    world.sageMaker.models.put("fraud-scoring-v41", new ModelToCreate("fraud-scoring-v41",
        RolloutWorld.OLD_ARN, null, null, Map.of(), ModelSettings.none("fraud-scoring-v41")));
    world.components.put(new ComponentState(COMPONENT, ENDPOINT, "AllTraffic", "InService", null,
        BASELINE, 4, 4, Map.of("ml.g5.2xlarge", 4)));
    world.components.onUpdate = this::sageMakerRolls;
  }

  @AfterEach
  void close() {
    sim.close();
  }

  @Test
  void theNewVersionRollsOutThroughTheComponentsUpdateAndIsPromoted() throws Exception {
    Execution.Snapshot end = run();

    assertThat(end.status()).isEqualTo(SfnExecutionStatus.SUCCEEDED);
    assertThat(stepsRun).containsSubsequence("plan", "lock", "createModels", "updateComponents",
        "observeComponents", "judgeComponents", "record", "unlock", "notify")
        .doesNotContain("createCanaryConfig", "updateEndpoint", "shiftTraffic",
            "restoreComponents");
    assertThat(world.components.updates).singleElement().satisfies(u -> {
      assertThat(u.specifications()).extracting(ComponentSpecification::instanceType)
          .containsExactly("ml.g5.2xlarge", "ml.g5.4xlarge", "ml.g6.2xlarge");
      assertThat(u.autoRollbackAlarms()).contains(GATE_ALARM);
    });
    ComponentState after = world.components.describe(COMPONENT);
    assertThat(after.modelNames()).allSatisfy(m -> assertThat(m).startsWith("fraud-scoring-v42"));
    assertThat(world.sageMaker.mutations).noneMatch(m -> m.startsWith("UpdateEndpoint"));
    assertThat(world.sageMaker.models).as("the components run them")
        .containsKeys(after.modelNames().toArray(String[]::new));
    assertThat(world.sageMaker.mutations).noneMatch(m -> m.startsWith("DeleteModel"));
    assertThat(world.ledger.last().outcome()).isEqualTo(Outcome.PROMOTED);
    assertThat(world.alarms.puts).isEqualTo(5);
    assertThat(world.alarms.deleted).hasSize(5)
        .allMatch(a -> a.startsWith("poolshift-fraud-scoring-prod-fraud-scoring-ic-5xx-rate")
            || a.startsWith("poolshift-fraud-scoring-prod-fraud-scoring-ic-p99"));
    assertThat(world.alarms.created).isEmpty();
    assertThat(world.store.locks).isEmpty();
  }

  @Test
  void anUpdateSageMakerRolledBackEndsRolledBackOnTheOneVersionItRanBefore() throws Exception {
    sageMakerRollsBack = "alarm poolshift-fraud-scoring-prod-fraud-scoring-ic-5xx-rate went to"
        + " ALARM during batch 2";

    Execution.Snapshot end = run();

    assertThat(end.status()).isEqualTo(SfnExecutionStatus.FAILED);
    assertThat(end.cause()).contains("SageMaker rolled inference component " + COMPONENT
        + " back").contains("batch 2");
    assertThat(world.ledger.last().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(world.components.describe(COMPONENT).specifications()).isEqualTo(BASELINE);
    assertThat(world.components.updates).as("SageMaker already put it back").hasSize(1);
    assertThat(stepsRun).contains("restoreComponents").doesNotContain("judgeComponents");
  }

  @Test
  void aGateThatRejectsTheNewVersionPutsEveryCopyBackOnThePreviousOne() throws Exception {
    // Within the threshold overall, well above it on the fallback type.
    world.metrics.next = new VariantMetrics(20_000, 20, null, Map.of(
        "ml.g5.2xlarge", new VariantMetrics(15_000, 1, null),
        "ml.g6.2xlarge", new VariantMetrics(5_000, 19, null)));

    Execution.Snapshot end = run();

    assertThat(end.status()).isEqualTo(SfnExecutionStatus.FAILED);
    assertThat(end.cause()).contains("on ml.g6.2xlarge: 5xx rate");
    assertThat(world.components.updates).hasSize(2);
    ComponentUpdate back = world.components.updates.get(1);
    assertThat(back.specifications()).isEqualTo(BASELINE);
    ComponentState after = world.components.describe(COMPONENT);
    assertThat(after.inService()).isTrue();
    assertThat(after.modelNames()).containsExactly("fraud-scoring-v41");
    assertThat(world.sageMaker.models).as("the new version's models, unused, are deleted")
        .containsOnlyKeys("fraud-scoring-v41");
    assertThat(world.ledger.last().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(world.store.locks).isEmpty();
  }

  @Test
  void anAlarmDuringTheUpdateTurnsTheRolloutAroundAndEveryCopyGoesBackOnceSageMakerLetsIt()
      throws Exception {
    String alarm = "poolshift-fraud-scoring-prod-fraud-scoring-ic-5xx-rate-g6-2xlarge";
    AlarmResponder.Result[] answered = new AlarmResponder.Result[1];
    sim.at(Simulation.DEFAULT_EPOCH.plus(Duration.ofMinutes(12)), "alarm", () ->
        answered[0] = new AlarmResponder(world.store, world.sageMaker, world.sageMaker,
            world.callbacks).handle(AlarmStateChange.parse(Events.envelope(
                "alarm/canary-5xx-rate-alarm.json", d -> d.put("alarmName", alarm)))));

    Execution.Snapshot end = run();

    assertThat(answered[0].outcome()).isEqualTo(AlarmResponder.ROLLBACK_STARTED);
    assertThat(answered[0].weightsRestored()).as("no canary variant to take weight from").isFalse();
    assertThat(end.status()).isEqualTo(SfnExecutionStatus.FAILED);
    assertThat(end.cause()).contains(alarm + " is in ALARM");
    assertThat(world.sageMaker.mutations).noneMatch(m -> m.startsWith("UpdateEndpoint"));
    assertThat(world.components.updates).hasSize(2);
    assertThat(world.components.updates.get(1).specifications()).isEqualTo(BASELINE);
    ComponentState after = world.components.describe(COMPONENT);
    assertThat(after.inService()).isTrue();
    assertThat(after.modelNames()).containsExactly("fraud-scoring-v41");
    assertThat(world.ledger.last().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(stepsRun).doesNotContain("judgeComponents");
  }

  // ------------------------------------------------------------------ harness

  /** SageMaker's rolling update ends a while after it was sent. */
  private void sageMakerRolls(ComponentUpdate update) {
    boolean forward = !update.specifications().equals(BASELINE);
    sim.after(forward ? UPDATE_TIME : Duration.ofMinutes(6), "component update", () -> {
      if (forward && sageMakerRollsBack != null) {
        world.components.rollBack(update.inferenceComponentName(), sageMakerRollsBack);
      } else {
        world.components.complete(update.inferenceComponentName());
      }
    });
  }

  private Execution.Snapshot run() throws Exception {
    return StepsFunctionResource.runApprovedDeploy(sim, sfn, ARN);
  }
}
