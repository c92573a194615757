package dev.poolshift.rollout.usecase;

import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.usecase.steps.Ports;
import dev.poolshift.rollout.usecase.steps.Settings;
import dev.poolshift.rollout.usecase.steps.StepResults;
import dev.poolshift.rollout.usecase.support.ExecutionRef;
import dev.poolshift.rollout.usecase.support.Failure;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import static dev.poolshift.rollout.usecase.RolloutWorld.ARN;
import static dev.poolshift.rollout.usecase.RolloutWorld.BAKE_TOKEN;
import static dev.poolshift.rollout.usecase.RolloutWorld.BASELINE_CONFIG;
import static dev.poolshift.rollout.usecase.RolloutWorld.BASELINE_VARIANT;
import static dev.poolshift.rollout.usecase.RolloutWorld.CANARY_VARIANT;
import static dev.poolshift.rollout.usecase.RolloutWorld.ENDPOINT;
import static dev.poolshift.rollout.usecase.RolloutWorld.EXEC;
import static dev.poolshift.rollout.usecase.RolloutWorld.GATE_ALARM;
import static dev.poolshift.rollout.usecase.RolloutWorld.HOLD_TOKEN;
import static dev.poolshift.rollout.usecase.RolloutWorld.WAIT_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.aws.Json;
import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.canary.AlarmState;
import dev.poolshift.rollout.CanaryAlarmException;
import dev.poolshift.rollout.profile.ConcurrencyPolicy;
import dev.poolshift.rollout.DeploymentFailedException;
import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.EndpointLockedException;
import dev.poolshift.rollout.profile.FallbackPolicy;
import dev.poolshift.rollout.IncompatibleEndpointException;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.endpoint.ManagedTag;
import dev.poolshift.rollout.endpoint.Observation;
import dev.poolshift.rollout.PackageRejectedException;
import dev.poolshift.rollout.endpoint.PoolCount;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.TransientServiceException;
import dev.poolshift.rollout.port.EndpointLock;
import dev.poolshift.rollout.port.LedgerRecord;
import dev.poolshift.rollout.port.StopRequest;
import dev.poolshift.rollout.port.TokenKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import dev.poolshift.rollout.event.EndpointStateChange;
import org.junit.jupiter.api.Test;

class RolloutStepsTest {
  private final RolloutWorld world = new RolloutWorld();

  // ------------------------------------------------------------------ plan

  @Test
  void plansFromTheRegistryTheProfileAndTheLiveEndpointWithoutChangingAnything() {
    PlanDocument plan = world.plan();

    assertThat(plan.action()).isEqualTo("deploy");
    assertThat(plan.endpointName()).isEqualTo(ENDPOINT);
    assertThat(plan.modelPackageArn()).isEqualTo(ARN);
    assertThat(plan.modelPackageGroup()).isEqualTo("fraud-scoring");
    assertThat(plan.modelPackageVersion()).isEqualTo(42);
    assertThat(plan.baseline()).isEqualTo(new PlanDocument.Baseline(BASELINE_CONFIG,
        BASELINE_VARIANT, 1.0, RolloutWorld.OLD_ARN));
    assertThat(plan.canaryVariantName()).isEqualTo(CANARY_VARIANT);
    assertThat(plan.steps()).containsExactly(10, 50, 100);
    assertThat(plan.bakeSeconds()).isEqualTo(600);
    assertThat(plan.fleetWaitSeconds()).isGreaterThan(1200);
    assertThat(plan.models()).hasSize(2);
    assertThat(plan.managedAlarms()).containsExactly(
        "poolshift-fraud-scoring-prod-canary-v42-5xx-rate",
        "poolshift-fraud-scoring-prod-canary-v42-5xx-rate-g5-2xlarge",
        "poolshift-fraud-scoring-prod-canary-v42-5xx-rate-g5-4xlarge",
        "poolshift-fraud-scoring-prod-canary-v42-5xx-rate-g6-2xlarge",
        "poolshift-fraud-scoring-prod-canary-v42-p99-latency");
    assertThat(plan.alarms()).containsAll(plan.managedAlarms()).contains(GATE_ALARM);
    assertThat(plan.trigger().source()).isEqualTo("registry-approval");
    assertThat(world.sageMaker.mutations).isEmpty();
    assertThat(world.store.locks).isEmpty();
  }

  @Test
  void aDryRunShowsItsRisksAndHowTheConfigChanges() {
    PlanDocument plan = (PlanDocument) world.run(world.call("plan").request(Map.of(
        "action", "plan", "modelPackageArn", ARN, "endpointName", ENDPOINT)));

    assertThat(plan.action()).isEqualTo("plan");
    assertThat(plan.risks()).anyMatch(r -> r.contains("fallback hardware"))
        .anyMatch(r -> r.contains("g6-int8"))
        .anyMatch(r -> r.contains("enhanced metrics"));
    assertThat(plan.configDiff()).extracting(c -> c.path())
        .contains("ProductionVariants[AllTraffic].InstancePools",
            "ProductionVariants[AllTraffic].InstanceType", "MetricsConfig");
    assertThat(plan.trigger().source()).isEqualTo("console");
    assertThat(world.sageMaker.mutations).isEmpty();
  }

  @Test
  void aRolloutOfAnEndpointNobodyTaggedManagedIsRejectedBeforeAnyChange() {
    world.sageMaker.endpointTags.put(ENDPOINT, Map.of("team", "risk"));

    assertThatThrownBy(world::plan)
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("rollout input: endpointName: endpoint fraud-scoring-prod is not managed by"
            + " Poolshift: tag it poolshift:managed=true (IAM denies Poolshift's updates to"
            + " untagged endpoints)");
    assertThat(world.sageMaker.mutations).isEmpty();
    assertThat(world.store.locks).isEmpty();
  }

  @Test
  void theManagedTagMustSayExactlyTrueAsTheIamConditionCompares() {
    world.sageMaker.endpointTags.put(ENDPOINT, Map.of(ManagedTag.KEY, "True"));

    assertThatThrownBy(world::plan)
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("endpointName: endpoint fraud-scoring-prod is not managed by Poolshift"
            + " (its poolshift:managed tag is \"True\", not \"true\"): tag it poolshift:managed=true");
    assertThat(world.sageMaker.mutations).isEmpty();
  }

  @Test
  void aDryRunOfAnUntaggedEndpointStillPlansAndNamesTheMissingTagAsARisk() {
    world.sageMaker.endpointTags.remove(ENDPOINT);

    PlanDocument plan = (PlanDocument) world.run(world.call("plan").request(Map.of(
        "action", "plan", "modelPackageArn", ARN, "endpointName", ENDPOINT)));

    assertThat(plan.risks().getFirst()).isEqualTo("endpoint fraud-scoring-prod is not managed by"
        + " Poolshift: tag it poolshift:managed=true (IAM denies Poolshift's updates to untagged"
        + " endpoints); a rollout now would be rejected before any change");
    assertThat(plan.canaryConfigName()).isNotNull();
    assertThat(world.sageMaker.mutations).isEmpty();
  }

  @Test
  void theWholePlanTravelsAsJsonAndStaysSmall() throws Exception {
    PlanDocument plan = world.plan();

    byte[] json = Json.writeBytes(plan);
    PlanDocument back = Json.read(json, PlanDocument.class);

    assertThat(json.length).isLessThan(32 * 1024);
    assertThat(back).isEqualTo(plan);
  }

  @Test
  void aPersonMustNameTheEndpointTheyMeanToChange() {
    assertThatThrownBy(() -> world.run(world.call("plan").request(Map.of(
        "action", "deploy", "modelPackageArn", ARN))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("endpointName: required");
  }

  @Test
  void anUnknownInputFieldIsRejectedNotIgnored() {
    assertThatThrownBy(() -> world.run(world.call("plan").request(Map.of(
        "modelPackageArn", ARN, "endpointName", ENDPOINT, "skipAlarmCheck", true))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("skipAlarmCheck: unknown field");
  }

  @Test
  void anEndpointNameOtherThanTheProfilesIsRejected() {
    assertThatThrownBy(() -> world.run(world.call("plan").request(Map.of(
        "modelPackageArn", ARN, "endpointName", "churn-prod"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("endpointName: the profile of model package group fraud-scoring"
            + " deploys to fraud-scoring-prod, not churn-prod");
  }

  @Test
  void aRolloutHoldingTheEndpointIsNamedAtPlanUnderTheRejectPolicy() {
    RolloutWorld w = new RolloutWorld(RolloutWorld.profile().toBuilder()
        .concurrencyPolicy(ConcurrencyPolicy.REJECT).build());
    w.store.locks.put(ENDPOINT, new EndpointLock(ENDPOINT, "fraud-scoring-v41-aaa", "arn:x",
        RolloutWorld.OLD_ARN, Instant.EPOCH));

    assertThatThrownBy(w::plan).isInstanceOf(EndpointLockedException.class)
        .hasMessageStartingWith("endpoint fraud-scoring-prod locked by execution"
            + " fraud-scoring-v41-aaa (concurrencyPolicy reject: nothing was changed;");
  }

  @Test
  void underTheQueuePolicyThePlanWaitsForTheEndpointAndSaysForWhomAndHowLong() {
    world.store.locks.put(ENDPOINT, new EndpointLock(ENDPOINT, "fraud-scoring-v41-aaa", "arn:x",
        RolloutWorld.OLD_ARN, Instant.EPOCH));

    PlanDocument plan = world.plan();

    assertThat(plan.waitForEndpoint()).isTrue();
    assertThat(plan.contention()).isEqualTo(new PlanDocument.Contention("fraud-scoring-v41-aaa",
        "unknown", "queue", 14_400));
    assertThat(plan.rollout()).isNull();
    assertThat(world.sageMaker.mutations).isEmpty();
  }

  @Test
  void anEndpointMidUpdateWhenTheApprovalLandsIsWaitedFor() {
    world.sageMaker.status(ENDPOINT, "Updating", null);

    assertThatThrownBy(world::plan).isInstanceOf(EndpointBusyException.class)
        .hasMessageContaining("Updating");
  }

  // ------------------------------------------------------------------ lock

  @Test
  void theLockIsIdempotentForItsOwnerAndRecordsTheRolloutAndItsAlarms() {
    PlanDocument plan = world.plan();

    world.run(world.call("lock").plan(plan));
    world.run(world.call("lock").plan(plan));

    assertThat(world.store.locks.get(ENDPOINT).owner()).isEqualTo(EXEC.name());
    assertThat(world.store.rollouts.get(ENDPOINT).phase()).isEqualTo(RolloutPhase.LOCKED);
    assertThat(world.store.rollouts.get(ENDPOINT).baselineConfigName())
        .isEqualTo(BASELINE_CONFIG);
    assertThat(world.store.alarms.keySet()).as("the canary's, the profile's and the promoted"
        + " fleet's alarms").containsExactlyInAnyOrderElementsOf(plan.allAlarms())
        .containsAll(plan.alarms()).containsAll(plan.promotion().alarms());
    assertThat(world.store.alarms.get(GATE_ALARM).endpointName()).isEqualTo(ENDPOINT);
  }

  @Test
  void aSecondExecutionMeetsTheLockAndLearnsWhoHoldsIt() {
    PlanDocument plan = world.plan();
    world.run(world.call("lock").plan(plan));

    ExecutionRef other = new ExecutionRef("fraud-scoring-v43-ffffffffffff", "arn:y", null);
    assertThatThrownBy(() -> world.run(world.call("lock").plan(plan).execution(other)))
        .isInstanceOf(EndpointLockedException.class)
        .hasMessageContaining("endpoint fraud-scoring-prod locked by execution "
            + EXEC.name());
    assertThat(world.store.locks.get(ENDPOINT).owner()).isEqualTo(EXEC.name());
  }

  @Test
  void anEndpointChangedSinceThePlanIsNotRolledOutFromAStaleBaseline() {
    PlanDocument plan = world.plan();
    world.run(world.call("lock").plan(plan));
    world.run(world.call("createModels").plan(plan));
    world.run(world.call("createCanaryConfig").plan(plan));
    world.sageMaker.configs.put("someone-elses", world.sageMaker.configs.get(BASELINE_CONFIG));
    world.sageMaker.endpointOn(ENDPOINT, "someone-elses");

    assertThatThrownBy(() -> world.run(world.call("updateEndpoint").plan(plan)
        .endpointConfigName(plan.canaryConfigName())))
        .isInstanceOf(IncompatibleEndpointException.class)
        .hasMessageContaining("runs config someone-elses but the plan was made from "
            + BASELINE_CONFIG);
    assertThat(world.sageMaker.describe(ENDPOINT).endpointConfigName()).isEqualTo("someone-elses");
  }

  // ------------------------------------------------------------------ resources

  @Test
  void creatingModelsAndTheCanaryConfigAgainAfterALostResponseChangesNothing() {
    PlanDocument plan = world.plan();
    world.run(world.call("lock").plan(plan));

    for (int i = 0; i < 2; i++) {
      world.run(world.call("createModels").plan(plan));
      world.run(world.call("createCanaryConfig").plan(plan));
    }

    assertThat(world.sageMaker.mutationsStartingWith("CreateModel")).hasSize(2);
    assertThat(world.sageMaker.mutationsStartingWith("CreateEndpointConfig")).containsExactly(
        "CreateEndpointConfig " + plan.canaryConfigName());
    assertThat(world.sageMaker.configs.get(plan.canaryConfigName()).carried()
        .get("MetricsConfig")).as("detailed observability kept off: the baseline predates it")
        .isEqualTo(Map.of("EnableEnhancedMetrics", true, "MetricPublishFrequencyInSeconds", 10,
            "EnableDetailedObservability", false));
  }

  @Test
  void aRetriedUpdateSendsOneUpdateEndpoint() {
    PlanDocument plan = world.plan();
    world.run(world.call("lock").plan(plan));
    world.run(world.call("createModels").plan(plan));
    world.run(world.call("createCanaryConfig").plan(plan));

    world.run(world.call("updateEndpoint").plan(plan).endpointConfigName(plan.canaryConfigName()));
    world.run(world.call("updateEndpoint").plan(plan).endpointConfigName(plan.canaryConfigName()));

    assertThat(world.sageMaker.mutationsStartingWith("UpdateEndpoint ")).containsExactly(
        "UpdateEndpoint " + ENDPOINT + " " + plan.canaryConfigName());
    assertThat(world.store.rollouts.get(ENDPOINT).phase()).isEqualTo(RolloutPhase.CANARY_FLEET);
  }

  @Test
  void aJustCreatedConfigSageMakerCannotSeeYetIsRetriedNotRolledBack() {
    PlanDocument plan = world.plan();
    world.run(world.call("lock").plan(plan));

    assertThatThrownBy(() -> world.run(world.call("updateEndpoint").plan(plan)
        .endpointConfigName(plan.canaryConfigName())))
        .isInstanceOf(TransientServiceException.class)
        .hasMessageContaining("not visible yet");
  }

  // ------------------------------------------------------------------ waits

  @Test
  void aWaitOnAnUpdatingEndpointParksItsTokenAndSendsNothing() {
    PlanDocument plan = world.canaryLiveUpdating();

    world.run(world.call("awaitEndpoint").plan(plan).phase("canary-fleet").token(WAIT_TOKEN));

    assertThat(world.store.tokens.get(InMemoryRolloutStore.key(ENDPOINT, TokenKind.WAIT)).token())
        .isEqualTo(WAIT_TOKEN);
    assertThat(world.callbacks.sent).isEmpty();
  }

  @Test
  void aForwardWaitAfterItsOwnMoveWaitsForTheEventWithoutReadingTheEndpoint() {
    PlanDocument plan = world.canaryLiveUpdating();
    int describes = world.sageMaker.describes;

    world.run(world.call("awaitEndpoint").plan(plan).phase("canary-fleet").token(WAIT_TOKEN));

    assertThat(world.sageMaker.describes).as("DescribeEndpoint calls").isEqualTo(describes);
    assertThat(world.callbacks.sent).isEmpty();
  }

  @Test
  void aWaitParkedAfterTheEndpointsEventCameCompletesItselfWithTheObservation() {
    PlanDocument plan = world.canaryLive();
    // The fleet settled and its event was handled before the wait parked its token: the event
    // found no one waiting and noted the endpoint settled.
    EndpointEventResponder events = new EndpointEventResponder(world.store, world.sageMaker,
        world.sageMaker, world.callbacks);
    assertThat(events.handle(EndpointStateChange.parse(
        Events.envelope("endpoint/in-service.json"))).outcome()).isEqualTo("IGNORED");

    world.run(world.call("awaitEndpoint").plan(plan).phase("canary-fleet").token(WAIT_TOKEN));

    assertThat(world.callbacks.sent).singleElement().satisfies(c -> {
      assertThat(c.success()).isTrue();
      assertThat(c.token()).isEqualTo(WAIT_TOKEN);
      Observation o = (Observation) c.output();
      assertThat(o.settled()).isTrue();
      assertThat(o.endpointConfigName()).isEqualTo(plan.canaryConfigName());
    });
    assertThat(world.store.tokens).isEmpty();
    assertThat(world.store.settled).as("the note is taken").isEmpty();
  }

  @Test
  void aMoveThatFindsNothingToChangeLetsItsWaitLookForItself() {
    PlanDocument plan = world.canaryLive();
    // A retry of the move after the first attempt's update had already finished: nothing is
    // sent, so no event will come.
    world.run(world.call("updateEndpoint").plan(plan).endpointConfigName(plan.canaryConfigName()));

    world.run(world.call("awaitEndpoint").plan(plan).phase("canary-fleet").token(WAIT_TOKEN));

    assertThat(world.callbacks.sent).singleElement()
        .satisfies(c -> assertThat(c.token()).isEqualTo(WAIT_TOKEN));
  }

  @Test
  void aRollbackWaitAlwaysLooksAtTheEndpoint() {
    PlanDocument plan = world.canaryLive();

    world.run(world.call("awaitEndpoint").plan(plan).phase("baseline-fleet").token(WAIT_TOKEN));

    assertThat(world.callbacks.sent).singleElement()
        .satisfies(c -> assertThat(c.token()).isEqualTo(WAIT_TOKEN));
  }

  @Test
  void theBackstopReadsTheEndpointAndLeavesNoWaitRegisteredOnceSettled() {
    PlanDocument plan = world.canaryLiveUpdating();
    world.run(world.call("awaitEndpoint").plan(plan).phase("canary-fleet").token(WAIT_TOKEN));

    Observation first = (Observation) world.run(world.call("observeEndpoint").plan(plan)
        .phase("canary-fleet"));
    world.sageMaker.completeUpdate(ENDPOINT);
    Observation second = (Observation) world.run(world.call("observeEndpoint").plan(plan)
        .phase("canary-fleet"));

    assertThat(first.settled()).isFalse();
    assertThat(first.status()).isEqualTo("Updating");
    assertThat(second.settled()).isTrue();
    assertThat(world.store.tokens).isEmpty();
  }

  // ------------------------------------------------------------------ canary fleet

  @Test
  void theCanaryFleetIsLiveOnItsPreferredPool() {
    PlanDocument plan = world.canaryLive();

    StepResults.Verification v = (StepResults.Verification) world.run(
        world.call("verifyCanaryFleet").plan(plan));

    assertThat(v.live()).isTrue();
    assertThat(v.poolMix()).containsExactly(new PoolCount("ml.g5.2xlarge", 2));
    assertThat(world.store.rollouts.get(ENDPOINT).history()).last()
        .isInstanceOfSatisfying(HistoryEntry.FleetChecked.class, h -> assertThat(h.live()).isTrue());
  }

  @Test
  void sageMakersSilentRollbackWithoutAFailureReasonIsCaught() {
    PlanDocument plan = world.canaryLiveUpdating();
    world.sageMaker.rollBackUpdate(ENDPOINT, null);

    StepResults.Verification v = (StepResults.Verification) world.run(
        world.call("verifyCanaryFleet").plan(plan));

    assertThat(v.live()).isFalse();
    assertThat(v.error()).isEqualTo(DeploymentFailedException.class.getName());
    assertThat(v.reason()).contains("runs config " + BASELINE_CONFIG)
        .contains("FailureReason: (none given)");
  }

  @Test
  void aFallbackLandingProceedsWhenThePolicyAllowsIt() {
    world.sageMaker.landing.put(CANARY_VARIANT, List.of(new PoolCount("ml.g6.2xlarge", 2)));
    PlanDocument plan = world.canaryLive();

    StepResults.Verification v = (StepResults.Verification) world.run(
        world.call("verifyCanaryFleet").plan(plan));

    assertThat(v.live()).isTrue();
    assertThat(v.reason()).contains("fallback pools [ml.g6.2xlarge]");
  }

  @Test
  void aFallbackLandingRollsBackUnderTheFailAndPausePolicies() {
    for (FallbackPolicy policy : List.of(FallbackPolicy.FAIL, FallbackPolicy.PAUSE)) {
      RolloutWorld w = new RolloutWorld(RolloutWorld.profile().toBuilder()
          .fallbackPolicy(policy).build());
      w.sageMaker.landing.put(CANARY_VARIANT, List.of(new PoolCount("ml.g5.2xlarge", 1),
          new PoolCount("ml.g6.2xlarge", 1)));
      PlanDocument plan = w.canaryLive();

      StepResults.Verification v = (StepResults.Verification) w.run(
          w.call("verifyCanaryFleet").plan(plan));

      assertThat(v.live()).as(policy.wire()).isFalse();
      assertThat(v.error()).isEqualTo("dev.poolshift.rollout.CanaryRejectedException");
      assertThat(v.reason()).contains("fallback pools [ml.g6.2xlarge]");
    }
  }

  // ------------------------------------------------------------------ traffic

  @Test
  void aShiftSetsTheStepsAbsoluteWeightsAndARetrySendsNothing() {
    PlanDocument plan = world.canaryLive();

    Object result = world.run(world.call("shiftTraffic").plan(plan).stepIndex(0));
    world.run(world.call("shiftTraffic").plan(plan).stepIndex(0));

    assertThat(result).isEqualTo(new StepResults.WeightsSet(Map.of(BASELINE_VARIANT, 0.9,
        CANARY_VARIANT, 0.1), 10));
    assertThat(world.sageMaker.mutationsStartingWith("UpdateEndpointWeights")).hasSize(1);
    assertThat(world.store.rollouts.get(ENDPOINT).phase()).isEqualTo(RolloutPhase.CANARY_WEIGHTS);
    assertThat(world.store.rollouts.get(ENDPOINT).stepIndex()).isZero();
  }

  @Test
  void noTrafficIsShiftedOntoAConfigSageMakerRolledBack() {
    PlanDocument plan = world.canaryLiveUpdating();
    world.sageMaker.rollBackUpdate(ENDPOINT, "InsufficientInstanceCapacity");

    assertThatThrownBy(() -> world.run(world.call("shiftTraffic").plan(plan).stepIndex(0)))
        .isInstanceOf(DeploymentFailedException.class)
        .hasMessageContaining("InsufficientInstanceCapacity");
    assertThat(world.sageMaker.mutationsStartingWith("UpdateEndpointWeights")).isEmpty();
  }

  // ------------------------------------------------------------------ bake

  @Test
  void theFirstBakeCreatesTheCanaryAlarmsOnceAndParksItsToken() {
    PlanDocument plan = world.atFirstStep();

    world.run(world.call("startBake").plan(plan).stepIndex(0).token(BAKE_TOKEN)
        .bakeStartedAt(world.now));

    assertThat(world.alarms.created.keySet()).containsExactlyElementsOf(plan.managedAlarms());
    AlarmSpec rate = world.alarms.created.get(plan.managedAlarms().getFirst());
    assertThat(rate.threshold()).isEqualTo(0.001);
    assertThat(rate.treatMissingData()).isEqualTo("notBreaching");
    assertThat(rate.queries()).extracting(AlarmSpec.Query::period).contains(10);
    AlarmSpec latency = world.alarms.created.get(plan.managedAlarms().getLast());
    assertThat(latency.threshold()).isEqualTo(100_000.0);
    assertThat(world.store.tokens.get(InMemoryRolloutStore.key(ENDPOINT, TokenKind.BAKE))
        .stepIndex()).isZero();

    world.alarms.set(GATE_ALARM, AlarmState.OK, "ok");
    world.run(world.call("shiftTraffic").plan(plan).stepIndex(1));
    world.sageMaker.completeWeights(ENDPOINT);
    world.run(world.call("startBake").plan(plan).stepIndex(1).token(BAKE_TOKEN)
        .bakeStartedAt(world.now));
    assertThat(world.alarms.puts).isEqualTo(plan.managedAlarms().size());
  }

  @Test
  void anAlarmAlreadyInAlarmStopsTheBakeAtOnceSinceItSendsNoNewEvent() {
    PlanDocument plan = world.atFirstStep();
    world.alarms.set(GATE_ALARM, AlarmState.ALARM, "Threshold Crossed: 3 datapoints");

    assertThatThrownBy(() -> world.run(world.call("startBake").plan(plan).stepIndex(0)
        .token(BAKE_TOKEN).bakeStartedAt(world.now)))
        .isInstanceOf(CanaryAlarmException.class)
        .hasMessageContaining("alarm " + GATE_ALARM + " is in ALARM")
        .hasMessageContaining("Threshold Crossed");
    assertThat(world.store.tokens).isEmpty();
  }

  @Test
  void aStopLeftByAnAlarmBetweenStepsTurnsTheNextBakeAround() {
    PlanDocument plan = world.atFirstStep();
    world.store.requestStop(ENDPOINT, EXEC.name(), new StopRequest(
        CanaryAlarmException.class.getName(), "alarm x is in ALARM: 5xx", world.now));

    assertThatThrownBy(() -> world.run(world.call("startBake").plan(plan).stepIndex(0)
        .token(BAKE_TOKEN).bakeStartedAt(world.now)))
        .isInstanceOf(CanaryAlarmException.class).hasMessage("alarm x is in ALARM: 5xx");
    assertThat(world.store.tokens).isEmpty();
  }

  @Test
  void aBakeDoesNotStartWhenSageMakerDoesNotServeTheStepsWeights() {
    PlanDocument plan = world.canaryLive();
    world.run(world.call("shiftTraffic").plan(plan).stepIndex(0));
    // The weight change ended but SageMaker serves the old weights.
    world.sageMaker.status(ENDPOINT, "InService", null);

    assertThatThrownBy(() -> world.run(world.call("startBake").plan(plan).stepIndex(0)
        .token(BAKE_TOKEN).bakeStartedAt(world.now)))
        .isInstanceOf(DeploymentFailedException.class)
        .hasMessageContaining("does not serve step 0's weights");
  }

  // ------------------------------------------------------------------ gate

  @Test
  void aHealthyStepContinuesAndIsRecorded() {
    PlanDocument plan = bakingAtFirstStep();
    world.alarms.allOk(plan.alarms());
    world.traffic(6_000, 2, 60_000.0);

    StepResults.Judgement j = judge(plan, 0, Duration.ofSeconds(600));

    assertThat(j.verdict()).isEqualTo(StepResults.Call.CONTINUE);
    assertThat(j.waitSeconds()).isNull();
    assertThat(world.store.tokens).isEmpty();
    assertThat(world.store.rollouts.get(ENDPOINT).history()).last()
        .isInstanceOfSatisfying(HistoryEntry.Judged.class, h -> {
          assertThat(h.verdict()).isEqualTo("CONTINUE");
          assertThat(h.invocations()).isEqualTo(6_000L);
          assertThat(h.p99LatencyMs()).isEqualTo(60.0);
        });
  }

  @Test
  void tooFewInvocationsKeepBakingForAtLeastASecondNeverPass() {
    PlanDocument plan = bakingAtFirstStep();
    world.alarms.allOk(plan.alarms());
    world.traffic(40, 0, 50_000.0);

    StepResults.Judgement j = judge(plan, 0, Duration.ofSeconds(600));

    assertThat(j.verdict()).isEqualTo(StepResults.Call.KEEP_BAKING);
    assertThat(j.waitSeconds()).isEqualTo(60);
    assertThat(j.reason()).contains("invocations 40 < minimum 5000");
  }

  @Test
  void aFiveHundredsRateAboveTheThresholdRollsBack() {
    PlanDocument plan = bakingAtFirstStep();
    world.alarms.allOk(plan.alarms());
    world.traffic(6_000, 30, 50_000.0);

    StepResults.Judgement j = judge(plan, 0, Duration.ofSeconds(600));

    assertThat(j.verdict()).isEqualTo(StepResults.Call.ROLL_BACK);
    assertThat(j.reason()).contains("5xx rate 0.00500 (30 of 6000) above threshold 0.00100");
  }

  @Test
  void theGateCountsOnlyWholeMinutesAfterTheBakeBegan() {
    PlanDocument plan = bakingAtFirstStep();
    world.alarms.allOk(plan.alarms());
    world.traffic(6_000, 0, 50_000.0);

    judge(plan, 0, Duration.ofSeconds(630));

    // Bake began 12:00:05; judged at 12:10:35 → minutes 12:01 .. 12:10.
    assertThat(world.metrics.windows).containsExactly(
        "canary-v42 2026-06-01T12:01:00Z..2026-06-01T12:10:00Z p99"
            + " by [ml.g5.2xlarge, ml.g5.4xlarge, ml.g6.2xlarge]");
  }

  @Test
  void theLastStepPromotes() {
    PlanDocument plan = world.atFirstStep();
    world.alarms.allOk(plan.alarms());
    world.run(world.call("shiftTraffic").plan(plan).stepIndex(2));
    world.sageMaker.completeWeights(ENDPOINT);
    world.traffic(60_000, 0, 50_000.0);

    StepResults.Judgement j = judge(plan, 2, Duration.ofSeconds(900));

    assertThat(j.verdict()).isEqualTo(StepResults.Call.PROMOTE);
  }

  @Test
  void anInconclusiveStepHoldsForAPersonWhoIsToldWhatToDo() {
    PlanDocument plan = world.atFirstStep();

    world.run(world.call("holdForOperator").plan(plan).stepIndex(0).token(HOLD_TOKEN)
        .reason("step 0 at 10%: not enough data"));

    assertThat(world.store.tokens.get(InMemoryRolloutStore.key(ENDPOINT, TokenKind.HOLD))
        .reason()).isEqualTo("step 0 at 10%: not enough data");
    assertThat(world.notifier.last().subject())
        .isEqualTo("Poolshift: fraud-scoring-prod holds at 10% canary, a person decides");
    assertThat(world.notifier.last().body()).contains("not enough data")
        .contains("{\"action\": \"promote\", \"endpointName\": \"fraud-scoring-prod\","
            + " \"executionName\": \"" + EXEC.name() + "\"")
        .contains("{\"action\": \"continue\", \"endpointName\": \"fraud-scoring-prod\","
            + " \"executionName\": \"" + EXEC.name() + "\"")
        .contains("(on to the next step only, 50%)")
        .contains("{\"action\": \"abort\"").contains("60 minutes");
  }

  // ------------------------------------------------------------------ promotion

  @Test
  void promotionCreatesTheFinalConfigOnceAndVerifiesIt() {
    PlanDocument plan = world.atFirstStep();

    world.run(world.call("promote").plan(plan));
    world.run(world.call("promote").plan(plan));
    world.sageMaker.completeUpdate(ENDPOINT);
    StepResults.Verification v = (StepResults.Verification) world.run(
        world.call("verifyPromoted").plan(plan));

    assertThat(world.sageMaker.mutationsStartingWith("UpdateEndpoint " + ENDPOINT + " "
        + plan.finalConfigName())).hasSize(1);
    assertThat(v.live()).isTrue();
    assertThat(v.reason()).contains(plan.finalConfigName());
    assertThat(world.store.rollouts.get(ENDPOINT).phase()).isEqualTo(RolloutPhase.FINAL_FLEET);
  }

  @Test
  void aPromotionSageMakerRolledBackIsNotLive() {
    PlanDocument plan = world.atFirstStep();
    world.run(world.call("promote").plan(plan));
    world.sageMaker.rollBackUpdate(ENDPOINT, "");

    StepResults.Verification v = (StepResults.Verification) world.run(
        world.call("verifyPromoted").plan(plan));

    assertThat(v.live()).isFalse();
    assertThat(v.error()).isEqualTo(DeploymentFailedException.class.getName());
    assertThat(v.reason()).contains("did not complete the promotion");
  }

  @Test
  void aRejectedPackageIsNeverPromoted() {
    PlanDocument plan = world.atFirstStep();
    world.store.requestStop(ENDPOINT, EXEC.name(), new StopRequest(
        PackageRejectedException.class.getName(), "rejected by risk team", world.now));

    assertThatThrownBy(() -> world.run(world.call("promote").plan(plan)))
        .isInstanceOf(PackageRejectedException.class);
    assertThat(world.sageMaker.configs).doesNotContainKey(plan.finalConfigName());
  }

  // ------------------------------------------------------------------ rollback

  @Test
  void rollbackPutsAllTrafficOnTheBaselineWithOneCall() {
    PlanDocument plan = world.atFirstStep();

    world.run(world.call("restoreBaselineTraffic").plan(plan));
    world.run(world.call("restoreBaselineTraffic").plan(plan));

    assertThat(world.sageMaker.mutationsStartingWith("UpdateEndpointWeights")).last()
        .isEqualTo("UpdateEndpointWeightsAndCapacities " + ENDPOINT
            + " [AllTraffic=1.0, canary-v42=0.0]");
    assertThat(world.sageMaker.mutationsStartingWith("UpdateEndpointWeights")).hasSize(2);
    assertThat(world.store.rollouts.get(ENDPOINT).phase())
        .isEqualTo(RolloutPhase.BASELINE_WEIGHTS);
  }

  @Test
  void rollbackDuringAnotherWeightChangeIsBusyAndRetried() {
    PlanDocument plan = world.atFirstStep();
    world.run(world.call("shiftTraffic").plan(plan).stepIndex(1));

    assertThatThrownBy(() -> world.run(world.call("restoreBaselineTraffic").plan(plan)))
        .isInstanceOf(EndpointBusyException.class);
  }

  @Test
  void rollbackBeforeTheCanaryConfigWasActiveHasNoWeightsToRestore() {
    PlanDocument plan = world.canaryLiveUpdating();

    world.run(world.call("restoreBaselineTraffic").plan(plan));

    assertThat(world.sageMaker.mutationsStartingWith("UpdateEndpointWeights")).isEmpty();
  }

  @Test
  void rollbackThenRestoresTheBaselineConfigAndVerifiesIt() {
    PlanDocument plan = world.atFirstStep();
    world.run(world.call("restoreBaselineTraffic").plan(plan));
    world.sageMaker.completeWeights(ENDPOINT);

    world.run(world.call("restoreBaselineConfig").plan(plan));
    world.sageMaker.completeUpdate(ENDPOINT);
    Object verdict = world.run(world.call("verifyBaseline").plan(plan));

    assertThat(world.sageMaker.mutations).last()
        .isEqualTo("UpdateEndpoint " + ENDPOINT + " " + BASELINE_CONFIG);
    assertThat(verdict).isEqualTo(new StepResults.ReturnCheck(true, false, false, null,
        "endpoint fraud-scoring-prod serves all traffic from its baseline config "
            + BASELINE_CONFIG));
  }

  @Test
  void aFailedEndpointGetsNoAutomatedWrites() {
    PlanDocument plan = world.atFirstStep();
    world.sageMaker.status(ENDPOINT, "UpdateRollbackFailed", "both fleets broken");

    assertThatThrownBy(() -> world.run(world.call("restoreBaselineTraffic").plan(plan)))
        .isInstanceOf(DeploymentFailedException.class)
        .hasMessageContaining("UpdateRollbackFailed").hasMessageContaining("both fleets broken");
    assertThat(world.sageMaker.mutationsStartingWith("UpdateEndpointWeights")).hasSize(1);
  }

  // ------------------------------------------------------------------ endings

  @Test
  void theLedgerKeepsTheRolloutsStepsVerdictsAndOutcome() {
    PlanDocument plan = bakingAtFirstStep();
    world.alarms.allOk(plan.alarms());
    world.traffic(6_000, 0, 50_000.0);
    judge(plan, 0, Duration.ofSeconds(600));

    world.run(world.call("record").plan(plan).outcome("ROLLED_BACK")
        .failure(new Failure("dev.poolshift.rollout.CanaryAlarmException",
            "{\"errorMessage\":\"alarm x is in ALARM\",\"errorType\":\"X\"}", "bake"))
        .observation(Map.of("endpointConfigName", BASELINE_CONFIG)));

    LedgerRecord r = world.ledger.last();
    assertThat(r.outcome()).isEqualTo(dev.poolshift.rollout.Outcome.ROLLED_BACK);
    assertThat(r.configBefore()).isEqualTo(BASELINE_CONFIG);
    assertThat(r.configAfter()).isEqualTo(BASELINE_CONFIG);
    assertThat(r.startedAt()).isEqualTo(Instant.parse(EXEC.startTime()));
    assertThat(r.details()).containsEntry("failure", Map.of(
        "error", "dev.poolshift.rollout.CanaryAlarmException", "message", "alarm x is in ALARM",
        "during", "bake"));
    assertThat(((List<?>) r.details().get("history")).stream()
        .map(h -> RolloutWorld.json((HistoryEntry) h).get("kind")).toList())
        .containsExactly("locked", "shift", "verdict");
    assertThat(world.store.rollouts.get(ENDPOINT).phase()).isEqualTo(RolloutPhase.ROLLED_BACK);
  }

  @Test
  void unlockAfterARollbackRemovesWhatTheRolloutCreatedButNeverTheBaseline() {
    PlanDocument plan = bakingAtFirstStep();
    world.run(world.call("restoreBaselineTraffic").plan(plan));
    world.sageMaker.completeWeights(ENDPOINT);
    world.run(world.call("restoreBaselineConfig").plan(plan));
    world.sageMaker.completeUpdate(ENDPOINT);

    world.run(world.call("unlock").plan(plan));

    assertThat(world.store.locks).isEmpty();
    assertThat(world.store.rollouts).isEmpty();
    assertThat(world.store.tokens).isEmpty();
    assertThat(world.store.alarms).isEmpty();
    assertThat(world.alarms.deleted).containsExactlyElementsOf(plan.managedAlarms());
    assertThat(world.sageMaker.configs).containsOnlyKeys(BASELINE_CONFIG);
    assertThat(world.sageMaker.models).isEmpty();
  }

  @Test
  void unlockAfterAPromotionKeepsTheModelsTheEndpointRuns() {
    PlanDocument plan = world.atFirstStep();
    world.run(world.call("promote").plan(plan));
    world.sageMaker.completeUpdate(ENDPOINT);

    world.run(world.call("unlock").plan(plan));

    assertThat(world.sageMaker.configs).containsOnlyKeys(BASELINE_CONFIG, plan.finalConfigName());
    assertThat(world.sageMaker.models).hasSize(2);
    assertThat(world.store.locks).isEmpty();
  }

  @Test
  void thePromotionNoticeSaysWhereTrafficIsAndTheOneCommandThatPutsItBack() {
    PlanDocument plan = world.atFirstStep();
    world.run(world.call("promote").plan(plan));
    world.sageMaker.completeUpdate(ENDPOINT);

    world.run(world.call("notify").plan(plan).outcome("PROMOTED"));

    assertThat(world.notifier.last().subject())
        .isEqualTo("Poolshift: fraud-scoring-prod now serves fraud-scoring v42");
    assertThat(world.notifier.last().body())
        .contains("Traffic now: AllTraffic 100% on 2x ml.g5.2xlarge")
        .contains("aws sagemaker update-endpoint --endpoint-name fraud-scoring-prod"
            + " --endpoint-config-name " + BASELINE_CONFIG + " --retain-all-variant-properties")
        .contains("https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1");
  }

  @Test
  void aStartThatFailedBeforeTouchingTheEndpointIsRecordedAndReleased() {
    PlanDocument plan = world.plan();
    world.run(world.call("lock").plan(plan));
    world.run(world.call("createModels").plan(plan));

    world.run(world.call("abandon").plan(plan).failure(new Failure(
        "dev.poolshift.rollout.ServiceCallException", "AccessDenied", "canary config")));

    assertThat(world.ledger.last().outcome()).isEqualTo(dev.poolshift.rollout.Outcome.FAILED);
    assertThat(world.store.locks).isEmpty();
    assertThat(world.sageMaker.models).isEmpty();
  }

  @Test
  void escalationKeepsTheLockAndPagesAPersonWithTheFailureReason() {
    PlanDocument plan = world.atFirstStep();
    world.store.register(new dev.poolshift.rollout.port.TokenRegistration(ENDPOINT,
        TokenKind.WAIT, EXEC.name(), WAIT_TOKEN, RolloutPhase.BASELINE_FLEET, null, world.now,
        null, world.now));
    world.sageMaker.status(ENDPOINT, "Failed", "Unable to provision requested ML compute");

    world.run(world.call("escalate").plan(plan).phase("baseline-fleet").failure(new Failure(
        "States.Timeout", null, "wait")));

    assertThat(world.store.locks).containsKey(ENDPOINT);
    assertThat(world.store.rollouts.get(ENDPOINT).phase()).isEqualTo(RolloutPhase.NEEDS_A_PERSON);
    assertThat(world.store.tokens).isEmpty();
    assertThat(world.ledger.last().outcome()).isEqualTo(dev.poolshift.rollout.Outcome.NEEDS_A_PERSON);
    assertThat(world.notifier.last().subject())
        .isEqualTo("Poolshift ACTION NEEDED: fraud-scoring-prod needs a person");
    assertThat(world.notifier.last().body())
        .contains("SageMaker FailureReason: Unable to provision requested ML compute")
        .contains("accepts only DeleteEndpoint")
        .contains("aws dynamodb delete-item --table-name poolshift-state");
  }

  @Test
  void anUnknownStepNamesItself() {
    assertThatThrownBy(() -> world.run(world.call("launchMissiles")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("step: unknown step \"launchMissiles\"");
  }

  @Test
  void aStepWithoutItsFieldNamesTheMissingField() {
    PlanDocument plan = world.plan();

    assertThatThrownBy(() -> world.run(world.call("shiftTraffic").plan(plan)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("stepIndex: required");
  }

  // ------------------------------------------------------------------ helpers

  private PlanDocument bakingAtFirstStep() {
    PlanDocument plan = world.atFirstStep();
    world.run(world.call("startBake").plan(plan).stepIndex(0).token(BAKE_TOKEN)
        .bakeStartedAt(world.now));
    return plan;
  }

  private StepResults.Judgement judge(PlanDocument plan, int step, Duration after) {
    return (StepResults.Judgement) world.run(world.call("judgeCanary").plan(plan)
        .stepIndex(step).bakeStartedAt(world.now).at(world.now.plus(after)));
  }
}
