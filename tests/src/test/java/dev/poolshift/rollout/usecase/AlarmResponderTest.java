package dev.poolshift.rollout.usecase;

import dev.poolshift.rollout.usecase.support.PlanDocument;
import static dev.poolshift.rollout.usecase.RolloutWorld.BAKE_TOKEN;
import static dev.poolshift.rollout.usecase.RolloutWorld.ENDPOINT;
import static dev.poolshift.rollout.usecase.RolloutWorld.EXEC;
import static dev.poolshift.rollout.usecase.RolloutWorld.HOLD_TOKEN;
import static dev.poolshift.rollout.usecase.RolloutWorld.WAIT_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.rollout.CanaryAlarmException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.event.AlarmStateChange;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.port.TokenRegistration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlarmResponderTest {
  private static final String ALARM = "poolshift-fraud-scoring-prod-canary-v42-5xx-rate";
  private final RolloutWorld world = new RolloutWorld();
  private final AlarmResponder responder =
      new AlarmResponder(world.store, world.sageMaker, world.sageMaker, world.callbacks);

  private AlarmResponder.Result alarm() {
    return responder.handle(AlarmStateChange.parse(
        Events.envelope("alarm/canary-5xx-rate-alarm.json")));
  }

  @Test
  void anAlarmDuringABakeRestoresTheBaselineWithOneCallThenFailsTheBake() {
    PlanDocument plan = world.atFirstStep();
    world.run(world.call("startBake").plan(plan).stepIndex(0).token(BAKE_TOKEN)
        .bakeStartedAt(world.now));
    int before = world.sageMaker.mutations.size();

    AlarmResponder.Result r = alarm();

    assertThat(world.sageMaker.mutations.subList(before, world.sageMaker.mutations.size()))
        .containsExactly("UpdateEndpointWeightsAndCapacities " + ENDPOINT
            + " [AllTraffic=1.0, canary-v42=0.0]");
    assertThat(r.weightsRestored()).isTrue();
    assertThat(r.waitsFailed()).containsExactly("BAKE");
    assertThat(world.callbacks.sent).singleElement().satisfies(c -> {
      assertThat(c.success()).isFalse();
      assertThat(c.token()).isEqualTo(BAKE_TOKEN);
      assertThat(c.error()).isEqualTo("dev.poolshift.rollout.CanaryAlarmException");
      assertThat(c.cause()).startsWith("alarm " + ALARM + " is in ALARM: Threshold Crossed");
    });
    assertThat(world.store.tokens).isEmpty();
  }

  @Test
  void theWorkflowsRollbackThenFindsTheWeightsAlreadySet() {
    PlanDocument plan = world.atFirstStep();
    world.run(world.call("startBake").plan(plan).stepIndex(0).token(BAKE_TOKEN)
        .bakeStartedAt(world.now));
    alarm();
    int before = world.sageMaker.mutations.size();

    world.run(world.call("restoreBaselineTraffic").plan(plan));

    assertThat(world.sageMaker.mutations).hasSize(before);
  }

  @Test
  void aCanaryPhaseWaitIsFailedButARollbackPhaseWaitIsNeverTouched() {
    PlanDocument plan = world.atFirstStep();
    world.store.register(new TokenRegistration(ENDPOINT, TokenKind.WAIT, EXEC.name(), WAIT_TOKEN,
        RolloutPhase.CANARY_WEIGHTS, 1, world.now, null, world.now));

    AlarmResponder.Result during = alarm();

    assertThat(during.waitsFailed()).containsExactly("WAIT");

    RolloutWorld back = new RolloutWorld();
    PlanDocument p2 = back.atFirstStep();
    back.run(back.call("restoreBaselineTraffic").plan(p2));
    back.store.register(new TokenRegistration(ENDPOINT, TokenKind.WAIT, EXEC.name(), WAIT_TOKEN,
        RolloutPhase.BASELINE_WEIGHTS, null, back.now, null, back.now));
    AlarmResponder.Result onTheWayBack = new AlarmResponder(back.store, back.sageMaker,
        back.sageMaker, back.callbacks).handle(AlarmStateChange.parse(
            Events.envelope("alarm/canary-5xx-rate-alarm.json")));

    assertThat(onTheWayBack.outcome()).isEqualTo("IGNORED");
    assertThat(back.callbacks.sent).isEmpty();
    assertThat(back.store.tokens).hasSize(1);
  }

  @Test
  void aWaitParkedForTheWayBackIsNeverFailedEvenWhenTheRolloutRecordLagsBehind() {
    world.atFirstStep();
    // The rollback step parked its wait but has not recorded its phase yet.
    world.store.register(new TokenRegistration(ENDPOINT, TokenKind.WAIT, EXEC.name(), WAIT_TOKEN,
        RolloutPhase.BASELINE_WEIGHTS, null, world.now, null, world.now));

    AlarmResponder.Result r = alarm();

    assertThat(r.waitsFailed()).isEmpty();
    assertThat(world.callbacks.sent).isEmpty();
    assertThat(world.store.tokens).hasSize(1);
  }

  @Test
  void anAlarmWhileAStepHoldsForAPersonRollsBackToo() {
    PlanDocument plan = world.atFirstStep();
    world.run(world.call("holdForOperator").plan(plan).stepIndex(0).token(HOLD_TOKEN)
        .reason("not enough data"));

    AlarmResponder.Result r = alarm();

    assertThat(r.waitsFailed()).containsExactly("HOLD");
    assertThat(world.callbacks.sent).singleElement()
        .satisfies(c -> assertThat(c.token()).isEqualTo(HOLD_TOKEN));
  }

  @Test
  void anAlarmBetweenTwoWaitsTurnsTheNextStepAround() {
    PlanDocument plan = world.atFirstStep();

    AlarmResponder.Result r = alarm();

    assertThat(r.waitsFailed()).isEmpty();
    assertThat(r.weightsRestored()).isTrue();
    assertThatThrownBy(() -> world.run(world.call("shiftTraffic").plan(plan).stepIndex(1)))
        .isInstanceOf(CanaryAlarmException.class).hasMessageContaining(ALARM);
  }

  @Test
  void aBusyEndpointStillGetsItsWaitFailedTheRollbackRetriesTheWeights() {
    PlanDocument plan = world.atFirstStep();
    world.run(world.call("startBake").plan(plan).stepIndex(0).token(BAKE_TOKEN)
        .bakeStartedAt(world.now));
    world.run(world.call("shiftTraffic").plan(plan).stepIndex(1));

    AlarmResponder.Result r = alarm();

    assertThat(r.weightsRestored()).isFalse();
    assertThat(r.waitsFailed()).containsExactly("BAKE");
  }

  @Test
  void alarmsThatGuardNoRolloutAreIgnored() {
    AlarmResponder.Result r = alarm();

    assertThat(r.outcome()).isEqualTo("IGNORED");
    assertThat(world.sageMaker.mutations).isEmpty();
    assertThat(world.callbacks.sent).isEmpty();
  }

  @Test
  void theAlarmIsKeptInTheRolloutsHistory() {
    world.atFirstStep();

    alarm();

    assertThat(world.store.rollouts.get(ENDPOINT).history()).last().satisfies(h ->
        assertThat(RolloutWorld.json(h)).containsEntry("kind", "alarm").containsEntry("alarm", ALARM)
            .containsEntry("weightsRestored", true));
    assertThat(List.copyOf(world.store.rollouts.get(ENDPOINT).history())).hasSize(3);
  }
}
