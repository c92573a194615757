package dev.poolshift.rollout.usecase;

import dev.poolshift.rollout.usecase.steps.Ports;
import dev.poolshift.rollout.usecase.steps.Settings;
import dev.poolshift.rollout.usecase.steps.StepResults;
import dev.poolshift.rollout.usecase.support.ExecutionRef;
import dev.poolshift.rollout.usecase.support.Failure;
import dev.poolshift.rollout.usecase.support.OperatorDecision;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import static dev.poolshift.rollout.usecase.RolloutWorld.ARN;
import static dev.poolshift.rollout.usecase.RolloutWorld.BAKE_TOKEN;
import static dev.poolshift.rollout.usecase.RolloutWorld.BASELINE_CONFIG;
import static dev.poolshift.rollout.usecase.RolloutWorld.ENDPOINT;
import static dev.poolshift.rollout.usecase.RolloutWorld.EXEC;
import static dev.poolshift.rollout.usecase.RolloutWorld.HOLD_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.rollout.canary.AlarmState;
import dev.poolshift.rollout.EndpointLockedException;
import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.OperatorAbortException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.RolloutSupersededException;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.port.LedgerRecord;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.port.Waiter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console actions' steps with in-memory ports: promote, continue and abort reach a running rollout
 * only through its stored state, a queued or superseding rollout waits through a waiter the
 * holder's release wakes, and a rollback finds the previous release in the ledger.
 */
class OperatorStepsTest {
  private static final ExecutionRef CONSOLE = new ExecutionRef("console-action-1",
      "arn:aws:states:us-east-1:111122223333:execution:poolshift-rollout:console-action-1",
      "2026-06-01T12:30:00Z");
  private static final TaskToken ACTION_TOKEN = RolloutWorld.token("A");
  private final RolloutWorld world = new RolloutWorld();

  // ------------------------------------------------------------------ promote

  @Test
  void promoteCompletesTheParkedBakeAndItsGatePromotesWithoutWaitingForData() {
    PlanDocument rollout = bakingAtFirstStep();
    PlanDocument action = actionPlan("promote");
    List<String> before = List.copyOf(world.sageMaker.mutations);

    Map<?, ?> delivered = deliver(action);

    assertThat(delivered.get("delivered")).isEqualTo(List.of("BAKE:DELIVERED"));
    assertThat(world.callbacks.sent).singleElement().satisfies(c -> {
      assertThat(c.token()).isEqualTo(BAKE_TOKEN);
      assertThat(c.success()).isTrue();
    });
    world.alarms.allOk(rollout.alarms());
    world.traffic(40, 0, null);
    StepResults.Judgement j = judge(rollout, Duration.ofSeconds(120));
    assertThat(j.verdict()).isEqualTo(StepResults.Call.PROMOTE);
    assertThat(j.reason()).contains("promoted by alice@example.com from the console (console-action-1):"
        + " traffic too low tonight").contains("the gate said: step 0 at 10% bakes until");
    assertThat(world.sageMaker.mutations).as("the action itself wrote nothing to SageMaker")
        .isEqualTo(before);
  }

  @Test
  void promoteNeverOverridesAnAlarmInAlarm() {
    PlanDocument rollout = bakingAtFirstStep();
    deliver(actionPlan("promote"));
    world.alarms.allOk(rollout.alarms());
    world.alarms.set(rollout.managedAlarms().getFirst(), AlarmState.ALARM, "5xx rate 2%");

    StepResults.Judgement j = judge(rollout, Duration.ofSeconds(120));

    assertThat(j.verdict()).isEqualTo(StepResults.Call.ROLL_BACK);
  }

  @Test
  void promoteDecidesAParkedHold() {
    PlanDocument rollout = world.atFirstStep();
    world.run(world.call("holdForOperator").plan(rollout).stepIndex(0).token(HOLD_TOKEN)
        .reason("not enough data"));

    Map<?, ?> delivered = deliver(actionPlan("promote"));

    assertThat(delivered.get("delivered")).isEqualTo(List.of("HOLD:DELIVERED"));
    assertThat(world.callbacks.sent.getLast().token()).isEqualTo(HOLD_TOKEN);
    assertThat(world.callbacks.sent.getLast().output()).isEqualTo(new OperatorDecision(
        OperatorDecision.Decision.PROMOTE, "alice@example.com",
        "alice@example.com (console console-action-1): traffic too low tonight"));
    assertThat(world.store.tokens).doesNotContainKey(InMemoryRolloutStore.key(ENDPOINT, TokenKind.HOLD));
  }

  @Test
  void aPromotionRequestedBetweenStepsCompletesTheNextBakeAsItStarts() {
    PlanDocument rollout = world.atFirstStep();

    Map<?, ?> delivered = deliver(actionPlan("promote"));
    world.run(world.call("startBake").plan(rollout).stepIndex(0).token(BAKE_TOKEN)
        .bakeStartedAt(world.now));

    assertThat(delivered.get("delivered")).isEqualTo(List.of("NEXT_GATE"));
    assertThat(world.callbacks.sent).singleElement().satisfies(c -> {
      assertThat(c.token()).isEqualTo(BAKE_TOKEN);
      assertThat(c.success()).isTrue();
    });
    assertThat(world.store.tokens).isEmpty();
  }

  @Test
  void promoteIsRefusedBeforeTheCanaryServesTraffic() {
    world.canaryLiveUpdating();

    assertThatThrownBy(() -> actionPlan("promote")).isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("is canary-fleet: promote skips the rest of a canary step's bake");
  }

  @Test
  void anActionNamingAnotherRolloutThanTheRunningOneChangesNothing() {
    bakingAtFirstStep();

    assertThatThrownBy(() -> world.run(world.call("plan").execution(CONSOLE).request(Map.of(
        "action", "abort", "endpointName", ENDPOINT, "reason", "x", "executionName", "fraud-scoring-v41-old"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("executionName: the rollout running on endpoint fraud-scoring-prod is "
            + EXEC.name() + ", not fraud-scoring-v41-old");
    assertThat(world.store.rollouts.get(ENDPOINT).stop()).isNull();
  }

  // ------------------------------------------------------------------ continue

  @Test
  void continueCompletesAParkedHoldWithTheDecisionContinueAndLeavesNoRequestBehind() {
    PlanDocument rollout = world.atFirstStep();
    world.run(world.call("holdForOperator").plan(rollout).stepIndex(0).token(HOLD_TOKEN)
        .reason("step 0 at 10%: 4000 of the 5000 invocations needed"));
    List<String> before = List.copyOf(world.sageMaker.mutations);
    PlanDocument action = actionPlan("continue");

    Map<?, ?> delivered = deliver(action);

    assertThat(action.risks()).singleElement().asString().contains("holds at step 0 (10%)")
        .contains("4000 of the 5000 invocations needed").contains("shifts it to the next canary step");
    assertThat(delivered.get("delivered")).isEqualTo(List.of("HOLD:DELIVERED"));
    assertThat(world.callbacks.sent).singleElement().satisfies(c -> {
      assertThat(c.token()).isEqualTo(HOLD_TOKEN);
      assertThat(c.success()).isTrue();
      assertThat(c.output()).isEqualTo(new OperatorDecision(OperatorDecision.Decision.CONTINUE,
          "alice@example.com", "night traffic too low, 10% looked clean"));
    });
    assertThat(world.store.tokens).doesNotContainKey(InMemoryRolloutStore.key(ENDPOINT, TokenKind.HOLD));
    assertThat(world.store.promotions).as("continue is not a promotion: the next step's gate judges it").isEmpty();
    assertThat(world.store.rollouts.get(ENDPOINT).stop()).isNull();
    assertThat(world.store.rollouts.get(ENDPOINT).history()).anySatisfy(h -> assertThat(RolloutWorld.json(h))
        .containsEntry("kind", "operator").containsEntry("action", "continue").containsEntry("stepIndex", 0)
        .containsEntry("by", "alice@example.com").containsEntry("execution", "console-action-1"));
    assertThat(world.sageMaker.mutations).as("the action itself wrote nothing to SageMaker").isEqualTo(before);
  }

  @Test
  void continueOfABakingRolloutIsRefusedNamingTheStepAndChangesNothing() {
    bakingAtFirstStep();
    List<dev.poolshift.rollout.port.HistoryEntry> history = world.store.rollouts.get(ENDPOINT).history();

    assertThatThrownBy(() -> actionPlan("continue")).isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("rollout " + EXEC.name() + " is not held for an operator (it is baking step 0"
            + " at 10%): continue applies to a held step; use promote to skip the remaining bake");
    assertThat(world.callbacks.sent).isEmpty();
    assertThat(world.store.tokens).containsKey(InMemoryRolloutStore.key(ENDPOINT, TokenKind.BAKE));
    assertThat(world.store.promotions).isEmpty();
    assertThat(world.store.rollouts.get(ENDPOINT).history()).isEqualTo(history);
  }

  @Test
  void continueBeforeTheCanaryServesTrafficSaysWhatTheRolloutIsDoing() {
    world.canaryLiveUpdating();

    assertThatThrownBy(() -> actionPlan("continue")).isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("is not held for an operator (it is updating the endpoint onto the canary fleet"
            + " (canary-fleet)): continue applies to a held step")
        .hasMessageNotContaining("use promote");
  }

  @Test
  void aContinueWhoseHoldEndedBeforeDeliveryChangesNothing() {
    PlanDocument rollout = world.atFirstStep();
    world.run(world.call("holdForOperator").plan(rollout).stepIndex(0).token(HOLD_TOKEN).reason("no data"));
    PlanDocument action = actionPlan("continue");
    // The hold timed out meanwhile: its catch rolls the rollout back, which takes the weights first.
    world.store.deregister(ENDPOINT, TokenKind.HOLD, HOLD_TOKEN);
    world.run(world.call("restoreBaselineTraffic").plan(rollout));
    int sent = world.callbacks.sent.size();

    assertThatThrownBy(() -> deliver(action)).isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("is not held for an operator (it is rolling back (baseline-weights))");
    assertThat(world.callbacks.sent).hasSize(sent);
    assertThat(world.store.rollouts.get(ENDPOINT).history())
        .noneSatisfy(h -> assertThat(RolloutWorld.json(h)).containsEntry("kind", "operator"));
  }

  // ------------------------------------------------------------------ abort

  @Test
  void abortFailsTheParkedBakeAndLeavesAStopTheNextStepThrows() {
    PlanDocument rollout = bakingAtFirstStep();

    Map<?, ?> delivered = deliver(actionPlan("abort"));

    assertThat(delivered.get("delivered")).isEqualTo(List.of("BAKE"));
    assertThat(world.callbacks.sent).singleElement().satisfies(c -> {
      assertThat(c.success()).isFalse();
      assertThat(c.error()).isEqualTo(OperatorAbortException.class.getName());
      assertThat(c.cause()).isEqualTo("alice@example.com aborted the rollout from the console"
          + " (console-action-1): scores look wrong");
    });
    assertThatThrownBy(() -> world.run(world.call("shiftTraffic").plan(rollout).stepIndex(1)))
        .isInstanceOf(OperatorAbortException.class);
    assertThat(world.store.rollouts.get(ENDPOINT).history()).anySatisfy(h -> assertThat(RolloutWorld.json(h))
        .containsEntry("kind", "operator").containsEntry("action", "abort").containsEntry("execution", "console-action-1"));
  }

  @Test
  void abortOfARolloutAlreadyRollingBackChangesNothing() {
    PlanDocument rollout = bakingAtFirstStep();
    world.run(world.call("restoreBaselineTraffic").plan(rollout));

    Map<?, ?> delivered = deliver(actionPlan("abort"));

    assertThat(delivered.get("delivered")).isEqualTo(List.of("ALREADY_ROLLING_BACK"));
    assertThat(world.store.rollouts.get(ENDPOINT).stop()).isNull();
  }

  @Test
  void theActionReportsTheRolloutsOutcomeOnceItsReleaseWakesIt() {
    PlanDocument rollout = bakingAtFirstStep();
    PlanDocument action = actionPlan("abort");
    deliver(action);
    world.run(world.call("awaitOutcome").plan(action).execution(CONSOLE).token(ACTION_TOKEN));
    assertThat(world.store.waiters).hasSize(1);

    world.run(world.call("record").plan(rollout).outcome("ROLLED_BACK")
        .failure(new Failure(OperatorAbortException.class.getName(), "aborted", "bake"))
        .observation(Map.of("endpointConfigName", BASELINE_CONFIG)));
    world.run(world.call("unlock").plan(rollout));
    Map<?, ?> report = world.runAsJson(world.call("reportOutcome").plan(action).execution(CONSOLE));

    assertThat(world.callbacks.sent.getLast().token()).as("the release woke the action").isEqualTo(ACTION_TOKEN);
    assertThat(world.store.waiters).isEmpty();
    assertThat(report.get("outcome")).isEqualTo("DELIVERED");
    assertThat(report.get("rolloutOutcome")).isEqualTo("ROLLED_BACK");
    assertThat(report.get("rolloutCause")).isEqualTo("aborted");
    assertThat(report.get("endpointConfigName")).isEqualTo(BASELINE_CONFIG);
  }

  // ------------------------------------------------------------------ queue and supersede

  @Test
  void supersedeTurnsTheHolderAroundThroughItsOwnStateAndTheNewcomerWaitsForTheRelease() {
    PlanDocument holder = bakingAtFirstStep();
    world.profiles.byGroup.put(RolloutWorld.GROUP, RolloutWorld.profile().toBuilder()
        .concurrencyPolicy(dev.poolshift.rollout.profile.ConcurrencyPolicy.SUPERSEDE).build());
    ExecutionRef newcomer = new ExecutionRef("fraud-scoring-v43-1234", CONSOLE.id().replace("console-action-1",
        "fraud-scoring-v43-1234"), "2026-06-01T12:30:00Z");
    PlanDocument waiting = (PlanDocument) world.run(world.call("plan").execution(newcomer)
        .request(RolloutWorld.deployRequest()));

    world.run(world.call("supersede").plan(waiting).execution(newcomer));
    world.run(world.call("awaitEndpointLock").plan(waiting).execution(newcomer).token(ACTION_TOKEN));

    assertThat(waiting.contention().policy()).isEqualTo("supersede");
    assertThat(world.callbacks.sent).singleElement().satisfies(c -> {
      assertThat(c.token()).isEqualTo(BAKE_TOKEN);
      assertThat(c.error()).isEqualTo(RolloutSupersededException.class.getName());
    });
    assertThat(world.store.waiters.values()).singleElement().extracting(Waiter::owner).isEqualTo(newcomer.name());
    assertThatThrownBy(() -> world.run(world.call("shiftTraffic").plan(holder).stepIndex(1)))
        .isInstanceOf(RolloutSupersededException.class);

    world.run(world.call("unlock").plan(holder));

    assertThat(world.callbacks.sent.getLast().token()).isEqualTo(ACTION_TOKEN);
    assertThat(world.callbacks.sent.getLast().success()).isTrue();
    assertThat(world.store.waiters).isEmpty();
  }

  @Test
  void aWaitForAnEndpointAlreadyFreeEndsAtOnce() {
    PlanDocument waiting = PlanDocument.bare("deploy", "x", ENDPOINT, ARN, null, null)
        .waitingFor(new PlanDocument.Contention("gone", "canary-weights", "queue", 600));

    world.run(world.call("awaitEndpointLock").plan(waiting).execution(CONSOLE).token(ACTION_TOKEN));

    assertThat(world.callbacks.sent).singleElement().extracting(FakePorts.Callback::token).isEqualTo(ACTION_TOKEN);
    assertThat(world.store.waiters).isEmpty();
  }

  @Test
  void nothingStartsOnAnEndpointThatNeedsAPerson() {
    PlanDocument holder = bakingAtFirstStep();
    world.run(world.call("escalate").plan(holder).failure(new Failure("X", "rollback failed", "rollback")));
    ExecutionRef next = new ExecutionRef("next", CONSOLE.id(), "2026-06-01T12:30:00Z");

    assertThatThrownBy(() -> world.run(world.call("plan").execution(next).request(RolloutWorld.deployRequest())))
        .isInstanceOf(EndpointLockedException.class).hasMessageContaining("which needs a person");
  }

  // ------------------------------------------------------------------ rollback

  @Test
  void rollbackGoesToTheConfigTheLatestPromotionReplaced() {
    world.sageMaker.configs.put("cfg-v42-final", world.sageMaker.configs.get(BASELINE_CONFIG));
    world.sageMaker.endpointOn(ENDPOINT, "cfg-v42-final");
    world.ledger.put(record("run-v41", "2026-05-01T00:00:00Z", "PROMOTED", "cfg-v40", BASELINE_CONFIG, "v40"));
    world.ledger.put(record("run-v42", "2026-05-20T00:00:00Z", "PROMOTED", BASELINE_CONFIG, "cfg-v42-final", RolloutWorld.OLD_ARN));
    world.ledger.put(record("run-v43", "2026-05-25T00:00:00Z", "ROLLED_BACK", "cfg-v42-final", "cfg-v42-final", null));

    PlanDocument plan = rollbackPlan();

    assertThat(plan.restore()).isEqualTo(new PlanDocument.Restore(BASELINE_CONFIG, RolloutWorld.OLD_ARN,
        "run-v42", "2026-05-20T01:00:00Z"));
    assertThat(plan.baseline().endpointConfigName()).isEqualTo("cfg-v42-final");
    assertThat(plan.risks()).anyMatch(r -> r.startsWith("not canaried"))
        .anyMatch(r -> r.contains("single instance type ml.g5.2xlarge (no pools)"));
    assertThat(world.sageMaker.mutations).isEmpty();

    world.run(world.call("lock").plan(plan).execution(CONSOLE));
    world.run(world.call("restorePrevious").plan(plan).execution(CONSOLE));
    world.sageMaker.completeUpdate(ENDPOINT);
    Map<?, ?> verdict = world.runAsJson(world.call("verifyRestored").plan(plan).execution(CONSOLE));
    world.run(world.call("record").plan(plan).execution(CONSOLE).outcome("ROLLED_BACK"));

    assertThat(world.sageMaker.mutations).containsExactly("UpdateEndpoint " + ENDPOINT + " " + BASELINE_CONFIG);
    assertThat(verdict.get("live")).isEqualTo(true);
    LedgerRecord r = world.ledger.last();
    assertThat(r.outcome()).isEqualTo(dev.poolshift.rollout.Outcome.ROLLED_BACK);
    assertThat(r.configBefore()).isEqualTo("cfg-v42-final");
    assertThat(r.configAfter()).isEqualTo(BASELINE_CONFIG);
    assertThat(r.details()).containsEntry("action", "rollback").containsEntry("reason", "p99 doubled");
  }

  @Test
  void rollbackWithoutARecordedReleaseSaysWhatToDoInstead() {
    assertThatThrownBy(this::rollbackPlan).isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("runs config " + BASELINE_CONFIG + " and the ledger records no promotion that put it there")
        .hasMessageContaining("\"action\": \"deploy\"");
  }

  @Test
  void rollbackOfAnEndpointNobodyTaggedManagedIsRejectedBeforeAnyChange() {
    world.sageMaker.configs.put("cfg-v42-final", world.sageMaker.configs.get(BASELINE_CONFIG));
    world.sageMaker.endpointOn(ENDPOINT, "cfg-v42-final");
    world.ledger.put(record("run-v42", "2026-05-20T00:00:00Z", "PROMOTED", BASELINE_CONFIG, "cfg-v42-final", RolloutWorld.OLD_ARN));
    world.sageMaker.endpointTags.remove(ENDPOINT);

    assertThatThrownBy(this::rollbackPlan).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("endpointName: endpoint fraud-scoring-prod is not managed by Poolshift: tag it"
            + " poolshift:managed=true");
    assertThat(world.sageMaker.mutations).isEmpty();
  }

  @Test
  void rollbackWhileARolloutRunsPointsAtAbort() {
    bakingAtFirstStep();

    assertThatThrownBy(this::rollbackPlan).isInstanceOf(EndpointLockedException.class)
        .hasMessageContaining("a rollout is running; to roll it back, abort it: {\"action\": \"abort\"");
  }

  // ------------------------------------------------------------------ deploy with overrides

  @Test
  void aDeployMayOverrideTheProfilesPoolsStepsBakeAndThresholds() {
    Map<String, Object> request = new LinkedHashMap<>(RolloutWorld.deployRequest());
    request.put("trigger", Map.of("source", "console", "by", "alice@example.com"));
    request.put("endpointName", ENDPOINT);
    request.put("instancePools", List.of(Map.of("instanceType", "ml.g6.2xlarge", "priority", 1),
        Map.of("instanceType", "ml.g5.4xlarge", "priority", 2)));
    request.put("canarySteps", List.of(5, 100));
    request.put("bakeSeconds", 300);
    request.put("thresholds", Map.of("max5xxRate", 0.0005));

    PlanDocument plan = (PlanDocument) world.run(world.call("plan").request(request));

    assertThat(plan.steps()).containsExactly(5, 100);
    assertThat(plan.bakeSeconds()).isEqualTo(300);
    assertThat(plan.rollout().requestedPools()).extracting(p -> p.instanceType())
        .containsExactly("ml.g6.2xlarge", "ml.g5.4xlarge");
    assertThat(plan.rollout().profile().thresholds().max5xxRate()).isEqualTo(0.0005);
    assertThat(plan.rollout().profile().thresholds().p99LatencyMs()).as("kept from the profile").isEqualTo(100);
    assertThat(plan.overridden()).containsExactly("instancePools", "canarySteps", "bakeSeconds", "thresholds.max5xxRate");
    assertThat(plan.risks()).anyMatch(r -> r.contains("overrides the profile's"));
  }

  @Test
  void aSinglePoolOverrideIsRefusedInThePlanBeforeAnythingChanges() {
    Map<String, Object> request = new LinkedHashMap<>(RolloutWorld.deployRequest());
    request.put("endpointName", ENDPOINT);
    request.put("instancePools", List.of(Map.of("instanceType", "ml.g6.2xlarge", "priority", 1)));

    assertThatThrownBy(() -> world.run(world.call("plan").request(request)))
        .isInstanceOf(dev.poolshift.rollout.IncompatibleEndpointException.class)
        .hasMessageContaining("instancePools: variant canary-v42")
        .hasMessageContaining("would list 1 pool (ml.g6.2xlarge); SageMaker takes 2–5");
    assertThat(world.sageMaker.mutations).isEmpty();
  }

  @Test
  void aProfilePoolOutsideTheStacksAllowedTypesIsNamedBeforeAnythingChanges() {
    RolloutSteps steps = new RolloutSteps(new Settings(RolloutWorld.PREFIX, null, null,
        dev.poolshift.rollout.profile.AllowedInstanceTypes.parse("ml.g5.*")), new Ports(world.sageMaker,
        world.profiles, world.sageMaker, world.sageMaker, world.store, world.ledger, world.alarms, world.metrics,
        world.notifier, world.callbacks));

    assertThatThrownBy(() -> steps.run(world.call("plan").request(RolloutWorld.deployRequest()).name(), world.call("plan").request(RolloutWorld.deployRequest()).reader()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("deployment profile fraud-scoring")
        .hasMessageContaining("instancePools[2].instanceType: ml.g6.2xlarge is not among this stack's"
            + " AllowedInstanceTypes [ml.g5.*]");
    assertThat(world.sageMaker.mutations).isEmpty();
  }

  @Test
  void migrateFindsThePackageTheEndpointServesAndKeepsIt() {
    world.sageMaker.packages.put(FakeSageMaker.key(RolloutWorld.OLD_ARN), new dev.poolshift.rollout.endpoint.ModelPackage(
        RolloutWorld.OLD_ARN, RolloutWorld.GROUP, 41, "Completed", "Approved", List.of("g6-int8"), Map.of()));

    PlanDocument plan = (PlanDocument) world.run(world.call("plan").request(Map.of("action", "migrate",
        "endpointName", ENDPOINT, "reason", "onto pools")));

    assertThat(plan.action()).isEqualTo("migrate");
    assertThat(plan.modelPackageArn()).isEqualTo(RolloutWorld.OLD_ARN);
    assertThat(plan.risks()).anyMatch(r -> r.contains("the endpoint already serves " + RolloutWorld.OLD_ARN));
    assertThat(plan.rollout().profile().overrideExistingPools()).as("migrate replaces pools").isTrue();
  }

  // ------------------------------------------------------------------ helpers

  private PlanDocument bakingAtFirstStep() {
    PlanDocument plan = world.atFirstStep();
    world.run(world.call("startBake").plan(plan).stepIndex(0).token(BAKE_TOKEN).bakeStartedAt(world.now));
    return plan;
  }

  private PlanDocument actionPlan(String action) {
    return (PlanDocument) world.run(world.call("plan").execution(CONSOLE).request(Map.of(
        "action", action, "endpointName", ENDPOINT, "reason",
        switch (action) {
          case "promote" -> "traffic too low tonight";
          case "continue" -> "night traffic too low, 10% looked clean";
          default -> "scores look wrong";
        },
        "trigger", Map.of("source", "console", "by", "alice@example.com"))));
  }

  private Map<?, ?> deliver(PlanDocument action) {
    return world.runAsJson(world.call("deliverAction").plan(action).execution(CONSOLE));
  }

  private StepResults.Judgement judge(PlanDocument plan, Duration after) {
    return (StepResults.Judgement) world.run(world.call("judgeCanary").plan(plan).stepIndex(0)
        .bakeStartedAt(world.now).at(world.now.plus(after)));
  }

  private PlanDocument rollbackPlan() {
    return (PlanDocument) world.run(world.call("plan").execution(CONSOLE).request(Map.of(
        "action", "rollback", "endpointName", ENDPOINT, "reason", "p99 doubled")));
  }

  private static LedgerRecord record(String execution, String startedAt, String outcome, String before,
      String after, String baselinePackage) {
    Map<String, Object> baseline = new LinkedHashMap<>();
    baseline.put("endpointConfigName", before);
    baseline.put("variantName", "AllTraffic");
    baseline.put("modelPackageArn", baselinePackage);
    Instant start = Instant.parse(startedAt);
    return new LedgerRecord(ENDPOINT, start, execution, "arn:" + execution,
        dev.poolshift.rollout.Outcome.valueOf(outcome), ARN, before, after,
        start.plusSeconds(3600), Map.of("baseline", baseline));
  }
}
