package dev.poolshift.rollout.usecase;

import dev.poolshift.rollout.usecase.support.PlanDocument;
import static dev.poolshift.rollout.usecase.RolloutWorld.ENDPOINT;
import static dev.poolshift.rollout.usecase.RolloutWorld.WAIT_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.rollout.endpoint.Observation;
import dev.poolshift.rollout.event.EndpointStateChange;
import org.junit.jupiter.api.Test;

class EndpointEventResponderTest {
  private final RolloutWorld world = new RolloutWorld();
  private final EndpointEventResponder responder =
      new EndpointEventResponder(world.store, world.sageMaker, world.sageMaker, world.callbacks);

  private EndpointEventResponder.Result inService() {
    return responder.handle(EndpointStateChange.parse(Events.envelope("endpoint/in-service.json")));
  }

  /** The canary config is moving in and the rollout's wait for it has parked its token. */
  private PlanDocument waitParkedForTheCanaryFleet() {
    PlanDocument plan = world.canaryLiveUpdating();
    world.run(world.call("awaitEndpoint").plan(plan).phase("canary-fleet").token(WAIT_TOKEN));
    return plan;
  }

  @Test
  void anEventForAnEndpointNobodyWaitsOnIsIgnored() {
    EndpointEventResponder.Result r = inService();

    assertThat(r.outcome()).isEqualTo("IGNORED");
    assertThat(world.sageMaker.describes).isZero();
  }

  @Test
  void anEventThatComesBeforeTheWaitParksItsTokenIsNotLost() {
    PlanDocument plan = world.canaryLiveUpdating();
    world.sageMaker.completeUpdate(ENDPOINT);

    EndpointEventResponder.Result early = inService();
    world.run(world.call("awaitEndpoint").plan(plan).phase("canary-fleet").token(WAIT_TOKEN));

    assertThat(early.outcome()).isEqualTo("IGNORED");
    assertThat(world.callbacks.sent).singleElement().satisfies(c -> {
      assertThat(c.token()).isEqualTo(WAIT_TOKEN);
      assertThat(((Observation) c.output()).endpointConfigName())
          .isEqualTo(plan.canaryConfigName());
    });
  }

  @Test
  void aLateCopyOfAnEarlierEventDoesNotMakeTheNextWaitReadTheEndpoint() {
    PlanDocument plan = world.canaryLiveUpdating();
    world.sageMaker.completeUpdate(ENDPOINT);
    inService(); // the event, then a copy of it: EventBridge delivers at least once
    world.run(world.call("shiftTraffic").plan(plan).stepIndex(0));
    int describes = world.sageMaker.describes;

    world.run(world.call("awaitEndpoint").plan(plan).phase("canary-weights").token(WAIT_TOKEN)
        .movedAt(world.now.plusSeconds(3600)));

    assertThat(world.sageMaker.describes).as("DescribeEndpoint calls").isEqualTo(describes);
    assertThat(world.callbacks.sent).isEmpty();
  }

  @Test
  void anEventForAnEndpointNoRolloutHoldsLeavesNoNote() {
    inService();

    assertThat(world.store.settled).isEmpty();
  }

  @Test
  void anEventSayingTheEndpointIsMovingLeavesTheWaitParkedWithoutReadingTheEndpoint() {
    PlanDocument plan = waitParkedForTheCanaryFleet();
    int describes = world.sageMaker.describes;

    EndpointEventResponder.Result r = responder.handle(
        EndpointStateChange.parse(Events.envelope("endpoint/updating.json")));

    assertThat(r.outcome()).isEqualTo("STILL_IN_PROGRESS");
    assertThat(world.sageMaker.describes).as("every update sends one; no wait ends on it").isEqualTo(describes);
    assertThat(world.store.tokens).isNotEmpty();
    assertThat(world.store.settled).as("no settle noted").isEmpty();

    world.sageMaker.completeUpdate(ENDPOINT);
    assertThat(inService().outcome()).as("the settle event still completes it").isNotEqualTo("STILL_IN_PROGRESS");
    assertThat(world.callbacks.sent).singleElement().satisfies(c -> assertThat(c.token()).isEqualTo(WAIT_TOKEN));
  }

  @Test
  void aCopyArrivingWhileAnotherCopyHandlesTheChangeLeavesTheWaitToItWithoutReadingTheEndpoint() {
    waitParkedForTheCanaryFleet();
    world.sageMaker.completeUpdate(ENDPOINT);
    EndpointStateChange event = EndpointStateChange.parse(Events.envelope("endpoint/in-service.json"));
    // The same change, sent again under another event id, claimed by that copy's invocation,
    // which has not ended the wait yet: both copies came together.
    world.store.firstSighting(ENDPOINT, event.sighting(), "0f3e7b1c-9a2d-4c5e-8f61-2b7d9e4a1c03",
        event.envelope().time());
    int describes = world.sageMaker.describes;

    EndpointEventResponder.Result copy = responder.handle(event);

    assertThat(copy.outcome()).isEqualTo("DUPLICATE_EVENT");
    assertThat(world.sageMaker.describes).as("the copy read nothing").isEqualTo(describes);
    assertThat(world.store.tokens).as("the wait is the other copy's to end").isNotEmpty();
  }

  @Test
  void lambdasRetryOfTheEventThatClaimedTheChangeIsNotACopy() {
    waitParkedForTheCanaryFleet();
    world.sageMaker.completeUpdate(ENDPOINT);
    EndpointStateChange event = EndpointStateChange.parse(Events.envelope("endpoint/in-service.json"));
    // This event claimed the change, then its invocation failed before ending the wait.
    world.store.firstSighting(ENDPOINT, event.sighting(), event.envelope().id(), event.envelope().time());

    EndpointEventResponder.Result retried = responder.handle(event);

    assertThat(retried.outcome()).isEqualTo("COMPLETED");
    assertThat(world.callbacks.sent).singleElement().satisfies(c -> assertThat(c.token()).isEqualTo(WAIT_TOKEN));
  }

  @Test
  void anEventNoWaitIsParkedForClaimsNothing() {
    inService();

    assertThat(world.store.sightings).isEmpty();
  }

  @Test
  void anEventThatCannotNameItsChangeIsStillHandled() {
    PlanDocument plan = waitParkedForTheCanaryFleet();
    world.sageMaker.completeUpdate(ENDPOINT);

    EndpointEventResponder.Result r = responder.handle(EndpointStateChange.parse(Events.envelope(
        "endpoint/in-service.json", d -> d.put("LastModifiedTime", "yesterday"))));

    assertThat(r.outcome()).isEqualTo("COMPLETED");
    assertThat(world.store.sightings).isEmpty();
  }

  @Test
  void theEventsStatusIsNotTrustedDescribeEndpointDecides() {
    PlanDocument plan = waitParkedForTheCanaryFleet();

    // A stale IN_SERVICE event from before the update, delivered late.
    EndpointEventResponder.Result r = inService();

    assertThat(r.outcome()).isEqualTo("STILL_IN_PROGRESS");
    assertThat(world.callbacks.sent).isEmpty();
    assertThat(world.store.tokens).isNotEmpty();
  }

  @Test
  void aSettledEndpointCompletesTheWaitWithTheObservation() {
    PlanDocument plan = waitParkedForTheCanaryFleet();
    world.sageMaker.completeUpdate(ENDPOINT);

    EndpointEventResponder.Result r = inService();

    assertThat(r.outcome()).isEqualTo("COMPLETED");
    assertThat(world.callbacks.sent).singleElement().satisfies(c -> {
      assertThat(c.token()).isEqualTo(WAIT_TOKEN);
      assertThat(((Observation) c.output()).endpointConfigName())
          .isEqualTo(plan.canaryConfigName());
    });
    assertThat(world.store.tokens).isEmpty();
  }

  @Test
  void aFailedEndpointAlsoEndsTheWaitTheVerifyStepJudgesIt() {
    PlanDocument plan = waitParkedForTheCanaryFleet();
    world.sageMaker.status(ENDPOINT, "Failed", "InsufficientInstanceCapacity");

    EndpointEventResponder.Result r = responder.handle(EndpointStateChange.parse(
        Events.envelope("endpoint/failed.json")));

    assertThat(r.outcome()).isEqualTo("COMPLETED");
    assertThat(((Observation) world.callbacks.sent.getFirst().output()).failureReason())
        .isEqualTo("InsufficientInstanceCapacity");
  }

  @Test
  void aDoubledEventOrALateOneAfterTheBackstopIsBenign() {
    PlanDocument plan = waitParkedForTheCanaryFleet();
    world.sageMaker.completeUpdate(ENDPOINT);
    // The workflow's backstop already ended the task: Step Functions says TaskTimedOut.
    world.callbacks.closed.add(WAIT_TOKEN);

    EndpointEventResponder.Result r = inService();
    EndpointEventResponder.Result again = inService();

    assertThat(r.outcome()).isEqualTo("ALREADY_CLOSED");
    assertThat(again.outcome()).isEqualTo("IGNORED");
    assertThat(world.store.tokens).isEmpty();
  }
}
