package dev.poolshift.handler;

import static dev.poolshift.rollout.usecase.RolloutWorld.BAKE_TOKEN;
import static dev.poolshift.rollout.usecase.RolloutWorld.ENDPOINT;
import static dev.poolshift.rollout.usecase.RolloutWorld.EXEC;
import static dev.poolshift.rollout.usecase.RolloutWorld.HOLD_TOKEN;
import static dev.poolshift.rollout.usecase.RolloutWorld.WAIT_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.poolshift.aws.Json;
import dev.poolshift.rollout.CanaryAlarmException;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.event.EventEnvelope;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.usecase.AlarmResponder;
import dev.poolshift.rollout.usecase.ApprovalIntake;
import dev.poolshift.rollout.usecase.EndpointEventResponder;
import dev.poolshift.rollout.usecase.Events;
import dev.poolshift.rollout.usecase.InMemoryRolloutStore;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import dev.poolshift.rollout.usecase.Reconciler;
import dev.poolshift.rollout.usecase.RolloutWorld;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The handlers as Lambda runs them: bytes in, bytes out, with the sample events from
 * {@code events/eventbridge} and step payloads shaped like the workflow's. Every test's log
 * output is checked for task tokens.
 */
class HandlersTest {
  /** Task tokens are long base64 strings starting with AQ (as Step Functions issues them). */
  private static final Pattern TOKEN_LIKE = Pattern.compile("AQ[A-Za-z0-9+/=_-]{40,}");
  private final RolloutWorld world = new RolloutWorld();
  private final LogCapture logs = new LogCapture();

  @AfterEach
  void noTaskTokenIsEverLogged() {
    logs.close();
    String text = logs.text();
    for (TaskToken t : List.of(WAIT_TOKEN, BAKE_TOKEN, HOLD_TOKEN)) {
      assertThat(text).doesNotContain(t.reveal()).doesNotContain(t.reveal().substring(0, 40));
    }
    assertThat(TOKEN_LIKE.matcher(text).find()).as("token-like value in logs:\n" + text)
        .isFalse();
  }

  // ------------------------------------------------------------------ rollout steps

  @Test
  void aStepPayloadFromTheWorkflowRunsAndEveryLineCarriesTheRolloutsKeys() throws Exception {
    PlanDocument plan = world.canaryLiveUpdating();
    RolloutStepsHandler handler = new RolloutStepsHandler(world.steps);

    Object out = invoke(handler, payload("awaitEndpoint", plan, Map.of(
        "phase", "canary-fleet", "taskToken", WAIT_TOKEN.reveal())));

    assertThat(out).isEqualTo(Map.of());
    assertThat(world.store.tokens.get(InMemoryRolloutStore.key(ENDPOINT, TokenKind.WAIT)).token())
        .isEqualTo(WAIT_TOKEN);
    List<Map<String, Object>> lines = logs.lines();
    assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line)
        .containsEntry("executionName", EXEC.name())
        .containsEntry("endpointName", ENDPOINT)
        .containsEntry("modelPackageArn", RolloutWorld.ARN));
    assertThat(lines).anySatisfy(line -> assertThat(line)
        .containsEntry("message", "waiting for the endpoint-state event")
        .containsEntry("phase", "canary-fleet").containsEntry("level", "INFO"));
  }

  @Test
  void aStepErrorReachesStepFunctionsUnderItsClassNameAndIsLoggedOnce() throws Exception {
    PlanDocument plan = world.atFirstStep();
    world.alarms.set(RolloutWorld.GATE_ALARM, dev.poolshift.rollout.canary.AlarmState.ALARM, "high");
    RolloutStepsHandler handler = new RolloutStepsHandler(world.steps);

    assertThatThrownBy(() -> invoke(handler, payload("startBake", plan, Map.of("stepIndex", 0,
        "bakeStartedAt", world.now.toString(), "taskToken", BAKE_TOKEN.reveal()))))
        .isExactlyInstanceOf(CanaryAlarmException.class);
    assertThat(logs.lines()).filteredOn(l -> "invocation failed".equals(l.get("message")))
        .singleElement().satisfies(l -> assertThat(l).containsEntry("errorType",
            "dev.poolshift.rollout.CanaryAlarmException").containsEntry("level", "WARN"));
  }

  @Test
  void aMalformedStepPayloadNamesTheFieldWithoutEchoingIt() throws Exception {
    PlanDocument plan = world.plan();
    RolloutStepsHandler handler = new RolloutStepsHandler(world.steps);

    assertThatThrownBy(() -> invoke(handler, payload("shiftTraffic", plan,
        Map.of("stepIndex", "first"))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("stepIndex: malformed");
    assertThatThrownBy(() -> invoke(handler, "{\"step\": ".getBytes()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> invoke(handler, payload("holdForOperator", plan, Map.of(
        "stepIndex", 0, "taskToken", ""))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("taskToken: must be 1–2048 characters");
  }

  @Test
  void theHandlersBuildTheirRealGraphFromTheEnvironmentWithoutCallingAws() {
    Map<String, String> env = Map.of("AWS_REGION", "us-east-1", "STATE_TABLE", "state",
        "LEDGER_TABLE", "ledger", "NOTIFICATION_TOPIC_ARN", "arn:aws:sns:us-east-1:1:t",
        "MANAGED_ALARM_PREFIX", "poolshift-", "PROFILE_PARAMETER_PREFIX", "/poolshift/profiles",
        "STATE_MACHINE_ARN", "arn:aws:states:us-east-1:111122223333:stateMachine:poolshift");

    List<Object> handlers = List.of(new RolloutStepsHandler(env),
        new ApprovalIntakeHandler(env), new EndpointEventsHandler(env),
        new AlarmEventsHandler(env), new ReconcilerHandler(env));

    assertThat(handlers).hasSize(5);
    assertThatThrownBy(() -> new RolloutStepsHandler(Map.of("AWS_REGION", "us-east-1",
        "STATE_TABLE", "s", "LEDGER_TABLE", "l", "NOTIFICATION_TOPIC_ARN", "t")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("MANAGED_ALARM_PREFIX");
  }

  @Test
  void listsAndNumbersAreLoggedAsJsonNotAsText() throws Exception {
    PlanDocument plan = world.canaryLive();
    RolloutStepsHandler handler = new RolloutStepsHandler(world.steps);

    invoke(handler, payload("shiftTraffic", plan, Map.of("stepIndex", 0)));

    assertThat(logs.lines()).filteredOn(l -> "models created".equals(l.get("message")))
        .last().satisfies(l -> assertThat(l.get("models")).asInstanceOf(
            org.assertj.core.api.InstanceOfAssertFactories.LIST).hasSize(plan.models().size()));
    assertThat(logs.lines()).filteredOn(l -> "canary weights set".equals(l.get("message")))
        .singleElement().satisfies(l -> {
          assertThat(l.get("percent")).isEqualTo(10);
          assertThat(l.get("weights")).isInstanceOf(Map.class);
        });
  }

  // ------------------------------------------------------------------ events

  @Test
  void anApprovalEventStartsTheRollout() throws Exception {
    ApprovalIntakeHandler handler = new ApprovalIntakeHandler(intake());

    Object out = invoke(handler, sample("model-package/approved.json"));

    assertThat(out).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("outcome", "STARTED");
    assertThat(logs.lines()).anySatisfy(l -> assertThat(l)
        .containsEntry("message", "rollout started for the approval")
        .containsKey("executionName").containsEntry("modelPackageArn", RolloutWorld.ARN));
  }

  @Test
  void aMetadataOnlyReEmitStartsNothing() throws Exception {
    Object out = invoke(new ApprovalIntakeHandler(intake()),
        sample("model-package/approved-metadata-reemit.json"));

    assertThat(out).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("outcome", "IGNORED");
    assertThat(world.executions.calls).isZero();
  }

  @Test
  void aRejectionOfTheLiveCanaryFailsItsBakeWithoutLoggingTheToken() throws Exception {
    PlanDocument plan = world.atFirstStep();
    world.run(world.call("startBake").plan(plan).stepIndex(0).token(BAKE_TOKEN)
        .bakeStartedAt(world.now));

    Object out = invoke(new ApprovalIntakeHandler(intake()), sample("model-package/rejected.json"));

    assertThat(out).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("outcome", "ROLLBACK_REQUESTED");
    assertThat(world.callbacks.sent).singleElement()
        .satisfies(c -> assertThat(c.error()).isEqualTo("dev.poolshift.rollout.PackageRejectedException"));
  }

  @Test
  void aMalformedEventIsRefusedNamingTheField() {
    byte[] event = Json.writeBytes(Map.of("id", "x", "detail-type",
        "SageMaker Model Package State Change", "source", "aws.sagemaker", "account",
        "111122223333", "region", "us-east-1", "time", "2026-06-01T12:00:00Z",
        "detail", Map.of("ModelApprovalStatus", 7)));

    assertThatThrownBy(() -> invoke(new ApprovalIntakeHandler(intake()), event))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("detail.ModelPackageArn: required")
        .hasMessageContaining("detail.ModelApprovalStatus: must be a string (got number)");
  }

  @Test
  void anEnvelopeMissingFieldsIsRefusedNamingEachOne() {
    byte[] event = Json.writeBytes(Map.of("id", "x", "detail-type",
        "SageMaker Model Package State Change", "source", "aws.sagemaker",
        "region", "us-east-1"));

    assertThatThrownBy(() -> invoke(new ApprovalIntakeHandler(intake()), event))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("account: required")
        .hasMessageContaining("time: required")
        .hasMessageContaining("detail: required")
        .message().doesNotContain("id: required").doesNotContain("source: required");
  }

  @Test
  void aNullEventIsRefusedAsNotAnObject() {
    assertThatThrownBy(() -> new ApprovalIntakeHandler(intake()).handleRequest(null, null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("(root): must be a JSON object (got null)");
  }

  @Test
  void anEventWithTheWrongDetailTypeIsRefusedNamingIt() throws Exception {
    assertThatThrownBy(() -> invoke(new EndpointEventsHandler(new EndpointEventResponder(
        world.store, world.sageMaker, world.sageMaker, world.callbacks)),
        sample("model-package/approved.json")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("detail-type: must be \"SageMaker Endpoint State Change\"");
  }

  @Test
  void everyEventBridgeSampleReadThroughTheLibraryTypeGivesTheEnvelopeItsJsonGives()
      throws Exception {
    List<java.nio.file.Path> samples;
    try (var files = Files.walk(Events.path("endpoint/in-service.json").getParent().getParent())) {
      samples = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }

    assertThat(samples).hasSizeGreaterThanOrEqualTo(8);
    for (java.nio.file.Path sample : samples) {
      byte[] json = Files.readAllBytes(sample);
      EventEnvelope typed = EventBridgeEvents.envelope(scheduledEvent(json));

      assertThat(typed).as(sample.toString())
          .isEqualTo(EventEnvelope.parse(Json.readValue(json)));
    }
  }

  @Test
  void anEndpointInServiceEventCompletesTheParkedWait() throws Exception {
    PlanDocument plan = world.canaryLiveUpdating();
    world.run(world.call("awaitEndpoint").plan(plan).phase("canary-fleet").token(WAIT_TOKEN));
    world.sageMaker.completeUpdate(ENDPOINT);
    EndpointEventsHandler handler = new EndpointEventsHandler(
        new EndpointEventResponder(world.store, world.sageMaker, world.sageMaker, world.callbacks));

    Object out = invoke(handler, sample("endpoint/in-service.json"));
    Object again = invoke(handler, sample("endpoint/in-service.json"));

    assertThat(out).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("outcome", "COMPLETED");
    assertThat(again).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("outcome", "IGNORED");
    assertThat(logs.lines()).filteredOn(l -> "endpoint settled; wait completed"
        .equals(l.get("message"))).singleElement()
        .satisfies(l -> assertThat(l).containsEntry("executionName", EXEC.name())
            .containsEntry("endpointName", ENDPOINT).containsEntry("callback", "DELIVERED"));
  }

  @Test
  void anEndpointFailedEventEndsTheWaitForTheVerifyStepToJudge() throws Exception {
    PlanDocument plan = world.canaryLiveUpdating();
    world.run(world.call("awaitEndpoint").plan(plan).phase("canary-fleet").token(WAIT_TOKEN));
    world.sageMaker.status(ENDPOINT, "Failed", "InsufficientInstanceCapacity");

    Object out = invoke(new EndpointEventsHandler(new EndpointEventResponder(world.store,
        world.sageMaker, world.sageMaker, world.callbacks)), sample("endpoint/failed.json"));

    assertThat(out).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("outcome", "COMPLETED");
  }

  @Test
  void aCanaryAlarmRestoresTheBaselineAndFailsTheBake() throws Exception {
    PlanDocument plan = world.atFirstStep();
    world.run(world.call("startBake").plan(plan).stepIndex(0).token(BAKE_TOKEN)
        .bakeStartedAt(world.now));
    AlarmEventsHandler handler = new AlarmEventsHandler(new AlarmResponder(world.store,
        world.sageMaker, world.sageMaker, world.callbacks));

    Object out = invoke(handler, sample("alarm/canary-5xx-rate-alarm.json"));

    assertThat(out).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("outcome", "ROLLBACK_STARTED").containsEntry("weightsRestored", true)
        .containsEntry("waitsFailed", List.of("BAKE"));
    assertThat(logs.lines()).filteredOn(l -> String.valueOf(l.get("message"))
        .startsWith("canary alarm")).singleElement().satisfies(l -> assertThat(l)
            .containsEntry("executionName", EXEC.name()).containsEntry("endpointName", ENDPOINT)
            .containsEntry("modelPackageArn", RolloutWorld.ARN)
            .containsEntry("alarmName", "poolshift-fraud-scoring-prod-canary-v42-5xx-rate"));
  }

  @Test
  void aWarmContainersNextInvocationDoesNotInheritThePreviousOnesLogKeys() throws Exception {
    PlanDocument plan = world.atFirstStep();
    world.run(world.call("startBake").plan(plan).stepIndex(0).token(BAKE_TOKEN)
        .bakeStartedAt(world.now));
    AlarmEventsHandler handler = new AlarmEventsHandler(new AlarmResponder(world.store,
        world.sageMaker, world.sageMaker, world.callbacks));
    invoke(handler, sample("alarm/canary-5xx-rate-alarm.json"));
    int before = logs.lines().size();

    // The same container, next event: an alarm that maps to no rollout. (PowertoolsLogging.withLogging
    // clears the MDC after each invocation; this pins it.)
    String other = new String(sample("alarm/canary-5xx-rate-alarm.json"), java.nio.charset.StandardCharsets.UTF_8)
        .replace("poolshift-fraud-scoring-prod-canary-v42-5xx-rate", "poolshift-some-other-alarm");
    invoke(handler, other.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThat(logs.lines().subList(before, logs.lines().size())).isNotEmpty()
        .allSatisfy(l -> assertThat(l).doesNotContainKeys("executionName", "endpointName", "modelPackageArn"));
  }

  @Test
  void anAbortedExecutionAndTheSweepPutTheEndpointBack() throws Exception {
    world.atFirstStep();
    world.executions.statuses.put(EXEC.id(), "ABORTED");
    ReconcilerHandler handler = new ReconcilerHandler(new Reconciler(
        new Reconciler.Settings("state"), world.store, world.executions, world.sageMaker,
        world.sageMaker, world.ledger, world.notifier, world.alarms, world.sageMaker,
        world.callbacks));

    Object first = invoke(handler, sample("execution/aborted.json"));
    world.sageMaker.completeWeights(ENDPOINT);
    Object second = invoke(handler, sample("scheduler/reconciler-sweep.json"));

    assertThat(Json.write(first)).contains("\"action\":\"RESTORING_TRAFFIC\"");
    assertThat(Json.write(second)).contains("\"action\":\"RESTORING_CONFIG\"");
  }

  // ------------------------------------------------------------------ helpers

  private ApprovalIntake intake() {
    return new ApprovalIntake(ApprovalIntake.Settings.fromStateMachineArn(
        "arn:aws:states:us-east-1:111122223333:stateMachine:poolshift-rollout"),
        world.profiles, world.sageMaker, world.executions, world.store, world.callbacks,
        world.sageMaker, world.ledger);
  }

  private byte[] payload(String step, PlanDocument plan, Map<String, Object> fields) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("step", step);
    p.put("now", world.now.toString());
    p.put("plan", plan);
    p.put("execution", EXEC);
    p.putAll(fields);
    return Json.writeBytes(p);
  }

  private static byte[] sample(String name) throws Exception {
    return Files.readAllBytes(Events.path(name));
  }

  private static Object invoke(RequestStreamHandler handler, byte[] input) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(input), out, null);
    return Json.parse(out.toString());
  }

  /**
   * As the Java Lambda runtime calls a function typed on the events library's envelope: the
   * runtime's own event serializer reads the JSON, the handler's result goes out as JSON.
   */
  private static Object invoke(RequestHandler<ScheduledEvent, ?> handler, byte[] input)
      throws Exception {
    return Json.parse(Json.write(handler.handleRequest(scheduledEvent(input), null)));
  }

  private static final PojoSerializer<ScheduledEvent> RUNTIME_READER =
      LambdaEventSerializers.serializerFor(ScheduledEvent.class,
          ScheduledEvent.class.getClassLoader());

  static ScheduledEvent scheduledEvent(byte[] json) {
    return RUNTIME_READER.fromJson(new ByteArrayInputStream(json));
  }
}
