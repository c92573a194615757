package dev.poolshift.handler;

import static dev.poolshift.rollout.usecase.RolloutWorld.ARN;
import static dev.poolshift.rollout.usecase.RolloutWorld.BASELINE_CONFIG;
import static dev.poolshift.rollout.usecase.RolloutWorld.ENDPOINT;
import static dev.poolshift.rollout.usecase.RolloutWorld.GATE_ALARM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.aws.Json;
import dev.poolshift.local.asl.TaskResources;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.sfn.Execution;
import dev.poolshift.local.sfn.SfnExecutionStatus;
import dev.poolshift.local.sfn.StepFunctions;
import dev.poolshift.local.sim.Simulation;
import dev.poolshift.rollout.canary.AlarmState;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.event.AlarmStateChange;
import dev.poolshift.rollout.event.EndpointStateChange;
import dev.poolshift.rollout.port.CallbackResult;
import dev.poolshift.rollout.port.TaskCallbacks;
import dev.poolshift.rollout.usecase.AlarmResponder;
import dev.poolshift.rollout.usecase.EndpointEventResponder;
import dev.poolshift.rollout.usecase.Events;
import dev.poolshift.rollout.usecase.RolloutWorld;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract between {@code statemachine/rollout.asl.json} and the rollout-steps function,
 * checked by running both: the real definition on the local ASL engine (virtual time), every
 * Task invoking {@link RolloutStepsHandler} in-process with JSON bytes in and out, callbacks
 * sent to the engine, and SageMaker played by the in-memory fake (an update settles minutes
 * later and its endpoint event goes through {@link EndpointEventsHandler}'s use case).
 */
class RolloutWorkflowTest {
  private static final Duration FLEET_TIME = Duration.ofMinutes(8);
  private static final Duration WEIGHTS_TIME = Duration.ofSeconds(90);

  private final Simulation sim = Simulation.discrete(Simulation.DEFAULT_EPOCH);
  private final RolloutWorld world = new RolloutWorld();
  private final RolloutStepsHandler handler = new RolloutStepsHandler(world.steps);
  private final EndpointEventResponder endpointEvents =
      new EndpointEventResponder(world.store, world.sageMaker, world.sageMaker, world.callbacks);
  private final AlarmResponder alarmEvents =
      new AlarmResponder(world.store, world.sageMaker, world.sageMaker, world.callbacks);
  private final List<String> stepsRun = new ArrayList<>();
  private final StepFunctions sfn;
  /** Whether SageMaker's endpoint events reach the function (false: lost, the backstop works). */
  private boolean eventsDelivered = true;
  private boolean rollBackTheCanaryUpdate;

  RolloutWorkflowTest() {
    sfn = new StepFunctions(sim, TaskResources.of(new StepsFunctionResource(handler, stepsRun)), e -> { },
        AwsContext.DEFAULT);
    world.callbacks.forwardTo = new EngineCallbacks();
    world.alarms.initial = AlarmState.OK;
    world.alarms.set(GATE_ALARM, AlarmState.OK, "ok");
    world.traffic(6_000, 1, 60_000.0);
    world.sageMaker.onMutation = this::sageMakerWorks;
  }

  @AfterEach
  void close() {
    sim.close();
  }

  @Test
  void anApprovedVersionGoesLiveThroughEveryCanaryStep() throws Exception {
    Execution.Snapshot end = run();

    assertThat(end.status()).isEqualTo(SfnExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(end.output()).toString()).contains("outcome=PROMOTED");
    assertThat(world.sageMaker.endpoints.get(ENDPOINT).endpointConfigName())
        .isEqualTo(world.ledger.last().configAfter()).contains("-final-");
    assertThat(world.ledger.last().outcome()).isEqualTo(dev.poolshift.rollout.Outcome.PROMOTED);
    assertThat(stepsRun).containsSubsequence("plan", "lock", "createModels",
        "createCanaryConfig", "updateEndpoint", "awaitEndpoint", "verifyCanaryFleet",
        "shiftTraffic", "awaitEndpoint", "startBake", "judgeCanary", "shiftTraffic",
        "startBake", "judgeCanary", "shiftTraffic", "startBake", "judgeCanary", "promote",
        "awaitEndpoint", "verifyPromoted", "record", "unlock", "notify");
    assertThat(world.sageMaker.mutationsStartingWith("UpdateEndpointWeights")).hasSize(3);
    assertThat(world.store.locks).isEmpty();
    assertThat(world.store.tokens).isEmpty();
    assertThat(sfn.outstandingTaskTokens()).isZero();
    assertThat(world.notifier.last().subject()).contains("now serves fraud-scoring v42");
  }

  @Test
  void aCanaryAlarmDuringTheFirstBakePutsTrafficBackAtOnceAndRollsBack() throws Exception {
    Instant[] restoredAt = new Instant[1];
    List<String> before = new ArrayList<>();
    sim.at(Simulation.DEFAULT_EPOCH.plus(Duration.ofMinutes(14)), "alarm", () -> {
      before.addAll(world.sageMaker.mutations);
      alarmEvents.handle(AlarmStateChange.parse(
          Events.envelope("alarm/canary-5xx-rate-alarm.json")));
      restoredAt[0] = sim.now();
    });

    Execution.Snapshot end = run();

    assertThat(end.status()).isEqualTo(SfnExecutionStatus.FAILED);
    assertThat(end.error()).isEqualTo("Poolshift.RolledBack");
    assertThat(end.cause()).contains("all traffic is back on the baseline of " + ENDPOINT)
        .contains("poolshift-fraud-scoring-prod-canary-v42-5xx-rate is in ALARM");
    // T_act: the weight call happened in the alarm handler itself, not a step later.
    assertThat(world.sageMaker.mutations.subList(before.size(), before.size() + 1))
        .containsExactly("UpdateEndpointWeightsAndCapacities " + ENDPOINT
            + " [AllTraffic=1.0, canary-v42=0.0]");
    assertThat(restoredAt[0]).isEqualTo(Simulation.DEFAULT_EPOCH.plus(Duration.ofMinutes(14)));
    assertThat(world.sageMaker.endpoints.get(ENDPOINT).endpointConfigName())
        .isEqualTo(BASELINE_CONFIG);
    assertThat(world.sageMaker.endpoints.get(ENDPOINT).variant("AllTraffic").currentWeight())
        .isEqualTo(1.0);
    assertThat(world.ledger.last().outcome()).isEqualTo(dev.poolshift.rollout.Outcome.ROLLED_BACK);
    assertThat(world.store.locks).isEmpty();
    assertThat(sfn.outstandingTaskTokens()).isZero();
  }

  @Test
  void aCanaryUpdateSageMakerRolledBackOnItsOwnEndsFailedBecauseNoTrafficMoved() throws Exception {
    rollBackTheCanaryUpdate = true;

    Execution.Snapshot end = run();

    assertThat(end.status()).isEqualTo(SfnExecutionStatus.FAILED);
    assertThat(end.error()).isEqualTo("dev.poolshift.rollout.DeploymentFailedException");
    assertThat(end.cause()).contains("no traffic moved to canary canary-v42")
        .contains("SageMaker did not complete the canary update")
        .contains("InsufficientInstanceCapacity");
    assertThat(world.ledger.last().outcome()).isEqualTo(dev.poolshift.rollout.Outcome.FAILED);
    assertThat(world.notifier.last().subject()).contains("its canary never served");
    assertThat(stepsRun).doesNotContain("shiftTraffic");
    assertThat(world.sageMaker.configs).containsOnlyKeys(BASELINE_CONFIG);
  }

  @Test
  void lostEndpointEventsCostOnlyTheBackstop() throws Exception {
    eventsDelivered = false;

    Execution.Snapshot end = run();

    assertThat(end.status()).isEqualTo(SfnExecutionStatus.SUCCEEDED);
    assertThat(stepsRun).contains("observeEndpoint");
  }

  // ------------------------------------------------------------------ harness

  private Execution.Snapshot run() throws Exception {
    return StepsFunctionResource.runApprovedDeploy(sim, sfn, ARN);
  }

  /** SageMaker finishes what it was asked after a while, then emits its endpoint event. */
  private void sageMakerWorks(String mutation) {
    if (mutation.startsWith("UpdateEndpoint " + ENDPOINT)) {
      boolean toCanary = !mutation.endsWith(BASELINE_CONFIG) && !mutation.contains("-final-");
      sim.after(FLEET_TIME, "endpoint update", () -> {
        if (toCanary && rollBackTheCanaryUpdate) {
          world.sageMaker.rollBackUpdate(ENDPOINT, "Unable to provision requested ML compute"
              + " capacity due to InsufficientInstanceCapacity error.");
        } else {
          world.sageMaker.completeUpdate(ENDPOINT);
        }
        endpointEvent();
      });
    } else if (mutation.startsWith("UpdateEndpointWeightsAndCapacities " + ENDPOINT)) {
      sim.after(WEIGHTS_TIME, "weights update", () -> {
        world.sageMaker.completeWeights(ENDPOINT);
        endpointEvent();
      });
    }
  }

  private void endpointEvent() {
    if (eventsDelivered) {
      endpointEvents.handle(EndpointStateChange.parse(Events.envelope("endpoint/in-service.json")));
    }
  }

  /** SendTaskSuccess / SendTaskFailure to the engine, with its answers as AWS gives them. */
  private final class EngineCallbacks implements TaskCallbacks {
    @Override
    public CallbackResult succeed(TaskToken token, Object output) {
      try {
        sfn.sendTaskSuccess(token.reveal(), Json.write(output));
        return CallbackResult.DELIVERED;
      } catch (AwsServiceException e) {
        return answer(e);
      }
    }

    @Override
    public CallbackResult fail(TaskToken token, String error, String cause) {
      try {
        sfn.sendTaskFailure(token.reveal(), error, cause);
        return CallbackResult.DELIVERED;
      } catch (AwsServiceException e) {
        return answer(e);
      }
    }

    private CallbackResult answer(AwsServiceException e) {
      return switch (e.code()) {
        case "TaskTimedOut" -> CallbackResult.TASK_CLOSED;
        case "InvalidToken" -> CallbackResult.INVALID_TOKEN;
        case "TaskDoesNotExist" -> CallbackResult.TASK_DOES_NOT_EXIST;
        default -> throw e;
      };
    }
  }
}
