package dev.poolshift.local.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.aws.ServiceEvent;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.lambda.Invocation;
import dev.poolshift.local.lambda.LambdaService;
import dev.poolshift.local.lambda.LambdaSettings;
import dev.poolshift.local.lambda.handlers.EchoHandler;
import dev.poolshift.local.sim.Simulation;
import dev.poolshift.local.template.SamTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventBusDeliveryTest {
  private static final SamTemplate TEMPLATE = SamTemplate.load(Path.of("tests/src/test/resources/template/events.yaml"));
  private static final String ROLLOUT_ARN = "arn:aws:states:us-east-1:111122223333:stateMachine:rollout";
  private static final String DLQ_ARN = "arn:aws:sqs:us-east-1:111122223333:poolshift-EventsDlq";
  private static final String AUDIT_QUEUE = "arn:aws:sqs:us-east-1:111122223333:poolshift-AuditQueue";

  private final Instant t0 = Simulation.DEFAULT_EPOCH;
  private final Simulation sim = Simulation.discrete(t0);
  private final LambdaService lambda = LambdaService.fromTemplate(sim, TEMPLATE,
      LambdaSettings.DEFAULT.withColdStarts(Duration.ZERO, Duration.ZERO));
  private final RecordingStarter starter = new RecordingStarter();
  private final EventBus bus = EventBus.fromTemplate(sim, TEMPLATE, lambda, starter, EventBusSettings.DEFAULT);

  @TempDir
  Path dir;

  @BeforeEach
  void clearHandlerRecords() {
    EchoHandler.RECEIVED.clear();
  }

  @AfterEach
  void close() {
    sim.close();
  }

  /** A StartExecution stand-in that can fail on demand. */
  static final class RecordingStarter implements StateMachineStarter {
    final List<String> inputs = new ArrayList<>();
    final Deque<AwsServiceException> failures = new ArrayDeque<>();
    boolean alwaysThrottle;

    @Override
    public synchronized String start(String stateMachineArn, String inputJson) {
      if (alwaysThrottle) {
        throw new AwsServiceException(400, "ThrottlingException", "Rate exceeded");
      }
      if (!failures.isEmpty()) {
        throw failures.poll();
      }
      inputs.add(inputJson);
      return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + inputs.size();
    }
  }

  private String put(String source, String detailType, String detail) {
    PutEventsEntry.Result r = bus.putEvents(List.of(PutEventsEntry.of(source, detailType, detail))).getFirst();
    assertThat(r.failed()).as("PutEvents: %s", r).isFalse();
    return r.eventId();
  }

  private String approval() {
    return put("com.acme.registry", "Model Package State Change", "{\"ModelPackageArn\":\"arn:pkg/1\"}");
  }

  private void runFor(Duration d) {
    sim.runUntilIdle(sim.now().plus(d));
  }

  private List<Delivery> deliveries(String eventId, Delivery.Outcome outcome) {
    return bus.deliveries().stream().filter(d -> d.eventId().equals(eventId) && d.outcome() == outcome).toList();
  }

  // ------------------------------------------------------------------ fan-out

  @Test
  void everyMatchingRuleAndEveryTargetGetsItsOwnCopyAfterTheDeliveryLatency() {
    String id = approval();
    runFor(Duration.ofMinutes(1));

    List<Delivery> delivered = deliveries(id, Delivery.Outcome.DELIVERED);
    assertThat(delivered).extracting(Delivery::targetArn).containsExactlyInAnyOrder(
        "arn:aws:lambda:us-east-1:111122223333:function:intake", ROLLOUT_ARN,
        "arn:aws:sns:us-east-1:111122223333:poolshift-Notifications", AUDIT_QUEUE);
    assertThat(delivered).extracting(Delivery::time).containsOnly(t0.plusMillis(500));
    assertThat(deliveries(id, Delivery.Outcome.RULE_DISABLED)).extracting(Delivery::ruleName)
        .containsExactly("poolshift-Paused");
  }

  @Test
  void aLambdaTargetIsInvokedAsynchronouslyWithTheEventAndTheRuleAsOrigin() {
    String id = approval();
    runFor(Duration.ofMinutes(1));

    Invocation invocation = lambda.function("intake").invocations().getFirst();
    assertThat(invocation.type()).isEqualTo(Invocation.Type.EVENT);
    assertThat(invocation.origin()).isEqualTo(TEMPLATE.rule("IntakeApproval").arn());
    assertThat(invocation.start()).isEqualTo(t0.plusMillis(550));
    JsonNode payload = EchoHandler.RECEIVED.getFirst().get("payload");
    assertThat(payload.get("id").asText()).isEqualTo(id);
    assertThat(payload.at("/detail/ModelPackageArn").asText()).isEqualTo("arn:pkg/1");
  }

  @Test
  void aStateMachineTargetStartsAnExecutionWithTheFullEnvelopeAsInput() {
    String id = approval();
    runFor(Duration.ofMinutes(1));

    JsonNode input = LocalJson.parse(starter.inputs.getFirst());
    assertThat(input.get("version").asText()).isEqualTo("0");
    assertThat(input.get("id").asText()).isEqualTo(id);
    assertThat(input.get("detail-type").asText()).isEqualTo("Model Package State Change");
    assertThat(input.get("source").asText()).isEqualTo("com.acme.registry");
    assertThat(input.get("account").asText()).isEqualTo("111122223333");
    assertThat(input.get("time").asText()).isEqualTo("2026-06-01T12:00:00Z");
    assertThat(input.get("region").asText()).isEqualTo("us-east-1");
    assertThat(input.get("resources").isArray()).isTrue();
    assertThat(input.at("/detail/ModelPackageArn").asText()).isEqualTo("arn:pkg/1");
    assertThat(deliveries(id, Delivery.Outcome.DELIVERED)).filteredOn(d -> d.targetArn().equals(ROLLOUT_ARN))
        .extracting(Delivery::detail).containsExactly("arn:aws:states:us-east-1:111122223333:execution:rollout:1");
  }

  @Test
  void serviceEventsGoToTheDefaultBusStampedWithVirtualTime() {
    sim.advance(Duration.ofMinutes(3));
    bus.publish(new ServiceEvent("com.acme.registry", "Model Package State Change", List.of("arn:pkg"),
        LocalJson.parse("{\"a\":1}")));
    runFor(Duration.ofMinutes(1));

    assertThat(bus.events()).singleElement().satisfies(e -> {
      assertThat(e.event().get("time").asText()).isEqualTo("2026-06-01T12:03:00Z");
      assertThat(e.event().get("resources").get(0).asText()).isEqualTo("arn:pkg");
      assertThat(e.matchedRules()).containsExactlyInAnyOrder("IntakeApproval", "RolloutApproval", "Audit", "Paused");
    });
  }

  // ------------------------------------------------------------------ retries and dead letters

  @Test
  void aThrottledStartIsRetriedWithExponentialBackoffAndJitterThenDelivered() {
    starter.failures.add(new AwsServiceException(400, "ThrottlingException", "Rate exceeded"));
    starter.failures.add(new AwsServiceException(400, "ThrottlingException", "Rate exceeded"));

    String id = approval();
    runFor(Duration.ofMinutes(5));

    List<Delivery> attempts = bus.deliveries().stream()
        .filter(d -> d.eventId().equals(id) && d.targetArn().equals(ROLLOUT_ARN)).toList();
    assertThat(attempts).extracting(Delivery::outcome).containsExactly(Delivery.Outcome.RETRYING,
        Delivery.Outcome.RETRYING, Delivery.Outcome.DELIVERED);
    assertThat(attempts.getFirst().errorCode()).isEqualTo("THROTTLING");
    Duration first = Duration.between(attempts.get(0).time(), attempts.get(1).time());
    Duration second = Duration.between(attempts.get(1).time(), attempts.get(2).time());
    assertThat(first).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(second).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(bus.deadLetters()).isEmpty();
  }

  @Test
  void whenRetriesRunOutTheEventGoesToTheDeadLetterQueueWithTheDocumentedAttributes() {
    starter.alwaysThrottle = true;

    String id = approval();
    runFor(Duration.ofHours(1));

    DeadLetterEntry dlq = bus.deadLetters().getFirst();
    assertThat(dlq.queueArn()).isEqualTo(DLQ_ARN);
    assertThat(LocalJson.parse(dlq.body()).get("id").asText()).isEqualTo(id);
    assertThat(dlq.attributes()).containsEntry("RULE_ARN", TEMPLATE.rule("RolloutApproval").arn())
        .containsEntry("TARGET_ARN", ROLLOUT_ARN)
        .containsEntry("ERROR_CODE", "THROTTLING")
        .containsEntry("EXHAUSTED_RETRY_CONDITION", "MaximumRetryAttempts")
        .containsEntry("RETRY_ATTEMPTS", "2")
        .containsKey("ERROR_MESSAGE");
    assertThat(deliveries(id, Delivery.Outcome.DEAD_LETTERED)).hasSize(1);
  }

  @Test
  void whenTheEventIsTooOldTheRetriesStopAtItsMaximumAge() {
    starter.alwaysThrottle = true;

    put("com.acme.impatient", "Anything", "{}");
    runFor(Duration.ofHours(1));

    DeadLetterEntry dlq = bus.deadLetters().getFirst();
    assertThat(dlq.attributes()).containsEntry("EXHAUSTED_RETRY_CONDITION", "MaximumEventAgeInSeconds");
    assertThat(dlq.time()).isEqualTo(t0.plusSeconds(60));
  }

  @Test
  void aNonRetriableFailureGoesStraightToTheDeadLetterQueue() {
    starter.failures.add(new AwsServiceException(400, "StateMachineDoesNotExist", "gone"));

    approval();
    runFor(Duration.ofMinutes(5));

    DeadLetterEntry dlq = bus.deadLetters().getFirst();
    assertThat(dlq.attributes()).containsEntry("ERROR_CODE", "NO_RESOURCE").containsEntry("RETRY_ATTEMPTS", "0")
        .doesNotContainKey("EXHAUSTED_RETRY_CONDITION");
    assertThat(dlq.time()).isEqualTo(t0.plusMillis(500));
  }

  @Test
  void aMissingFunctionWithoutDeadLetterQueueLosesTheEvent() {
    lambda.function("intake").faults().unavailable(true);

    String id = approval();
    runFor(Duration.ofMinutes(5));

    assertThat(deliveries(id, Delivery.Outcome.DROPPED)).singleElement().satisfies(d -> {
      assertThat(d.targetArn()).endsWith(":function:intake");
      assertThat(d.errorCode()).isEqualTo("NO_RESOURCE");
    });
  }

  @Test
  void aThrottledAsyncInvokeIsRetriedByEventBridge() {
    lambda.function("intake").faults().rejectAsyncNext(1);

    String id = approval();
    runFor(Duration.ofMinutes(5));

    assertThat(bus.deliveries()).filteredOn(d -> d.eventId().equals(id) && d.targetArn().endsWith(":function:intake"))
        .extracting(Delivery::outcome).containsExactly(Delivery.Outcome.RETRYING, Delivery.Outcome.DELIVERED);
    assertThat(lambda.function("intake").invocations()).hasSize(1);
  }

  // ------------------------------------------------------------------ faults

  @Test
  void aDuplicateFaultDeliversTheSameEventIdTwiceWithTheGap() {
    bus.faults().all().duplicate(1.0, Duration.ofMillis(500));

    String id = approval();
    runFor(Duration.ofMinutes(5));

    List<Delivery> toIntake = deliveries(id, Delivery.Outcome.DELIVERED).stream()
        .filter(d -> d.targetArn().endsWith(":function:intake")).toList();
    assertThat(toIntake).extracting(Delivery::copy).containsExactly(1, 2);
    assertThat(Duration.between(toIntake.get(0).time(), toIntake.get(1).time())).isEqualTo(Duration.ofMillis(500));
    assertThat(EchoHandler.RECEIVED).filteredOn(r -> r.get("function").asText().equals("intake"))
        .extracting(r -> r.at("/payload/id").asText()).containsExactly(id, id);
    assertThat(starter.inputs).hasSize(2);
  }

  @Test
  void aDelayFaultOnOneRuleMakesOnlyThatRuleLate() {
    bus.faults().rule("Audit").delay(Duration.ofSeconds(30));

    String id = approval();
    runFor(Duration.ofMinutes(5));

    assertThat(deliveries(id, Delivery.Outcome.DELIVERED)).allSatisfy(d -> assertThat(d.time()).isEqualTo(
        d.ruleName().equals("poolshift-Audit") ? t0.plusMillis(30_500) : t0.plusMillis(500)));
  }

  private List<String> auditArrivalOrder(long seed) {
    Simulation s = Simulation.discrete(t0);
    try {
      EventBus b = EventBus.fromTemplate(s, TEMPLATE, LambdaService.fromTemplate(s, TEMPLATE, LambdaSettings.DEFAULT),
          new RecordingStarter(), EventBusSettings.DEFAULT.withSeed(seed));
      b.faults().rule("Audit").reorder(Duration.ofSeconds(10));
      List<String> published = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        published.add(b.putEvents(List.of(PutEventsEntry.of("com.acme.registry", "Other", "{\"n\":" + i + "}")))
            .getFirst().eventId());
        s.advance(Duration.ofMillis(10));
      }
      s.runUntilIdle(s.now().plus(Duration.ofMinutes(1)));
      List<String> arrived = b.targetMessages().stream().filter(m -> m.targetArn().equals(AUDIT_QUEUE))
          .map(m -> String.valueOf(published.indexOf(m.eventId()))).toList();
      assertThat(arrived).hasSize(20);
      return arrived;
    } finally {
      s.close();
    }
  }

  @Test
  void aReorderFaultDeliversCloseEventsOutOfOrderRepeatablyForOneSeed() {
    List<String> first = auditArrivalOrder(7);
    List<String> again = auditArrivalOrder(7);
    List<String> otherSeed = auditArrivalOrder(8);

    List<String> inOrder = java.util.stream.IntStream.range(0, 20).mapToObj(String::valueOf).toList();
    assertThat(first).isNotEqualTo(inOrder).containsExactlyInAnyOrderElementsOf(inOrder);
    assertThat(again).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
  }

  @Test
  void aDisabledRuleLosesItsEventsUntilEnabledAgain() {
    bus.faults().disableRule("IntakeApproval");
    String lost = approval();
    runFor(Duration.ofMinutes(1));
    bus.faults().enableRule("IntakeApproval");
    String kept = approval();
    runFor(Duration.ofMinutes(1));

    assertThat(deliveries(lost, Delivery.Outcome.RULE_DISABLED)).extracting(Delivery::ruleName)
        .contains("poolshift-IntakeApproval");
    assertThat(EchoHandler.RECEIVED).extracting(r -> r.at("/payload/id").asText()).containsExactly(kept);
  }

  @Test
  void aRuleDisabledInTheTemplateCanBeEnabled() {
    bus.setRuleEnabled("poolshift-Paused", true);

    String id = approval();
    runFor(Duration.ofMinutes(1));

    assertThat(deliveries(id, Delivery.Outcome.DELIVERED)).extracting(Delivery::ruleName).contains("poolshift-Paused");
  }

  // ------------------------------------------------------------------ target input

  @Test
  void targetsReceiveConstantInputTheInputPathOrTheTransformedTemplate() {
    bus.putEvents(List.of(new PutEventsEntry("com.acme.transform", "T", "{\"endpoint\":\"fraud\",\"weight\":10}",
        List.of("arn:first", "arn:second"), null, null)));
    runFor(Duration.ofMinutes(1));

    List<String> bodies = bus.targetMessages().stream().filter(m -> m.ruleName().equals("transforms"))
        .map(TargetMessage::body).toList();
    assertThat(bodies).containsExactlyInAnyOrder("{\"fixed\":true}", "\"arn:first\"",
        "{\"endpoint\":\"fraud\",\"text\":\"endpoint fraud at 10%\",\"weight\":10,\"rule\":\"transforms\","
            + "\"missing\":null}");
  }

  // ------------------------------------------------------------------ schedules

  @Test
  void aScheduledRuleFiresOnTheVirtualClockWithTheScheduledEventEnvelope() {
    bus.startSchedules();
    runFor(Duration.ofMinutes(16));

    List<JsonNode> payloads = EchoHandler.RECEIVED.stream()
        .filter(r -> r.get("function").asText().equals("reconciler")).map(r -> r.get("payload")).toList();
    assertThat(payloads).extracting(p -> p.get("time").asText())
        .containsExactly("2026-06-01T12:05:00Z", "2026-06-01T12:10:00Z", "2026-06-01T12:15:00Z");
    JsonNode first = payloads.getFirst();
    assertThat(first.get("source").asText()).isEqualTo("aws.events");
    assertThat(first.get("detail-type").asText()).isEqualTo("Scheduled Event");
    assertThat(first.get("resources").get(0).asText()).isEqualTo(TEMPLATE.rule("ReconcilerEvery5").arn());
    assertThat(first.get("detail").isEmpty()).isTrue();
    assertThat(lambda.function("reconciler").invocations().getFirst().start())
        .isEqualTo(t0.plus(Duration.ofMinutes(5)).plusMillis(550));
  }

  @Test
  void aSchedulerScheduleSendsItsInputAtTheCronTimes() {
    bus.startSchedules();
    bus.setRuleEnabled("ReconcilerEvery5", false);
    sim.runUntilIdle(t0.plus(Duration.ofHours(40)));

    List<JsonNode> nightly = EchoHandler.RECEIVED.stream().filter(r -> r.get("function").asText().equals("reconciler"))
        .map(r -> r.get("payload")).toList();
    assertThat(nightly).containsExactly(LocalJson.parse("{\"mode\":\"nightly\"}"), LocalJson.parse("{\"mode\":\"nightly\"}"));
    assertThat(lambda.function("reconciler").invocations()).extracting(i -> i.start().toString())
        .containsExactly("2026-06-02T03:00:00.050Z", "2026-06-03T03:00:00.050Z");
  }

  // ------------------------------------------------------------------ load errors

  private EventBus loadBus(String resources) throws IOException {
    Path file = dir.resolve("t.yaml");
    Files.writeString(file, "Transform: AWS::Serverless-2016-10-31\nResources:\n" + resources.indent(2));
    SamTemplate t = SamTemplate.load(file);
    return EventBus.fromTemplate(sim, t, LambdaService.fromTemplate(sim, t, LambdaSettings.DEFAULT),
        StateMachineStarter.NONE, EventBusSettings.DEFAULT);
  }

  @Test
  void aTargetOutsideTheTemplateIsALoadErrorNamingRuleAndTarget() {
    assertThatThrownBy(() -> loadBus("""
        R:
          Type: AWS::Events::Rule
          Properties:
            EventPattern: {source: [x]}
            Targets: [{Id: t1, Arn: "arn:aws:lambda:us-east-1:111122223333:function:elsewhere"}]
        """)).hasMessageContaining("rule R, target t1").hasMessageContaining("is not a function of this template");
  }

  @Test
  void anUnsupportedInputPathIsALoadErrorNamingTheRule() {
    assertThatThrownBy(() -> loadBus("""
        Q: {Type: AWS::SQS::Queue}
        R:
          Type: AWS::Events::Rule
          Properties:
            EventPattern: {source: [x]}
            Targets: [{Id: t1, Arn: !GetAtt Q.Arn, InputPath: "$.detail[*]"}]
        """)).hasMessageContaining("rule R, target t1").hasMessageContaining("InputPath");
  }

  @Test
  void aBadScheduleExpressionIsALoadErrorNamingTheRule() {
    assertThatThrownBy(() -> loadBus("""
        Q: {Type: AWS::SQS::Queue}
        R:
          Type: AWS::Events::Rule
          Properties:
            ScheduleExpression: rate(1 minutes)
            Targets: [{Id: t1, Arn: !GetAtt Q.Arn}]
        """)).hasMessageContaining("rule R").hasMessageContaining("singular");
  }
}
