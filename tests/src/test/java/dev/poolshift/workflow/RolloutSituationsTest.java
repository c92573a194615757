package dev.poolshift.workflow;

import static dev.poolshift.workflow.Rehearsal.ENDPOINT;
import static dev.poolshift.workflow.Rehearsal.V1;
import static dev.poolshift.workflow.Rehearsal.at;
import static dev.poolshift.workflow.Rehearsal.fault;
import static dev.poolshift.workflow.Rehearsal.model;
import static dev.poolshift.workflow.Rehearsal.profile;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.cloudwatch.AlarmStateValue;
import dev.poolshift.local.cloudwatch.AlarmTransition;
import dev.poolshift.local.events.PutEventsEntry;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.lambda.Invocation;
import dev.poolshift.local.lambda.InvokeRequest;
import dev.poolshift.local.sagemaker.EndpointMoment;
import dev.poolshift.local.sagemaker.SageMakerMutation;
import dev.poolshift.local.sfn.Execution;
import dev.poolshift.local.sns.SnsService;
import dev.poolshift.local.template.RuleDef;
import dev.poolshift.rollout.endpoint.ManagedTag;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The situations a rollout must survive (docs/situations.md), one test or more each, on the local
 * runtime with the real template, workflow and handlers. Each test asserts the situation's safe
 * outcome and then the invariants every workflow run must leave ({@link WorkflowInvariants}).
 * Console input validation is tested in {@link BadConsoleInputTest}, and the queue and supersede
 * concurrency policies in {@link ConcurrencyTest}.
 */
class RolloutSituationsTest {
  /** The budgets of docs/situations.md, in virtual seconds. */
  static final double T_ACT = 5;
  static final Duration T_RECONCILE = Duration.ofMinutes(5);
  /** One Updating cycle of a weight change (SageMaker simulator default) plus event and Lambda latency. */
  static final double T_RESTORE = 45 + T_ACT;
  static final String WEIGHTS = "UpdateEndpointWeightsAndCapacities";
  static final String CANARY_5XX_ALARM = "poolshift-fraud-scoring-prod-canary-v2-5xx-rate";
  static final String GATE_ALARM = "fraud-scoring-prod-model-latency-p99";

  @BeforeAll
  static void warmUp() {
    // Class loading and JIT are paid once, not by the first test.
    try (Rehearsal r = Rehearsal.of("happy-path.json", RolloutSituationsTest::quick)) {
      r.finish();
    }
  }

  @Nested
  @DisplayName("Event intake and idempotency")
  class EventIntake {
    static final String APPROVAL_RULE = "ApprovalIntakeFunctionPackageApproved";

    @Test
    @DisplayName("Duplicate approval event 0.5 s apart: exactly one execution, both runs succeed, nothing in a DLQ")
    void aDuplicateApprovalEventStartsExactlyOneExecution() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {
        quick(s);
        at(s, 0, "fault", fault("events", "duplicate").put("rule", APPROVAL_RULE).put("gapSeconds", 0.5));
      })) {
        r.finish();

        assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
        assertThat(r.invocations("ApprovalIntakeFunction")).hasSize(2)
            .allSatisfy(i -> assertThat(i.outcome().name()).isEqualTo("SUCCESS"));
        assertThat(r.logsContaining("ApprovalIntakeFunction", "duplicate approval")).hasSize(1);
        assertThat(r.runtime().lambda().deadLetterMessages()).isEmpty();
        assertThat(r.runtime().events().deadLetters()).isEmpty();
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Approval redelivered hours after the rollout finished: handled as a duplicate, no endpoint change")
    void anApprovalRedeliveredAfterTheRolloutFinishedChangesNothing() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {
        quick(s);
        at(s, 0, "fault", fault("events", "duplicate").put("rule", APPROVAL_RULE).put("gapSeconds", 4 * 3600));
      })) {
        r.finish();

        JsonNode execution = r.onlyExecution();
        assertThat(execution.path("outcome").asText()).isEqualTo("PROMOTED");
        Instant ended = r.start().plusMillis((long) (execution.path("endedAtSeconds").asDouble() * 1000));
        List<Invocation> intake = r.invocations("ApprovalIntakeFunction");
        assertThat(intake).hasSize(2);
        assertThat(intake.get(1).start()).isAfter(ended.plus(Duration.ofHours(2)));
        assertThat(r.logsContaining("ApprovalIntakeFunction", "duplicate approval")).hasSize(1);
        assertThat(after(r.accepted(null), ended)).as("SageMaker mutations after the rollout ended").isEmpty();
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Several events for one change and metadata-only updates: one execution")
    void severalEventsForOneApprovalAndMetadataUpdatesStartOneExecution() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {
        quick(s);
        at(s, 90, "updatePackageMetadata", LocalJson.object().put("modelPackage", "fraud-scoring/2")
            .set("customerMetadataProperties", LocalJson.object().put("owner", "risk-team")));
        at(s, 120, "updatePackageMetadata", LocalJson.object().put("modelPackage", "fraud-scoring/2")
            .set("customerMetadataProperties", LocalJson.object().put("ticket", "RISK-1234")));
      })) {
        r.runtime().sageMaker().setModelPackageEventCopies(3);
        r.finish();

        assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
        long packageEvents = r.runtime().events().events().stream()
            .filter(e -> e.event().path("detail-type").asText().equals("SageMaker Model Package State Change")).count();
        assertThat(packageEvents).as("3 copies of the approval and of each metadata update").isEqualTo(9);
        assertThat(r.logsContaining("ApprovalIntakeFunction", "rollout started for the approval")).hasSize(1);
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Approval for a group without a profile: no execution, a log line naming the group, no SageMaker change")
    void anApprovalForAGroupWithoutAProfileStartsNothing() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {
        ((ArrayNode) s.with("world").withArray("modelPackageGroups")).addObject()
            .put("name", "churn-model").putArray("versions").addObject().put("approval", "PendingManualApproval");
        at(s, 30, "approve", text("churn-model/1"));
        Rehearsal.timeline(s).remove(0);
      })) {
        r.finish();

        assertThat(r.executions()).isEmpty();
        assertThat(r.logsContaining("ApprovalIntakeFunction", "no deployment profile for model package group churn-model"))
            .hasSize(1);
        assertThat(r.accepted(null)).isEmpty();
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Approved, then rejected before the intake ran: no execution, not confirmed by DescribeModelPackage")
    void anApprovalTheRegistryNoLongerConfirmsStartsNothing() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {
        at(s, 0, "fault", fault("events", "delay").put("rule", APPROVAL_RULE).put("seconds", 30));
        at(s, 65, "reject", text("fraud-scoring/2"));
      })) {
        r.finish();

        assertThat(r.executions()).isEmpty();
        assertThat(r.logsContaining("ApprovalIntakeFunction", "approval not confirmed by DescribeModelPackage"))
            .hasSize(1);
        assertThat(r.accepted(null)).isEmpty();
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Rejected while the canary is at 10%: back on the baseline within T_restore, RolledBack")
    void aRejectionDuringTheCanaryRollsBack() {
      double rejectAt = 700;
      try (Rehearsal r = Rehearsal.of("happy-path.json",
          s -> at(s, rejectAt, "reject", text("fraud-scoring/2")))) {
        r.finish();

        JsonNode execution = r.onlyExecution();
        assertThat(execution.path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(execution.path("cause").asText()).contains("rejected in the Model Registry");
        assertThat(r.entered("Shift traffic to the canary weight")).isEqualTo(1);
        JsonNode rollback = r.onlyRollback();
        assertThat(rollback.path("baselineRestoredAtSeconds").asDouble() - rejectAt)
            .as("rejection → all traffic on the baseline; %s", rollback).isLessThanOrEqualTo(T_RESTORE);
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Two approvals for one endpoint seconds apart (policy reject): one rollout writes, the other is refused")
    void aSecondApprovalForALockedEndpointIsRefusedWithoutWriting() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {
        quick(s).put("concurrencyPolicy", "reject");
        addVersion(s);
        at(s, 62, "approve", text("fraud-scoring/3"));
      })) {
        r.finish();

        assertThat(r.executions()).hasSize(2);
        JsonNode first = r.executions().get(0);
        JsonNode second = r.executions().get(1);
        assertThat(first.path("outcome").asText()).isEqualTo("PROMOTED");
        assertThat(second.path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(second.path("cause").asText()).contains("locked by execution " + first.path("name").asText());
        assertThat(stateNames(r, second.path("name").asText())).doesNotContain("Create the models");
        assertThat(r.rejected("ValidationException")).as("no 'Cannot update in-progress endpoint'").isEmpty();
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Approval event from another account: ignored, security log entry")
    void anApprovalFromAnotherAccountIsIgnoredAndLogged() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> Rehearsal.timeline(s).remove(0))) {
        ObjectNode event = sampleApproval();
        String foreign = "arn:aws:sagemaker:us-east-1:444455556666:model-package/fraud-scoring/2";
        event.put("account", "444455556666").putArray("resources").add(foreign);
        ((ObjectNode) event.get("detail")).put("ModelPackageArn", foreign);
        r.runtime().events().injectEvent("default", event);
        r.finish();

        assertThat(r.invocations("ApprovalIntakeFunction")).hasSize(1);
        assertThat(r.executions()).isEmpty();
        assertThat(r.logsContaining("ApprovalIntakeFunction", "from another account or Region refused"))
            .singleElement().satisfies(l -> assertThat(l.text()).contains("\"security\":true"));
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Forged events: aws.sagemaker refused, look-alike source unmatched, direct invoke confirms with the registry")
    void forgedApprovalEventsStartNothing() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> Rehearsal.timeline(s).remove(0))) {
        String detail = LocalJson.write(sampleApproval().get("detail"));
        List<PutEventsEntry.Result> put = r.runtime().events().putEvents(List.of(
            PutEventsEntry.of("aws.sagemaker", "SageMaker Model Package State Change", detail),
            PutEventsEntry.of("com.acme.sagemaker", "SageMaker Model Package State Change",
                detail)));
        assertThat(put.get(0).errorCode()).isEqualTo("NotAuthorizedForSourceException");
        assertThat(put.get(1).errorCode()).isNull();
        // A direct invoke (a principal allowed lambda:InvokeFunction by its own IAM policy) with a
        // forged approval of a version the registry has not approved.
        ObjectNode forged = sampleApproval().put("id", "forged-1");
        String pending = "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/2";
        ((ObjectNode) forged.get("detail")).put("ModelPackageArn", pending)
            .put("ModelPackageVersion", 2);
        String[] answer = new String[1];
        r.runtime().simulation().spawn("forger", () -> answer[0] = new String(r.runtime().lambda().invoke(
            InvokeRequest.of(intakeName(r), LocalJson.write(forged))).payload(),
            StandardCharsets.UTF_8));
        r.finish();

        assertThat(r.invocations("ApprovalIntakeFunction")).as("only the direct invoke reached the function").hasSize(1);
        assertThat(answer[0]).contains("IGNORED").contains("approval not confirmed by DescribeModelPackage");
        assertThat(r.executions()).isEmpty();
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Malformed approval event: one dead-letter record with the reason, bounded attempts, no execution")
    void aMalformedApprovalEventIsDeadLetteredOnce() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> Rehearsal.timeline(s).remove(0))) {
        ObjectNode event = sampleApproval();
        ((ObjectNode) event.get("detail")).remove("ModelPackageArn");
        r.runtime().events().injectEvent("default", event);
        r.finish();

        assertThat(r.executions()).isEmpty();
        assertThat(r.invocations("ApprovalIntakeFunction")).as("Lambda's own two retries, no more")
            .hasSizeLessThanOrEqualTo(3);
        assertThat(r.runtime().lambda().deadLetterMessages()).singleElement()
            .satisfies(m -> assertThat(m.attributes().get("ErrorMessage")).contains("ModelPackageArn"));
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Intake throttled to zero for longer than Lambda keeps the event: dead-lettered, replayed, started once")
    void anApprovalTheIntakeCouldNotTakeIsDeadLetteredAndReplayedOnce() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {
        quick(s);
        at(s, 0, "fault", LocalJson.object().put("lambda", "ApprovalIntakeFunction").put("throttleAll", true));
      })) {
        r.runUntil("the approval in the intake's dead-letter queue",
            () -> !r.runtime().lambda().deadLetterMessages().isEmpty(), Duration.ofHours(8));
        assertThat(r.runtime().stepFunctions().executions()).isEmpty();
        r.runtime().lambda().function("ApprovalIntakeFunction").faults().clear();
        String body = r.runtime().lambda().deadLetterMessages().get(0).body();
        // The replay an operator runs (twice, by mistake): the dead-lettered event, invoked again.
        for (int i = 0; i < 2; i++) {
          r.runtime().simulation().spawn("replay " + i,
              () -> r.runtime().lambda().invoke(InvokeRequest.of(intakeName(r), body)));
        }
        r.finish();

        assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
        assertThat(r.logsContaining("ApprovalIntakeFunction", "duplicate approval")).hasSize(1);
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Intake function gone: EventBridge puts the approval in the rule's dead-letter queue")
    void anApprovalEventBridgeCannotDeliverLandsInTheRuleDeadLetterQueue() {
      try (Rehearsal r = Rehearsal.of("happy-path.json",
          s -> at(s, 0, "fault", LocalJson.object().put("lambda", "ApprovalIntakeFunction").put("unavailable", true)))) {
        r.finish();

        assertThat(r.executions()).isEmpty();
        assertThat(r.runtime().events().deadLetters()).singleElement().satisfies(d -> {
          assertThat(d.queueArn()).endsWith(":" + r.runtime().template().queues().get("IntakeDeadLetterQueue").name());
          assertThat(d.body()).contains("fraud-scoring/2");
        });
        r.assertInvariants();
      }
    }
  }

  @Nested
  @DisplayName("Workflow control, callbacks and operators")
  class WorkflowControl {

    @Test
    @DisplayName("Operator stops the execution at 10% while it waits on a token: baseline within T_reconcile, late callback benign")
    void anExecutionStoppedDuringTheCanaryIsPutBackByTheReconciler() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {})) {
        r.runUntilState("Shift traffic to the canary weight");
        long waits = r.entered("Wait for the endpoint to settle");
        r.runUntil("the 10% weights wait parked", () -> r.entered("Wait for the endpoint to settle") > waits,
            Duration.ofMinutes(1));
        Instant stoppedAt = stop(r);
        r.finish();
        // Traffic first (T_reconcile), then the fleet back on the baseline config (a fleet launch).
        r.runUntilUnlocked(Duration.ofMinutes(20));
        r.reportAgain();

        assertThat(r.onlyExecution().path("status").asText()).isEqualTo("ABORTED");
        Instant restored = baselineSince(r, stoppedAt);
        assertThat(Duration.between(stoppedAt, restored)).as("stop → all traffic on v1").isLessThanOrEqualTo(T_RECONCILE);
        assertThat(r.logsContaining("EndpointEventsFunction", "wait had already ended")).isNotEmpty();
        assertThat(r.invocations("EndpointEventsFunction")).extracting(Invocation::outcome)
            .containsOnly(Invocation.Outcome.SUCCESS);
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Operator stops while the 50% weight update is in flight: waits for InService, then the baseline; never left at 50%")
    void anExecutionStoppedDuringAWeightUpdateEndsOnTheBaseline() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {})) {
        r.runUntil("the 50% weight update accepted", () -> r.accepted(WEIGHTS).size() >= 2, Duration.ofHours(2));
        assertThat(r.runtime().sageMaker().requireEndpoint(ENDPOINT).status()).isEqualTo("Updating");
        Instant stoppedAt = stop(r);
        r.finish();
        r.runUntilUnlocked(Duration.ofMinutes(20));
        r.reportAgain();

        Instant restored = baselineSince(r, stoppedAt);
        assertThat(Duration.between(stoppedAt, restored)).isLessThanOrEqualTo(T_RECONCILE);
        assertThat(r.runtime().sageMaker().requireEndpoint(ENDPOINT).configName())
            .isEqualTo("fraud-scoring-prod-config-initial");
        assertThat(r.rejected("ValidationException")).as("no endpoint write while it was Updating")
            .noneMatch(m -> m.operation().equals(WEIGHTS) || m.operation().equals("UpdateEndpoint"));
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("StartExecution throttled: the intake retries with back-off, still one execution")
    void aThrottledStartExecutionIsRetriedIntoExactlyOneExecution() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {
        quick(s);
        at(s, 0, "fault", fault("stepfunctions", "failNext").put("operation", "StartExecution")
            .put("code", "ThrottlingException").put("message", "Rate exceeded").put("times", 4));
      })) {
        r.finish();

        assertThat(r.runtime().stepFunctions().faults().answered("StartExecution")).isEqualTo(4);
        assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Endpoint events lost (rule disabled): each wait falls back to DescribeEndpoint within its bound")
    void lostEndpointEventsCostAtMostOneBackstopPerWait() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s ->
          at(s, 0, "fault", fault("events", "disableRule").put("rule", "EndpointEventsFunctionEndpointStateChanged")))) {
        r.finish();

        assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
        assertThat(r.invocations("EndpointEventsFunction")).isEmpty();
        assertThat(r.entered("Read the endpoint after the backstop")).isPositive();
        Instant fleetLive = firstVisible(r, m -> m.configName().startsWith(ENDPOINT + "-v2-canary")
            && m.status().equals("InService"));
        Instant noticed = r.enteredAt("Check the canary fleet").get(0);
        // A new fleet's backstop is the template's FleetWaitBackstopSeconds (900 by default).
        assertThat(Duration.between(fleetLive, noticed)).as("canary fleet InService → noticed")
            .isLessThanOrEqualTo(Duration.ofSeconds(900 + 5));
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Every endpoint event delivered twice: each wait completes once, the workflow advances one step per wait")
    void doubledCallbacksAdvanceTheWorkflowExactlyOnce() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> at(s, 0, "fault",
          fault("events", "duplicate").put("rule", "EndpointEventsFunctionEndpointStateChanged").put("gapSeconds", 0.2)))) {
        r.finish();

        assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
        assertThat(r.entered("Shift traffic to the canary weight")).isEqualTo(3);
        assertThat(r.entered("Bake under alarms")).isEqualTo(3);
        assertThat(r.entered("Check the canary fleet")).isEqualTo(1);
        assertThat(r.entered("Verify the promoted endpoint")).isEqualTo(1);
        assertThat(r.invocations("EndpointEventsFunction")).extracting(Invocation::outcome)
            .containsOnly(Invocation.Outcome.SUCCESS);
        assertThat(r.logsContaining("EndpointEventsFunction", "no rollout waits on this endpoint")).isNotEmpty();
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Another endpoint changes while the rollout waits: its events are ignored, the rollout's wait untouched")
    void eventsOfAnotherEndpointLeaveTheRolloutAlone() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {
        // Another team's endpoint: never handed to Poolshift, so no poolshift:managed tag.
        ObjectNode other = ((ArrayNode)
            s.with("world").withArray("endpoints")).addObject().put("name", "search-prod");
        other.putArray("variants").addObject().put("modelPackage", "fraud-scoring/1").put("instanceType", "ml.c6i.xlarge");
      })) {
        r.runUntilState("Wait for the endpoint to settle");
        r.runtime().sageMaker().invoke("UpdateEndpointWeightsAndCapacities", (ObjectNode)
            LocalJson.parse("{\"EndpointName\":\"search-prod\",\"DesiredWeightsAndCapacities\":"
                + "[{\"VariantName\":\"AllTraffic\",\"DesiredInstanceCount\":2}]}"));
        r.finish();

        assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
        assertThat(r.logsContaining("EndpointEventsFunction", "no rollout waits on this endpoint"))
            .anySatisfy(l -> assertThat(l.text()).contains("search-prod"));
        assertThat(r.entered("Check the canary fleet")).isEqualTo(1);
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("A stale token of the previous rollout is called back: TaskTimedOut, benign, the current rollout unaffected")
    void aStaleCallbackFromThePreviousRolloutIsHarmless() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {
        quick(s);
        addVersion(s);
      })) {
        r.runUntil("v2's wait token parked", () -> waitItem(r) != null, Duration.ofHours(1));
        JsonNode staleWait = waitItem(r);
        r.runUntil("v2's rollout ended", () -> r.runtime().stepFunctions().allExecutionsEnded()
            && !r.runtime().stepFunctions().executions().isEmpty(), Duration.ofHours(3));
        approveNow(r, "fraud-scoring/3");
        r.runUntilState("Bake under alarms", 2);
        // A leftover of v2's rollout: its wait item, as if a delete had been lost, then an endpoint event.
        r.runtime().dynamoDb().call("PutItem", LocalJson.object().put("TableName", stateTable(r)).set("Item", staleWait));
        r.runtime().events().injectEvent("default", inService(r));
        r.finish();

        assertThat(r.executions()).hasSize(2);
        assertThat(r.executions().get(1).path("outcome").asText()).isEqualTo("PROMOTED");
        assertThat(r.logsContaining("EndpointEventsFunction", "wait had already ended")).isNotEmpty();
        assertThat(r.entered("Bake under alarms")).isEqualTo(2);
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("The step function times out after issuing the weight update: the retry sets the same weights, no step skipped or doubled")
    void aWeightStepRetriedAfterATimeoutSetsTheSameWeightsOnce() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {})) {
        r.runUntilLogged("canary fleet verified");
        r.runtime().lambda().function("RolloutStepsFunction").faults().timeoutNext(1);
        r.finish();

        assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
        assertThat(r.invocations("RolloutStepsFunction")).extracting(Invocation::outcome)
            .contains(Invocation.Outcome.TIMEOUT);
        assertThat(r.accepted(WEIGHTS)).as("10%, 50%, 100%: one accepted call each").hasSize(3);
        assertThat(r.logsContaining("RolloutStepsFunction", "weights already desired")).hasSize(1);
        assertThat(r.entered("Bake under alarms")).isEqualTo(3);
        r.assertInvariants();
      }
    }
  }

  @Nested
  @DisplayName("SageMaker API behaviour")
  class SageMakerApi {

    @Test
    @DisplayName("DescribeEndpoint throttled half the time for 3 minutes: retried, never advanced on an unverified read")
    void aThrottledDescribeEndpointNeitherFailsNorAdvancesTheRollout() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> at(s, 600, "fault",
          fault("sagemaker", "throttle").put("operation", "DescribeEndpoint").put("rate", 0.5).put("forSeconds", 180)))) {
        r.finish();

        assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
        for (SageMakerMutation shift : r.accepted(WEIGHTS)) {
          assertThat(visibleAt(r, shift.time()).status()).as("endpoint when weights were shifted at %s", shift.time())
              .isEqualTo("InService");
        }
        List<Instant> polls = r.enteredAt("Read the endpoint after the backstop");
        for (int i = 1; i < polls.size(); i++) {
          assertThat(Duration.between(polls.get(i - 1), polls.get(i))).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        }
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Weight update refused with 'Cannot update in-progress endpoint': retried until accepted, the step not marked done before")
    void aWeightUpdateRefusedAsInProgressIsRetriedUntilAccepted() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> at(s, 600, "fault",
          fault("sagemaker", "failNext").put("operation", WEIGHTS).put("code", "ValidationException")
              .put("message", "Cannot update in-progress endpoint \"arn:aws:sagemaker:us-east-1:111122223333:endpoint/"
                  + ENDPOINT + "\".").put("times", 3)))) {
        r.finish();

        assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
        List<SageMakerMutation> refused = r.rejected("ValidationException");
        assertThat(refused).hasSize(3).allSatisfy(m -> assertThat(m.operation()).isEqualTo(WEIGHTS));
        Instant accepted = r.accepted(WEIGHTS).get(0).time();
        assertThat(Duration.between(refused.get(0).time(), accepted)).as("retried with back-off, not at once")
            .isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(r.enteredAt("Wait for the endpoint to settle").stream().filter(t -> t.isAfter(refused.get(0).time())
            && t.isBefore(accepted))).as("no wait for weights that were never accepted").isEmpty();
        assertThat(r.entered("Shift traffic to the canary weight")).isEqualTo(3);
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Endpoint SystemUpdating (maintenance) when the canary fleet is ready: waits, bounded, writes nothing until InService")
    void aRolloutWaitsOutMaintenanceWithoutWriting() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> at(s, 600, "fault",
          fault("sagemaker", "systemUpdating").put("endpoint", ENDPOINT).put("forSeconds", 600)))) {
        r.finish();

        assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
        Instant maintenanceEnd = firstVisible(r,
            m -> m.status().equals("InService") && m.at().isAfter(r.start().plusSeconds(600)));
        assertThat(firstVisible(r, m -> m.status().equals("SystemUpdating"))).isBefore(maintenanceEnd);
        assertThat(r.accepted(WEIGHTS).get(0).time()).isAfterOrEqualTo(maintenanceEnd);
        assertThat(r.rejected("ValidationException")).as("no write tried while SystemUpdating").isEmpty();
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("No capacity in any pool: the endpoint stays on its config, no canary, the unused config deleted")
    void aMigrationWithNoCapacityAnywhereLeavesTheEndpointAsItWas() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {
        ObjectNode capacity = s.with("capacity");
        capacity.putArray("ml.g5.2xlarge").addObject().put("at", 0).put("available", 2);
        capacity.putArray("ml.g5.4xlarge").addObject().put("at", 0).put("available", 0);
        capacity.putArray("ml.g6.2xlarge").addObject().put("at", 0).put("available", 0);
      })) {
        r.finish();

        JsonNode execution = r.onlyExecution();
        assertThat(execution.path("status").asText()).isEqualTo("FAILED");
        assertThat(execution.path("cause").asText()).contains("did not complete the canary update");
        assertThat(r.accepted(WEIGHTS)).as("no canary traffic").isEmpty();
        assertThat(r.entered("Shift traffic to the canary weight")).isZero();
        SageMakerMutation deleted = r.accepted("DeleteEndpointConfig").stream()
            .filter(m -> m.resource().contains("-canary-")).findFirst().orElseThrow();
        assertThat(visibleAt(r, deleted.time()).configName()).isEqualTo("fraud-scoring-prod-config-initial");
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Container health check fails on the canary fleet: detected, no canary, baseline kept, FAILED (no traffic moved)")
    void aCanaryFleetFailingItsHealthCheckRollsBackBeforeAnyTraffic() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> at(s, 30, "fault",
          fault("sagemaker", "failNextDeploymentHealthCheck").put("endpoint", ENDPOINT)))) {
        r.finish();

        JsonNode execution = r.onlyExecution();
        assertThat(execution.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(execution.path("cause").asText()).contains("no traffic moved");
        assertThat(r.accepted(WEIGHTS)).isEmpty();
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Canary lands partly on a fallback type where it fails: the per-InstanceType alarm catches it")
    void aCanaryFailingOnlyOnAFallbackTypeIsCaughtByItsInstanceTypeAlarm() {
      try (Rehearsal r = Rehearsal.of("fallback-type-failure.json", s -> {})) {
        r.finish();

        JsonNode rollback = r.onlyRollback();
        assertThat(rollback.path("alarmName").asText()).isEqualTo("poolshift-ranking-prod-canary-v2-5xx-rate-g6-2xlarge");
        assertThat(transitions(r, "poolshift-ranking-prod-canary-v2-5xx-rate"))
            .as("the variant aggregate alarm never fired").noneMatch(t -> t.to() == AlarmStateValue.ALARM);
        assertThat(rollback.path("tActSeconds").asDouble()).isBetween(0.0, T_ACT);
        JsonNode fleet = ledgerFleet(r);
        assertThat(fleet.toString()).contains("ml.g5.2xlarge").contains("ml.g6.2xlarge");
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Canary lands on a fallback type and the profile does not allow it: the fleet goes back before any traffic, FAILED")
    void aFallbackLandingIsRefusedWhenThePolicyForbidsIt() {
      try (Rehearsal r = Rehearsal.of("gpu-shortage.json", s -> profile(s).put("fallbackPolicy", "fail"))) {
        r.finish();

        JsonNode execution = r.onlyExecution();
        assertThat(execution.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(execution.path("cause").asText()).contains("ml.g5.4xlarge");
        assertThat(r.accepted(WEIGHTS)).isEmpty();
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Endpoint ends UpdateRollbackFailed: no further automated writes, a person is paged with the FailureReason")
    void anEndpointThatCannotRollBackIsLeftToAPerson() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> at(s, 30, "fault",
          fault("sagemaker", "failNextUpdateRollback").put("endpoint", ENDPOINT)))) {
        r.finish();

        JsonNode execution = r.onlyExecution();
        assertThat(execution.path("outcome").asText()).isEqualTo("NEEDS_A_PERSON");
        String reason = r.runtime().sageMaker().requireEndpoint(ENDPOINT).failureReason();
        assertThat(r.runtime().sageMaker().requireEndpoint(ENDPOINT).status()).isEqualTo("UpdateRollbackFailed");
        Instant failedAt = firstVisible(r, m -> m.status().equals("UpdateRollbackFailed"));
        assertThat(after(r.accepted(null), failedAt)).as("writes after UpdateRollbackFailed").isEmpty();
        assertThat(notifications(r)).anySatisfy(m -> assertThat(m.message()).contains(reason));
        // Nothing automated may touch it later either: the reconciler leaves a lock that needs a person.
        r.runtime().simulation().advance(Duration.ofMinutes(15));
        assertThat(after(r.accepted(null), failedAt)).isEmpty();
        WorkflowInvariants.assertHoldForAPerson(r.runtime(), r.reportAgain());
      }
    }
  }

  @Nested
  @DisplayName("An autoscaled variant during the migration")
  class AutoscaledVariant {
    static final String VARIANT = "AllTraffic";

    @Test
    @DisplayName("Autoscaled single-type variant moved onto pools: out of auto scaling meanwhile, promoted, registered again with the same min, max and policies")
    void anAutoscaledVariantIsPromotedOntoPoolsWithItsAutoScalingPutBackExactly() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", RolloutSituationsTest::autoscaled)) {
        r.runUntilState("Shift traffic to the canary weight");
        boolean registeredDuringCanary = r.runtime().autoScaling().isVariantRegistered(ENDPOINT, VARIANT);
        r.finish();

        assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
        assertThat(registeredDuringCanary).as("registered while the canary ran").isFalse();
        assertThat(r.rejected("ValidationException")).as("UpdateEndpoint calls SageMaker refused")
            .noneMatch(m -> m.operation().equals("UpdateEndpoint"));
        String finalConfig = r.runtime().sageMaker().requireEndpoint(ENDPOINT).configName();
        JsonNode variant = r.runtime().sageMaker().invoke("DescribeEndpointConfig",
            LocalJson.object().put("EndpointConfigName", finalConfig)).path("ProductionVariants").get(0);
        assertThat(variant.path("VariantName").asText()).isEqualTo(VARIANT);
        assertThat(variant.path("InstancePools")).as("the variant now runs on pools").hasSize(3);
        JsonNode after = WorkflowInvariants.autoscaling(r.runtime());
        assertThat(after.path("targets")).singleElement().satisfies(t -> {
          assertThat(t.path("ResourceId").asText()).isEqualTo("endpoint/" + ENDPOINT + "/variant/" + VARIANT);
          assertThat(t.path("MinCapacity").asInt()).isEqualTo(2);
          assertThat(t.path("MaxCapacity").asInt()).isEqualTo(6);
          assertThat(t.path("SuspendedState").path("ScheduledScalingSuspended").asBoolean()).isTrue();
        });
        assertThat(after.path("policies")).hasSize(2);
        assertThat(WorkflowInvariants.sameSettings(after.path("policies"), r.autoscalingBefore().path("policies")))
            .as("every policy with every setting: %s vs %s", after.path("policies"), r.autoscalingBefore().path("policies"))
            .isTrue();
        assertThat(after.path("scheduledActions")).singleElement().satisfies(a -> {
          assertThat(a.path("ScheduledActionName").asText()).isEqualTo("fraud-scoring-prod-morning-peak");
          assertThat(a.path("Timezone").asText()).isEqualTo("Europe/Berlin");
        });
        assertThat(WorkflowInvariants.sameSettings(after.path("scheduledActions"),
            r.autoscalingBefore().path("scheduledActions")))
            .as("every scheduled action with every setting: %s vs %s", after.path("scheduledActions"),
                r.autoscalingBefore().path("scheduledActions"))
            .isTrue();
        assertThat(ledgerFleet(r).toString()).as("the ledger keeps what was taken out")
            .contains("autoscaling-suspended").contains("fraud-scoring-prod-backlog-step")
            .contains("fraud-scoring-prod-morning-peak");
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Autoscaled variant, bad model rolled back: auto scaling put back on the baseline")
    void aRolledBackRolloutPutsTheBaselinesAutoScalingBack() {
      try (Rehearsal r = Rehearsal.of("bad-model.json", RolloutSituationsTest::autoscaled)) {
        r.finish();

        assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(r.rejected("ValidationException")).noneMatch(m -> m.operation().equals("UpdateEndpoint"));
        assertThat(r.runtime().autoScaling().isVariantRegistered(ENDPOINT, VARIANT)).isTrue();
        assertThat(WorkflowInvariants.autoscaling(r.runtime()).path("scheduledActions"))
            .as("the morning scale-up survives the rollback").hasSize(1);
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Autoscaled variant, execution stopped mid-canary: the reconciler puts the endpoint back, then its auto scaling")
    void theReconcilerPutsAStoppedRolloutsAutoScalingBack() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", RolloutSituationsTest::autoscaled)) {
        r.runUntilState("Shift traffic to the canary weight");
        long waits = r.entered("Wait for the endpoint to settle");
        r.runUntil("the 10% weights wait parked", () -> r.entered("Wait for the endpoint to settle") > waits,
            Duration.ofMinutes(1));
        stop(r);
        r.runUntil("the stopped execution ended", () -> r.runtime().stepFunctions().allExecutionsEnded(),
            Duration.ofMinutes(1));
        assertThat(r.runtime().autoScaling().isVariantRegistered(ENDPOINT, VARIANT)).as("before the reconciler").isFalse();
        r.runUntilUnlocked(Duration.ofMinutes(20));
        r.reportAgain();

        assertThat(r.onlyExecution().path("status").asText()).isEqualTo("ABORTED");
        assertThat(r.logsContaining("ReconcilerFunction", "auto scaling put back")).hasSize(1);
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Autoscaled variant, no capacity in any pool: no canary, auto scaling put back")
    void aMigrationWithNoCapacityPutsTheAutoScalingBack() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {
        autoscaled(s);
        ObjectNode capacity = s.with("capacity");
        capacity.putArray("ml.g5.2xlarge").addObject().put("at", 0).put("available", 2);
        capacity.putArray("ml.g5.4xlarge").addObject().put("at", 0).put("available", 0);
        capacity.putArray("ml.g6.2xlarge").addObject().put("at", 0).put("available", 0);
      })) {
        r.finish();

        assertThat(r.onlyExecution().path("status").asText()).isEqualTo("FAILED");
        assertThat(r.accepted(WEIGHTS)).as("no canary traffic").isEmpty();
        assertThat(r.runtime().autoScaling().isVariantRegistered(ENDPOINT, VARIANT)).isTrue();
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Auto scaling cannot be put back: the lock stays and a person is paged with the commands to re-apply it")
    void aRefusedRestoreIsLeftToAPersonWithTheSetupInThePage() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", RolloutSituationsTest::autoscaled)) {
        r.runtime().autoScaling().failNext("RegisterScalableTarget", dev.poolshift.local.aws.AwsServiceException.client(
            "ValidationException", "rehearsed refusal of RegisterScalableTarget"));
        r.finish();

        JsonNode execution = r.onlyExecution();
        assertThat(execution.path("outcome").asText()).isEqualTo("NEEDS_A_PERSON");
        assertThat(execution.path("status").asText()).isEqualTo("FAILED");
        assertThat(r.runtime().sageMaker().requireEndpoint(ENDPOINT).configName()).as("the promotion itself stands")
            .contains("-final-");
        assertThat(notifications(r)).anySatisfy(m -> {
          assertThat(m.subject()).contains("auto scaling not restored");
          assertThat(m.message()).contains("rehearsed refusal of RegisterScalableTarget")
              .contains("aws application-autoscaling register-scalable-target --service-namespace sagemaker"
                  + " --resource-id endpoint/" + ENDPOINT + "/variant/" + VARIANT)
              .contains("--min-capacity 2 --max-capacity 6")
              .contains("put-scaling-policy").contains("fraud-scoring-prod-weighted-utilization")
              .contains("\"TargetValue\":0.7")
              .contains("put-scheduled-action").contains("--scheduled-action-name 'fraud-scoring-prod-morning-peak'");
        });
        assertThat(r.runtime().autoScaling().isVariantRegistered(ENDPOINT, VARIANT)).isFalse();
        r.runtime().simulation().advance(Duration.ofMinutes(15));
        assertThat(WorkflowInvariants.stateItems(r.runtime())).as("the lock keeps the setup for the person")
            .anyMatch(i -> i.endsWith("/LOCK"));
        WorkflowInvariants.assertHoldForAPerson(r.runtime(), r.reportAgain());
      }
    }
  }

  @Nested
  @DisplayName("Alarms and rollback")
  class AlarmsAndRollback {

    @Test
    @DisplayName("5xx alarm during the 10% bake: weights back within T_act, baseline within T_restore, RolledBack")
    void rollsBackWithinTheBudgetsWhenTheFiveXxAlarmFiresDuringTheTenPercentBake() {
      try (Rehearsal r = Rehearsal.of("bad-model.json", s -> {})) {
        r.finish();

        JsonNode execution = r.onlyExecution();
        assertThat(execution.path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(execution.path("cause").asText()).contains("alarm " + CANARY_5XX_ALARM + " is in ALARM");
        assertThat(r.entered("Shift traffic to the canary weight")).as("rolled back at 10%, never shifted to 50%")
            .isEqualTo(1);
        JsonNode rollback = r.onlyRollback();
        assertThat(rollback.path("alarmName").asText()).isEqualTo(CANARY_5XX_ALARM);
        assertThat(rollback.path("tActSeconds").asDouble()).isBetween(0.0, T_ACT);
        assertThat(rollback.path("alarmToBaselineSeconds").asDouble()).isLessThanOrEqualTo(T_RESTORE);
        assertThat(rollback.path("firstErrorAtSeconds").asDouble())
            .isLessThan(rollback.path("alarmAtSeconds").asDouble());
        assertThat(execution.path("endedAtSeconds").asDouble()).as("reported only after the baseline is confirmed")
            .isGreaterThan(rollback.path("baselineRestoredAtSeconds").asDouble());
        assertThat(r.enteredAt("Verify the baseline")).isNotEmpty();
        assertThat(notifications(r)).anySatisfy(m -> assertThat(m.subject()).containsIgnoringCase("rolled back"));
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Gate alarm already in ALARM before the canary: refuses to start, nothing changed")
    void refusesToStartWhenAGateAlarmIsAlreadyInAlarm() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {
        // v1 breaks the 100 ms SLA from the start: the gate alarm is in ALARM long before the approval.
        model(s, "fraud-scoring/1").put("latencyP99Ms", 180);
        ((ObjectNode) Rehearsal.timeline(s).get(0)).put("at", 600);
      })) {
        r.finish();

        assertThat(r.runtime().cloudWatch().alarm(GATE_ALARM).orElseThrow().state()).isEqualTo(AlarmStateValue.ALARM);
        JsonNode execution = r.onlyExecution();
        assertThat(execution.path("outcome").asText()).isNotEqualTo("PROMOTED").isNotEqualTo("ROLLED_BACK");
        assertThat(execution.path("cause").asText()).contains(GATE_ALARM).contains("ALARM");
        assertThat(r.accepted(null)).as("no SageMaker mutation").isEmpty();
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("No data for the whole bake: never promoted; held for a person, bounded, then rolled back")
    void neverPromotesOnZeroInvocations() {
      try (Rehearsal r = Rehearsal.of("happy-path.json",
          s -> s.with("traffic").with("endpoints").with(ENDPOINT).put("requestsPerMinute", 0))) {
        r.finish();

        JsonNode execution = r.onlyExecution();
        assertThat(execution.path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(r.entered("Promote onto instance pools")).isZero();
        assertThat(r.entered("Shift traffic to the canary weight")).as("stays at 10%").isEqualTo(1);
        assertThat(r.entered("Hold for an operator")).isEqualTo(1);
        assertThat(notifications(r)).anySatisfy(m -> assertThat(m.message()).containsIgnoringCase("invocations"));
        assertThat(execution.path("cause").asText()).contains("no operator decision");
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Alarm event lost (rule disabled): the gate reads DescribeAlarms and rolls back")
    void rollsBackAtTheGateWhenTheAlarmEventIsLost() {
      try (Rehearsal r = Rehearsal.of("bad-model.json", s ->
          at(s, 0, "fault", fault("events", "disableRule").put("rule", "AlarmEventsFunctionCanaryAlarm")))) {
        r.finish();

        JsonNode execution = r.onlyExecution();
        assertThat(execution.path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(r.invocations("AlarmEventsFunction")).as("the alarm function never ran").isEmpty();
        assertThat(execution.path("cause").asText()).contains(CANARY_5XX_ALARM);
        assertThat(r.entered("Judge the canary")).as("caught at the gate").isEqualTo(1);
        assertThat(r.entered("Shift traffic to the canary weight")).isEqualTo(1);
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("DescribeAlarms denied: fail closed, never promote, roll back")
    void failsClosedWhenCloudWatchDeniesDescribeAlarms() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> {})) {
        r.runUntilLogged("canary weights set");
        r.runtime().cloudWatch().faults().failNext("DescribeAlarms", "AccessDenied",
            "User is not authorized to perform: cloudwatch:DescribeAlarms", 3);
        r.finish();

        JsonNode execution = r.onlyExecution();
        assertThat(execution.path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(r.entered("Promote onto instance pools")).isZero();
        assertThat(execution.path("cause").asText()).contains("DescribeAlarms");
        // The release could not delete the canary alarms while CloudWatch refused; the lock stays
        // until the reconciler's sweep finishes the job.
        r.runUntilUnlocked(Duration.ofMinutes(15));
        r.reportAgain();
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("DescribeAlarms throttled for a while: retried, not promoted on an unread gate")
    void retriesAThrottledGateReadAndStillDecidesOnIt() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", s ->
          at(s, 0, "fault", fault("cloudwatch", "failNext").put("operation", "DescribeAlarms")
              .put("code", "Throttling").put("message", "Rate exceeded").put("times", 4)))) {
        r.finish();

        assertThat(r.runtime().cloudWatch().faults().answered("DescribeAlarms")).isEqualTo(4);
        assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Alarm function throttled: EventBridge retries, weights still restored, rolled back")
    void rollsBackWhenTheAlarmFunctionIsThrottled() {
      try (Rehearsal r = Rehearsal.of("bad-model.json", s ->
          at(s, 0, "fault", LocalJson.object().put("lambda", "AlarmEventsFunction").put("throttleNext", 3)))) {
        r.finish();

        assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(r.invocations("AlarmEventsFunction")).extracting(i -> i.outcome().name())
            .contains("THROTTLED", "SUCCESS");
        JsonNode rollback = r.onlyRollback();
        assertThat(rollback.path("tActSeconds").asDouble()).as("throttle back-off of 1+2+4 s").isBetween(0.0, 10.0);
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Rollback steps throttled (Lambda.TooManyRequestsException): retried with back-off, still rolled back; the alarm function has reserved concurrency")
    void rollsBackWhenTheRollbackStepsAreThrottled() {
      try (Rehearsal r = Rehearsal.of("bad-model.json", s -> {})) {
        r.runUntilState("Roll back");
        r.runtime().lambda().function("RolloutStepsFunction").faults().throttleNext(4);
        r.finish();

        assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(r.invocations("RolloutStepsFunction").stream().filter(i -> i.outcome() == Invocation.Outcome.THROTTLED))
            .hasSize(4);
        assertThat(r.runtime().template().function("AlarmEventsFunction").reservedConcurrentExecutions())
            .as("the way back is not throttled by the rest of the account").isPositive();
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Weight call keeps failing: a person is paged, never reported as rolled back")
    void pagesAPersonAndNeverReportsRolledBackWhenTheWeightCallKeepsFailing() {
      try (Rehearsal r = Rehearsal.of("bad-model.json", s -> {})) {
        r.runUntilState("Bake under alarms");
        r.runtime().sageMaker().failNext(WEIGHTS, "InternalFailure", "We encountered an internal error.", 10_000);
        r.finish();

        JsonNode execution = r.onlyExecution();
        assertThat(execution.path("outcome").asText()).isEqualTo("NEEDS_A_PERSON");
        assertThat(r.entered("Rolled back")).isZero();
        assertThat(notifications(r)).anySatisfy(m -> assertThat(m.subject()).containsIgnoringCase("needs a person"));
        assertThat(WorkflowInvariants.ledgerOutcomes(r.runtime()))
            .anySatisfy(o -> assertThat(o).endsWith("=NEEDS_A_PERSON"));
        WorkflowInvariants.assertHoldForAPerson(r.runtime(), r.report());
      }
    }
  }

  @Nested
  @DisplayName("Load and security")
  class LoadAndSecurity {
    static final int ENDPOINTS = 20;
    static final int VERSIONS_PER_GROUP = 10;

    @Test
    @DisplayName("20 endpoints at once plus a burst of 200 approvals: each isolated, each approval executed once, none fails")
    void manyEndpointsAndABurstOfApprovalsEachRunOnce() {
      try (Rehearsal r = Rehearsal.of("happy-path.json", RolloutSituationsTest::manyEndpoints)) {
        r.finish();

        JsonNode executions = r.executions();
        assertThat(executions).as("one execution per approval").hasSize(ENDPOINTS * VERSIONS_PER_GROUP);
        assertThat(executions.findValuesAsText("name")).doesNotHaveDuplicates();
        List<String> outcomes = new ArrayList<>();
        executions.forEach(x -> outcomes.add(x.path("outcome").asText()));
        assertThat(outcomes).containsOnly("PROMOTED", "REJECTED");
        assertThat(outcomes.stream().filter("PROMOTED"::equals)).hasSize(ENDPOINTS);
        for (JsonNode x : executions) {
          if (x.path("outcome").asText().equals("REJECTED")) {
            assertThat(x.path("cause").asText()).contains("locked by execution");
          }
        }
        for (int g = 1; g <= ENDPOINTS; g++) {
          String ep = String.format("model-%02d-prod", g);
          String promoted = String.format("model-%02d/2", g);
          assertThat(WorkflowInvariants.modelVersionsServing(r.runtime().sageMaker().requireEndpoint(ep)))
              .singleElement().satisfies(v -> assertThat(v).endsWith(promoted));
        }
        int peak = r.runtime().sageMaker().callsPerSecond("DescribeEndpoint").values().stream()
            .max(Integer::compare).orElse(0);
        assertThat(peak).as("DescribeEndpoint calls in the busiest second, 20 rollouts in lockstep and 200 approvals")
            .isLessThanOrEqualTo(DESCRIBES_PER_ENDPOINT_SECOND * ENDPOINTS);
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("IAM: no wildcard actions, no wildcard resources on SageMaker writes, PassRole only to SageMaker, one starter, no redrive")
    void thePoliciesGrantOnlyWhatEachFunctionNeeds() {
      Map<String, List<Map<String, Object>>> statements = TemplatePolicies.statementsByFunction();

      statements.forEach((fn, list) -> list.forEach(st -> {
        for (String action : TemplatePolicies.actions(st)) {
          assertThat(action).as(fn + " action").doesNotEndWith("*");
          if (action.startsWith("sagemaker:") && TemplatePolicies.MUTATING.matcher(action.substring(10)).lookingAt()) {
            assertThat(TemplatePolicies.resources(st)).as(fn + " " + action + " resources")
                .noneMatch(res -> res.equals("*"));
          }
        }
      }));
      assertThat(TemplatePolicies.functionsAllowed(statements, "iam:PassRole")).containsExactly("RolloutStepsFunction");
      assertThat(TemplatePolicies.statementsAllowing(statements, "iam:PassRole")).singleElement().satisfies(st -> {
        assertThat(TemplatePolicies.resources(st)).containsExactly("Ref:SageMakerExecutionRoleArn");
        assertThat(st.get("Condition").toString()).contains("iam:PassedToService=sagemaker.amazonaws.com");
      });
      assertThat(TemplatePolicies.functionsAllowed(statements, "states:StartExecution"))
          .containsExactly("ApprovalIntakeFunction");
      // The reconciler wakes the rollout queued behind a lock it releases (concurrency policy
      // queue); the intake wakes a queued rollout of a version rejected in the registry.
      assertThat(TemplatePolicies.functionsAllowed(statements, "states:SendTaskSuccess"))
          .containsExactlyInAnyOrder("RolloutStepsFunction", "EndpointEventsFunction", "ReconcilerFunction",
              "ApprovalIntakeFunction");
      // Only the plan reads quotas and lists the account's endpoints (quota headroom); nobody asks
      // for a single quota by code.
      assertThat(TemplatePolicies.functionsAllowed(statements, "servicequotas:ListServiceQuotas"))
          .containsExactly("RolloutStepsFunction");
      assertThat(TemplatePolicies.functionsAllowed(statements, "sagemaker:ListEndpoints"))
          .containsExactly("RolloutStepsFunction");
      assertThat(TemplatePolicies.functionsAllowed(statements, "servicequotas:GetServiceQuota")).isEmpty();
      assertThat(TemplatePolicies.functionsAllowed(statements, "states:RedriveExecution"))
          .as("no redrive: a failed rollout is never resumed where it stopped").isEmpty();
      // An autoscaled variant: the steps take it out of auto scaling and put it back; the reconciler only puts it back.
      assertThat(TemplatePolicies.functionsAllowed(statements, "application-autoscaling:DeregisterScalableTarget"))
          .containsExactly("RolloutStepsFunction");
      assertThat(TemplatePolicies.functionsAllowed(statements, "application-autoscaling:DeleteScalingPolicy"))
          .containsExactly("RolloutStepsFunction");
      // Re-creating the scheduled actions deregistering deleted: both functions that put auto scaling back.
      for (String action : List.of("application-autoscaling:RegisterScalableTarget", "application-autoscaling:PutScalingPolicy",
          "application-autoscaling:PutScheduledAction")) {
        assertThat(TemplatePolicies.functionsAllowed(statements, action)).containsExactlyInAnyOrder(
            "RolloutStepsFunction", "ReconcilerFunction");
      }
      // Only the steps read the setup (plan and capture); nobody deletes a scheduled action itself.
      assertThat(TemplatePolicies.functionsAllowed(statements, "application-autoscaling:DescribeScheduledActions"))
          .containsExactly("RolloutStepsFunction");
      assertThat(TemplatePolicies.functionsAllowed(statements, "application-autoscaling:DeleteScheduledAction")).isEmpty();
      for (String action : List.of("application-autoscaling:RegisterScalableTarget", "application-autoscaling:PutScalingPolicy",
          "application-autoscaling:PutScheduledAction",
          "application-autoscaling:DeleteScalingPolicy", "application-autoscaling:DeregisterScalableTarget")) {
        assertThat(TemplatePolicies.statementsAllowing(statements, action)).allSatisfy(st -> {
          assertThat(TemplatePolicies.resources(st)).singleElement().asString().endsWith(":scalable-target/*");
          assertThat(st.get("Condition").toString()).contains("application-autoscaling:service-namespace=sagemaker")
              .contains("application-autoscaling:scalable-dimension=sagemaker:variant:DesiredInstanceCount");
        });
      }
      assertThat(TemplatePolicies.statementsAllowing(statements, "states:StartExecution")).allSatisfy(st ->
          assertThat(TemplatePolicies.resources(st)).containsExactly("Ref:RolloutStateMachine"));
      // SendTask* have no resource-level permissions: "*" is the only grant that works, and the
      // statements grant nothing else with it.
      for (String action : List.of("states:SendTaskSuccess", "states:SendTaskFailure")) {
        assertThat(TemplatePolicies.statementsAllowing(statements, action)).allSatisfy(st -> {
          assertThat(TemplatePolicies.resources(st)).containsExactly("*");
          assertThat(TemplatePolicies.actions(st)).allMatch(a -> a.startsWith("states:SendTask"));
        });
      }
    }

    @Test
    @DisplayName("IAM: endpoints are updated only when tagged poolshift:managed=true, and Poolshift cannot tag one itself")
    void endpointsAreUpdatedOnlyUnderTheManagedTag() {
      Map<String, List<Map<String, Object>>> statements = TemplatePolicies.statementsByFunction();

      assertThat(TemplatePolicies.functionsAllowed(statements, "sagemaker:UpdateEndpoint"))
          .containsExactlyInAnyOrder("RolloutStepsFunction", "ReconcilerFunction");
      assertThat(TemplatePolicies.functionsAllowed(statements, "sagemaker:UpdateEndpointWeightsAndCapacities"))
          .containsExactlyInAnyOrder("RolloutStepsFunction", "AlarmEventsFunction", "EndpointEventsFunction",
              "ReconcilerFunction");
      statements.forEach((fn, list) -> {
        for (String action : List.of("sagemaker:UpdateEndpoint", "sagemaker:UpdateEndpointWeightsAndCapacities")) {
          assertThat(TemplatePolicies.ungatedEndpointGrants(fn, list, action)).as(fn + " " + action).isEmpty();
        }
        for (String action : List.of("sagemaker:AddTags", "sagemaker:DeleteTags", "sagemaker:DeleteEndpoint",
            "sagemaker:CreateEndpoint")) {
          assertThat(TemplatePolicies.endpointGrants(list, action)).as(fn + " " + action + " on endpoints").isEmpty();
        }
        // Reads stay unconditioned: the plan must see an untagged endpoint to say why it refuses.
        for (String action : List.of("sagemaker:DescribeEndpoint", "sagemaker:ListTags")) {
          assertThat(TemplatePolicies.endpointGrants(list, action)).allSatisfy(st ->
              assertThat(st).doesNotContainKey("Condition"));
        }
      });
      assertThat(TemplatePolicies.endpointGrants(statements.get("RolloutStepsFunction"), "sagemaker:ListTags"))
          .isNotEmpty();
    }

    @Test
    @DisplayName("An approval for an endpoint nobody tagged poolshift:managed=true is rejected before any change")
    void anApprovalForAnUntaggedEndpointIsRejectedUntouched() {
      try (Rehearsal r = Rehearsal.of("happy-path.json",
          s -> ((ObjectNode) s.path("world").path("endpoints").get(0)).remove("tags"))) {
        r.finish();

        JsonNode x = r.onlyExecution();
        assertThat(x.path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(x.path("cause").asText()).contains("endpointName: endpoint fraud-scoring-prod is not managed by"
            + " Poolshift: tag it poolshift:managed=true (IAM denies Poolshift's updates to untagged endpoints)");
        assertThat(r.runtime().sageMaker().mutations()).as("SageMaker calls that change anything, even refused ones")
            .noneMatch(m -> m.endpointName() != null || m.operation().matches("Create.*|Delete.*|AddTags"));
        assertThat(r.logsContaining("RolloutStepsFunction", "rollout refused: endpoint not managed by Poolshift"))
            .singleElement().satisfies(l -> assertThat(l.text()).contains("fraud-scoring-prod"));
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("A console plan for an untagged endpoint still plans, with the missing tag as a risk")
    void aConsolePlanForAnUntaggedEndpointNamesTheMissingTag() {
      try (Rehearsal r = Rehearsal.of("console-plan.json",
          s -> ((ObjectNode) s.path("world").path("endpoints").get(0)).remove("tags"))) {
        r.finish();

        JsonNode x = r.onlyExecution();
        assertThat(x.path("outcome").asText()).isEqualTo("PLANNED");
        assertThat(x.path("output").path("plan").path("risks").get(0).asText()).isEqualTo("endpoint fraud-scoring-prod"
            + " is not managed by Poolshift: tag it poolshift:managed=true (IAM denies Poolshift's updates to"
            + " untagged endpoints); a rollout now would be rejected before any change");
        assertThat(r.runtime().sageMaker().mutations()).isEmpty();
        r.assertInvariants();
      }
    }

    @Test
    @DisplayName("Only EventBridge invokes the intake: its one trigger is the approval rule, which has a target and a dead-letter queue")
    void onlyTheApprovalRulesInvokeTheIntakeAndTheirFailuresAreKept() {
      Map<String, Object> template = TemplatePolicies.template();
      assertThat(TemplatePolicies.resourcesOfType(template, "AWS::Lambda::Permission")).isEmpty();
      assertThat(TemplatePolicies.resourcesOfType(template, "AWS::Lambda::Url")).isEmpty();
      Map<String, Object> events = TemplatePolicies.events(template, "ApprovalIntakeFunction");
      assertThat(events).containsOnlyKeys("PackageApproved", "PackageRejected");
      events.values().forEach(e -> {
        assertThat(TemplatePolicies.map(e).get("Type")).isEqualTo("EventBridgeRule");
        assertThat(TemplatePolicies.map(TemplatePolicies.map(e).get("Properties")).get("DeadLetterConfig"))
            .as("events EventBridge cannot deliver are kept").hasToString("{Arn=GetAtt:IntakeDeadLetterQueue.Arn}");
      });
      try (Rehearsal r = Rehearsal.of("happy-path.json", s -> Rehearsal.timeline(s).remove(0))) {
        RuleDef rule = r.runtime().template().rule(EventIntake.APPROVAL_RULE);
        assertThat(rule.targets()).singleElement().satisfies(t -> assertThat(t.arn())
            .contains(r.runtime().template().function("ApprovalIntakeFunction").name()));
        assertThat(r.runtime().template().queues()).containsKey("IntakeDeadLetterQueue");
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  static JsonNode text(String value) {
    return LocalJson.MAPPER.getNodeFactory().textNode(value);
  }

  static List<SnsService.Message> notifications(Rehearsal r) {
    return r.runtime().sns().published();
  }

  static List<AlarmTransition> transitions(Rehearsal r, String alarm) {
    return r.runtime().cloudWatch().transitions().stream().filter(t -> t.alarmName().equals(alarm)).toList();
  }

  static List<SageMakerMutation> after(List<SageMakerMutation> mutations, Instant t) {
    return mutations.stream().filter(m -> m.time().isAfter(t)).toList();
  }

  /**
   * DescribeEndpoint calls one rollout may make in its busiest second (the moment its fleet
   * settles: the doubled endpoint event, the wait, the reconciler's look, the verify and the
   * weight step each read once). SageMaker does not publish a per-operation quota to check the
   * aggregate against; this bounds our own fan-out, so 20 rollouts cost at most 20 times one.
   */
  static final int DESCRIBES_PER_ENDPOINT_SECOND = 6;

  /**
   * Registers the endpoint's variant with Application Auto Scaling (min 2, max 6, scheduled
   * scaling suspended) with a target-tracking policy on a metric-math expression and a step
   * policy: the settings a rollout must put back exactly.
   */
  static void autoscaled(ObjectNode s) {
    ObjectNode variant = (ObjectNode) s.path("world").path("endpoints").get(0).path("variants").get(0);
    ObjectNode a = variant.putObject("autoscaling").put("minCapacity", 2).put("maxCapacity", 6);
    a.putObject("suspendedState").put("ScheduledScalingSuspended", true);
    ArrayNode policies = a.putArray("policies");
    ObjectNode tracking = policies.addObject().put("PolicyName", "fraud-scoring-prod-weighted-utilization")
        .put("PolicyType", "TargetTrackingScaling").putObject("TargetTrackingScalingPolicyConfiguration")
        .put("TargetValue", 0.7).put("ScaleOutCooldown", 60).put("ScaleInCooldown", 300).put("DisableScaleIn", false);
    ArrayNode metrics = tracking.putObject("CustomizedMetricSpecification").putArray("Metrics");
    ObjectNode stat = metrics.addObject().put("Id", "c_g5").put("ReturnData", false).putObject("MetricStat")
        .put("Stat", "Average");
    ArrayNode dimensions = stat.putObject("Metric").put("Namespace", "AWS/SageMaker")
        .put("MetricName", "ConcurrentRequestsPerModel").putArray("Dimensions");
    dimensions.addObject().put("Name", "EndpointName").put("Value", Rehearsal.ENDPOINT);
    dimensions.addObject().put("Name", "VariantName").put("Value", "AllTraffic");
    metrics.addObject().put("Id", "weighted").put("Label", "weighted utilization").put("ReturnData", true)
        .put("Expression", "c_g5 / 12");
    ObjectNode step = policies.addObject().put("PolicyName", "fraud-scoring-prod-backlog-step")
        .put("PolicyType", "StepScaling").putObject("StepScalingPolicyConfiguration")
        .put("AdjustmentType", "ChangeInCapacity").put("Cooldown", 120).put("MetricAggregationType", "Average");
    ArrayNode steps = step.putArray("StepAdjustments");
    steps.addObject().put("MetricIntervalLowerBound", 0.0).put("MetricIntervalUpperBound", 10.5).put("ScalingAdjustment", 1);
    steps.addObject().put("MetricIntervalLowerBound", 10.5).put("ScalingAdjustment", 2);
    // Deregistering the target deletes its scheduled actions: the daily scale-up before the
    // peak must be there the next morning, with its time zone, window and bounds.
    ObjectNode morning = a.putArray("scheduledActions").addObject()
        .put("ScheduledActionName", "fraud-scoring-prod-morning-peak").put("Schedule", "cron(0 8 ? * MON-FRI *)")
        .put("Timezone", "Europe/Berlin").put("StartTime", 1767225600).put("EndTime", 1830297600);
    morning.putObject("ScalableTargetAction").put("MinCapacity", 4).put("MaxCapacity", 8);
  }

  /** One canary step straight to 100%: for situations about intake, where the canary is not the point. */
  static ObjectNode quick(ObjectNode s) {
    ObjectNode p = profile(s);
    p.putArray("canarySteps").add(100);
    p.put("bakeSeconds", 120);
    return p;
  }

  /** Adds fraud-scoring version 3 (pending approval) to the world. */
  static void addVersion(ObjectNode s) {
    ArrayNode versions = (ArrayNode)
        s.path("world").path("modelPackageGroups").get(0).path("versions");
    versions.addObject().put("approval", "PendingManualApproval")
        .put("image", "111122223333.dkr.ecr.us-east-1.amazonaws.com/fraud-scoring:1.6.0")
        .set("additionalInferenceSpecifications", LocalJson.object().put("g6-int8",
            "111122223333.dkr.ecr.us-east-1.amazonaws.com/fraud-scoring:1.6.0-int8"));
  }

  static ObjectNode sampleApproval() {
    ObjectNode event = (ObjectNode)
        LocalJson.read(Rehearsal.ROOT.resolve("events/eventbridge/model-package/approved.json"));
    event.remove("id");
    return event;
  }

  static List<String> stateNames(Rehearsal r, String execution) {
    return r.runtime().stepFunctions().executions().stream().filter(e -> e.name().equals(execution))
        .flatMap(e -> e.history().stream()).filter(h -> h.type().endsWith("StateEntered"))
        .map(h -> h.details().path("name").asText()).toList();
  }

  /** StopExecution as an operator sends it; returns when. */
  static Instant stop(Rehearsal r) {
    Execution running = r.runtime().stepFunctions().runningExecutions().get(0);
    return r.runtime().stepFunctions().stopExecution(running.arn(), "Operator.Stop", "stopped by the on-call engineer");
  }

  /** When DescribeEndpoint began to show all traffic on v1 for good, at or after {@code since}. */
  static Instant baselineSince(Rehearsal r, Instant since) {
    List<EndpointMoment> history = r.runtime().sageMaker().visibleHistory(ENDPOINT);
    Instant from = null;
    for (EndpointMoment m : history) {
      boolean baseline = m.servingVersions().equals(Set.of(V1));
      if (!baseline) {
        from = null;
      } else if (from == null) {
        from = m.at().isBefore(since) ? since : m.at();
      }
    }
    assertThat(from).as("all traffic on v1 at the end").isNotNull();
    return from;
  }

  static Instant firstVisible(Rehearsal r, Predicate<EndpointMoment> p) {
    return r.runtime().sageMaker().visibleHistory(ENDPOINT).stream().filter(p).findFirst().orElseThrow().at();
  }

  /** What DescribeEndpoint showed just before {@code t} (before a call made at {@code t} changed it). */
  static EndpointMoment visibleAt(Rehearsal r, Instant t) {
    EndpointMoment last = null;
    for (EndpointMoment m : r.runtime().sageMaker().visibleHistory(ENDPOINT)) {
      if (!m.at().isBefore(t)) {
        break;
      }
      last = m;
    }
    return last;
  }

  static String intakeName(Rehearsal r) {
    return r.runtime().template().function("ApprovalIntakeFunction").name();
  }

  static String stateTable(Rehearsal r) {
    return r.runtime().template().table("StateTable").name();
  }

  /** The endpoint's registered wait item (DynamoDB JSON), or null. */
  static JsonNode waitItem(Rehearsal r) {
    JsonNode item = r.runtime().dynamoDb().call("GetItem", LocalJson.object().put("TableName", stateTable(r))
        .set("Key", LocalJson.parse("{\"pk\":{\"S\":\"ENDPOINT#" + ENDPOINT + "\"},\"sk\":{\"S\":\"WAIT\"}}"))).path("Item");
    return item.isMissingNode() || item.isEmpty() ? null : item;
  }

  /** A person approving {@code groupSlashVersion} in the registry now. */
  static void approveNow(Rehearsal r, String groupSlashVersion) {
    r.runtime().sageMaker().invoke("UpdateModelPackage", LocalJson.object()
        .put("ModelPackageArn", "arn:aws:sagemaker:us-east-1:111122223333:model-package/" + groupSlashVersion)
        .put("ModelApprovalStatus", "Approved"));
  }

  /** An "endpoint InService" event for the rollout's endpoint, as SageMaker sends it. */
  static ObjectNode inService(Rehearsal r) {
    ObjectNode event = (ObjectNode)
        LocalJson.read(Rehearsal.ROOT.resolve("events/eventbridge/endpoint/in-service.json"));
    event.remove("id");
    ((ObjectNode) event.get("detail")).put("EndpointName", ENDPOINT);
    return event;
  }

  /** The pool mix the ledger recorded for the canary fleet. */
  static JsonNode ledgerFleet(Rehearsal r) {
    return WorkflowInvariants.scan(r.runtime(), "LedgerTable");
  }

  /**
   * 20 endpoints, each with its own group of 11 versions and a one-step profile that refuses a
   * second rollout while one runs; at 60 s version 2 of every group is approved (20 rollouts at
   * once), from 70 s versions 3–11 (180 approvals within 5 s); 2% of DescribeEndpoint calls are
   * throttled throughout.
   */
  static void manyEndpoints(ObjectNode s) {
    ObjectNode world = s.putObject("world");
    ArrayNode groups = world.putArray("modelPackageGroups");
    ArrayNode endpoints = world.putArray("endpoints");
    ObjectNode profiles = world.putObject("profiles");
    ObjectNode rates = LocalJson.object();
    ArrayNode timeline = s.putArray("timeline");
    s.remove("capacity");
    for (int g = 1; g <= LoadAndSecurity.ENDPOINTS; g++) {
      String group = String.format("model-%02d", g);
      String ep = group + "-prod";
      ArrayNode versions = groups.addObject().put("name", group).putArray("versions");
      versions.addObject().put("approval", "Approved");
      for (int v = 2; v <= LoadAndSecurity.VERSIONS_PER_GROUP + 1; v++) {
        versions.addObject().put("approval", "PendingManualApproval");
        timeline.addObject().put("at", v == 2 ? 60 : 70 + (v - 3) * 0.5).put("approve", group + "/" + v);
      }
      ObjectNode endpoint = endpoints.addObject().put("name", ep);
      endpoint.putObject("tags").put(ManagedTag.KEY, ManagedTag.VALUE);
      endpoint.putArray("variants").addObject()
          .put("modelPackage", group + "/1").put("instanceType", "ml.c6i.xlarge");
      ObjectNode p = profiles.putObject(group);
      // The stack passes one execution role to SageMaker (SageMakerExecutionRoleArn); IAM denies any other.
      p.put("endpointName", ep).put("executionRoleArn", "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-execution");
      p.putArray("instancePools").addObject().put("instanceType", "ml.c6i.xlarge").put("priority", 1);
      ((ArrayNode) p.get("instancePools")).addObject()
          .put("instanceType", "ml.c6i.2xlarge").put("priority", 2);
      p.putArray("canarySteps").add(100);
      p.put("bakeSeconds", 120).put("minInvocationsPerStep", 100).put("concurrencyPolicy", "reject");
      rates.putObject(ep).put("requestsPerMinute", 600);
    }
    ObjectNode traffic = s.putObject("traffic");
    traffic.set("endpoints", rates);
    timeline.addObject().put("at", 0).set("fault", fault("sagemaker", "throttle").put("operation", "DescribeEndpoint")
        .put("rate", 0.02));
  }

}
