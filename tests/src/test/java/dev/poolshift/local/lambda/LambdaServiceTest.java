package dev.poolshift.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.lambda.handlers.BrokenInitHandler;
import dev.poolshift.local.lambda.handlers.FailingHandler;
import dev.poolshift.local.sim.Simulation;
import dev.poolshift.local.template.SamTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LambdaServiceTest {
  private static final SamTemplate TEMPLATE = SamTemplate.load(Path.of("tests/src/test/resources/template/lambda.yaml"));
  private static final String ARN_PREFIX = "arn:aws:lambda:us-east-1:111122223333:function:";

  private final Instant t0 = Simulation.DEFAULT_EPOCH;
  private final Simulation sim = Simulation.discrete(t0);
  private final LambdaService lambda = LambdaService.fromTemplate(sim, TEMPLATE, LambdaSettings.DEFAULT);

  @AfterEach
  void close() {
    sim.close();
  }

  /** Runs {@code body} as an activity until it finishes; returns its value or throws what it threw. */
  private <T> T inActivity(Callable<T> body) {
    AtomicReference<Object> outcome = new AtomicReference<>();
    sim.spawn("test", () -> {
      try {
        outcome.set(new Object[] {body.call()});
      } catch (Exception e) {
        outcome.set(e);
      }
    });
    sim.runUntil(() -> outcome.get() != null, t0.plus(Duration.ofDays(2)));
    if (outcome.get() instanceof Exception e) {
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e);
    }
    @SuppressWarnings("unchecked")
    T value = (T) ((Object[]) outcome.get())[0];
    return value;
  }

  private InvokeResult invoke(String function, String payload) {
    return inActivity(() -> lambda.invoke(InvokeRequest.of(function, payload)));
  }

  private static JsonNode json(InvokeResult r) {
    return LocalJson.parse(r.payloadText());
  }

  // ------------------------------------------------------------------ handlers and environment

  @Test
  void streamHandlerGetsThePayloadAndTheFullEnvironmentThroughItsMapConstructor() {
    InvokeResult result = invoke("echo", "{\"endpoint\":\"fraud\"}");

    assertThat(result.statusCode()).isEqualTo(200);
    assertThat(result.functionError()).isNull();
    assertThat(result.executedVersion()).isEqualTo("$LATEST");
    JsonNode out = json(result);
    assertThat(out.at("/input/endpoint").asText()).isEqualTo("fraud");
    JsonNode env = out.get("env");
    assertThat(env.get("TABLE_NAME").asText()).isEqualTo("poolshift-Table");
    assertThat(env.get("AWS_REGION").asText()).isEqualTo("us-east-1");
    assertThat(env.get("AWS_DEFAULT_REGION").asText()).isEqualTo("us-east-1");
    assertThat(env.get("AWS_LAMBDA_FUNCTION_NAME").asText()).isEqualTo("echo");
    assertThat(env.get("AWS_LAMBDA_FUNCTION_VERSION").asText()).isEqualTo("$LATEST");
    assertThat(env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").asText()).isEqualTo("512");
    assertThat(env.get("AWS_EXECUTION_ENV").asText()).isEqualTo("AWS_Lambda_java25");
    assertThat(env.get("_HANDLER").asText()).isEqualTo("dev.poolshift.local.lambda.handlers.EchoHandler");
    assertThat(env.get("AWS_LAMBDA_INITIALIZATION_TYPE").asText()).isEqualTo("on-demand");
    assertThat(out.get("requestId").asText()).isEqualTo(result.requestId());
  }

  @Test
  void contextCountsRemainingTimeInVirtualTime() {
    JsonNode out = json(invoke("echo", "{}"));

    assertThat(out.get("remainingMillis").asInt()).isEqualTo(10_000);
  }

  @Test
  void requestHandlerDeserializesTheInputAndSerializesTheResult() {
    InvokeResult result = invoke("greeting", "{\"name\":\"pool\",\"times\":2,\"extra\":true}");

    assertThat(json(result)).isEqualTo(LocalJson.parse("{\"message\":\"hello pool\",\"times\":2}"));
  }

  @Test
  void anEventsLibraryInputIsReadAsTheJavaRuntimeReadsIt() throws Exception {
    String sample = java.nio.file.Files.readString(Path.of("events/eventbridge/endpoint/in-service.json"));
    JsonNode event = LocalJson.parse(sample);

    JsonNode out = json(invoke("eventbridge-envelope", sample));

    // "detail-type" reaches getDetailType() and "time" a Joda DateTime: the runtime's mix-ins,
    // which plain Jackson lacks.
    assertThat(out.get("id").asText()).isEqualTo(event.get("id").asText());
    assertThat(out.get("detailType").asText()).isEqualTo("SageMaker Endpoint State Change");
    assertThat(out.get("timeMillis").asLong())
        .isEqualTo(Instant.parse(event.get("time").asText()).toEpochMilli());
    assertThat(out.get("resources")).isEqualTo(event.get("resources"));
    // The runtime's writer leaves null members out, in maps too (the detail's FailureReason).
    com.fasterxml.jackson.databind.node.ObjectNode detail = event.get("detail").deepCopy();
    assertThat(detail.remove("FailureReason").isNull()).isTrue();
    assertThat(out.get("detail")).isEqualTo(detail);
    assertThat(out.has("replyTo")).isFalse();
  }

  @Test
  void inputThatDoesNotFitTheHandlerTypeFailsWithTheRuntimesJsonParsingError() {
    InvokeResult result = invoke("greeting", "[1, 2]");

    assertThat(result.functionError()).isEqualTo("Unhandled");
    assertThat(json(result).get("errorType").asText()).isEqualTo("java.lang.RuntimeException");
    assertThat(json(result).get("errorMessage").asText()).isEqualTo("An error occurred during JSON parsing");
  }

  @Test
  void anUnhandledExceptionIsReportedWithItsFullClassNameMessageStackAndCause() {
    InvokeResult result = invoke("nested", "{}");

    assertThat(result.statusCode()).isEqualTo(200);
    assertThat(result.functionError()).isEqualTo("Unhandled");
    JsonNode error = json(result);
    assertThat(List.of(error.fieldNames().next())).containsExactly("errorMessage");
    assertThat(error.get("errorType").asText())
        .isEqualTo("dev.poolshift.local.lambda.handlers.FailingHandler$WeightUpdateRejectedException");
    assertThat(error.get("errorMessage").asText()).isEqualTo("weights rejected");
    assertThat(error.get("stackTrace").get(0).asText()).contains("FailingHandler.nested");
    assertThat(error.at("/cause/errorType").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.at("/cause/errorMessage").asText()).isEqualTo("endpoint is Updating");
  }

  @Test
  void anExceptionWithoutMessageReportsItsClassNameAsMessage() {
    JsonNode error = json(invoke("null-message", "{}"));

    assertThat(error.get("errorMessage").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.has("cause")).isFalse();
  }

  @Test
  void aConstructorFailureIsAnUnhandledErrorAndTheNextInvocationInitialisesAgain() {
    int before = BrokenInitHandler.ATTEMPTS.get();

    InvokeResult first = invoke("broken-init", "{}");
    InvokeResult second = invoke("broken-init", "{}");

    assertThat(first.functionError()).isEqualTo("Unhandled");
    assertThat(json(first).get("errorType").asText()).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(json(first).get("errorMessage").asText()).isEqualTo("MISSING_VAR is not set");
    assertThat(second.functionError()).isEqualTo("Unhandled");
    assertThat(BrokenInitHandler.ATTEMPTS.get() - before).isEqualTo(2);
    assertThat(lambda.function("broken-init").coldStarts()).isEqualTo(2);
  }

  // ------------------------------------------------------------------ cold and warm

  @Test
  void theFirstInvocationIsAColdStartAndLaterOnesReuseTheWarmEnvironment() {
    Instant start = sim.now();
    JsonNode first = json(invoke("echo", "{}"));
    Instant afterFirst = sim.now();
    JsonNode second = json(invoke("echo", "{}"));

    assertThat(Duration.between(start, afterFirst)).isEqualTo(Duration.ofMillis(2020));
    assertThat(Duration.between(afterFirst, sim.now())).isEqualTo(Duration.ofMillis(20));
    assertThat(second.get("instance").asInt()).isEqualTo(first.get("instance").asInt());
    assertThat(lambda.invocations()).extracting(Invocation::coldStart).containsExactly(true, false);
    assertThat(lambda.function("Echo").coldStarts()).isEqualTo(1);
  }

  @Test
  void invokingTheAliasOfASnapStartFunctionRestoresASnapshotAndRunsVersionOne() {
    Instant start = sim.now();
    InvokeResult result = invoke(ARN_PREFIX + "echo:live", "{}");

    assertThat(Duration.between(start, sim.now())).isEqualTo(Duration.ofMillis(320));
    assertThat(result.executedVersion()).isEqualTo("1");
    assertThat(json(result).at("/env/AWS_LAMBDA_INITIALIZATION_TYPE").asText()).isEqualTo("snap-start");
    assertThat(json(result).get("invokedArn").asText()).isEqualTo(ARN_PREFIX + "echo:live");
    assertThat(lambda.function("echo").logs()).extracting(LogLine::text).anyMatch(l -> l.startsWith("RESTORE_START"));
  }

  @Test
  void concurrentInvocationsGetSeparateEnvironments() {
    List<JsonNode> outputs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      sim.spawn("caller" + i, () -> {
        InvokeResult r = lambda.invoke(InvokeRequest.of("echo", "{}"));
        synchronized (outputs) {
          outputs.add(json(r));
        }
      });
    }
    sim.runUntilIdle(t0.plusSeconds(60));

    assertThat(outputs).extracting(o -> o.get("instance").asInt()).doesNotHaveDuplicates();
    assertThat(lambda.function("echo").coldStarts()).isEqualTo(2);
    assertThat(lambda.function("echo").warmEnvironments()).isEqualTo(2);
  }

  @Test
  void perFunctionDurationsOverrideTheDefaults() {
    lambda.function("greeting").initDuration(Duration.ZERO).invokeDuration(Duration.ofSeconds(3));
    Instant start = sim.now();

    invoke("greeting", "{\"name\":\"x\"}");

    assertThat(Duration.between(start, sim.now())).isEqualTo(Duration.ofSeconds(3));
  }

  // ------------------------------------------------------------------ service errors

  @Test
  void anUnknownFunctionOrQualifierIsResourceNotFound() {
    assertThatThrownBy(() -> invoke("nope", "{}"))
        .isInstanceOfSatisfying(LambdaServiceException.class, e -> {
          assertThat(e.code()).isEqualTo("ResourceNotFoundException");
          assertThat(e.status()).isEqualTo(404);
        })
        .hasMessage("Function not found: " + ARN_PREFIX + "nope");
    assertThatThrownBy(() -> invoke("greeting:live", "{}"))
        .hasMessage("Function not found: " + ARN_PREFIX + "greeting:live");
    assertThatThrownBy(() -> invoke("arn:aws:lambda:eu-west-1:111122223333:function:greeting", "{}"))
        .hasMessageContaining("Function not found");
  }

  @Test
  void reservedConcurrencyThrottlesTheInvocationThatWouldExceedIt() {
    List<Object> outcomes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      sim.spawn("caller" + i, () -> {
        Object outcome;
        try {
          outcome = lambda.invoke(InvokeRequest.of("single", "{}"));
        } catch (LambdaServiceException e) {
          outcome = e;
        }
        synchronized (outcomes) {
          outcomes.add(outcome);
        }
      });
    }
    sim.runUntilIdle(t0.plusSeconds(60));

    assertThat(outcomes).hasSize(2);
    assertThat(outcomes).filteredOn(o -> o instanceof InvokeResult).hasSize(1);
    LambdaServiceException throttle = (LambdaServiceException) outcomes.stream()
        .filter(o -> o instanceof LambdaServiceException).findFirst().orElseThrow();
    assertThat(throttle.code()).isEqualTo("TooManyRequestsException");
    assertThat(throttle.status()).isEqualTo(429);
    assertThat(throttle.reason()).isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded");
  }

  @Test
  void reservedConcurrencyZeroThrottlesEveryInvocation() {
    assertThatThrownBy(() -> invoke("disabled", "{}"))
        .isInstanceOfSatisfying(LambdaServiceException.class,
            e -> assertThat(e.code()).isEqualTo("TooManyRequestsException"));
    assertThat(lambda.invocations()).extracting(Invocation::outcome).containsExactly(Invocation.Outcome.THROTTLED);
  }

  @Test
  void injectedThrottlesAndServiceErrorsApplyToTheNextAttemptsThenStop() {
    lambda.function("greeting").faults().throttleNext(1).serviceErrorNext(1);

    assertThatThrownBy(() -> invoke("greeting", "{\"name\":\"a\"}"))
        .isInstanceOfSatisfying(LambdaServiceException.class, e -> assertThat(e.code()).isEqualTo("TooManyRequestsException"));
    assertThatThrownBy(() -> invoke("greeting", "{\"name\":\"a\"}"))
        .isInstanceOfSatisfying(LambdaServiceException.class, e -> {
          assertThat(e.code()).isEqualTo("ServiceException");
          assertThat(e.status()).isEqualTo(500);
        });
    assertThat(invoke("greeting", "{\"name\":\"a\"}").functionError()).isNull();
    assertThat(lambda.invocations()).extracting(Invocation::outcome).containsExactly(Invocation.Outcome.THROTTLED,
        Invocation.Outcome.SERVICE_ERROR, Invocation.Outcome.SUCCESS);
  }

  @Test
  void anUnavailableFunctionIsNotFound() {
    lambda.function("greeting").faults().unavailable(true);

    assertThatThrownBy(() -> invoke("greeting", "{}"))
        .isInstanceOfSatisfying(LambdaServiceException.class, e -> assertThat(e.code()).isEqualTo("ResourceNotFoundException"));
  }

  @Test
  void aPayloadThatIsNotJsonIsRejected() {
    assertThatThrownBy(() -> invoke("greeting", "not json"))
        .isInstanceOfSatisfying(LambdaServiceException.class,
            e -> assertThat(e.code()).isEqualTo("InvalidRequestContentException"));
  }

  // ------------------------------------------------------------------ timeouts

  @Test
  void aTimeoutFaultRunsTheHandlerThenReportsSandboxTimedoutAfterTheFunctionTimeout() {
    lambda.function("echo").faults().timeoutNext(1);
    int handlerRunsBefore = dev.poolshift.local.lambda.handlers.EchoHandler.INVOCATIONS.get();
    Instant start = sim.now();

    InvokeResult result = invoke("echo", "{}");

    assertThat(result.functionError()).isEqualTo("Unhandled");
    JsonNode error = json(result);
    assertThat(error.get("errorType").asText()).isEqualTo("Sandbox.Timedout");
    assertThat(error.get("errorMessage").asText())
        .isEqualTo("RequestId: " + result.requestId() + " Error: Task timed out after 10.00 seconds");
    assertThat(Duration.between(start, sim.now())).isEqualTo(Duration.ofSeconds(12));
    assertThat(dev.poolshift.local.lambda.handlers.EchoHandler.INVOCATIONS.get() - handlerRunsBefore).isEqualTo(1);
    assertThat(lambda.invocations().getLast().outcome()).isEqualTo(Invocation.Outcome.TIMEOUT);

    invoke("echo", "{}");
    assertThat(lambda.invocations().getLast().coldStart()).as("a timed-out environment is not reused").isTrue();
  }

  @Test
  void aHandlerModeledSlowerThanItsTimeoutTimesOut() {
    lambda.function("greeting").invokeDuration(Duration.ofSeconds(11));

    InvokeResult result = invoke("greeting", "{\"name\":\"x\"}");

    assertThat(json(result).get("errorType").asText()).isEqualTo("Sandbox.Timedout");
  }

  // ------------------------------------------------------------------ logs

  @Test
  void logsAreCapturedPerFunctionWithLambdasStartEndAndReportLines() {
    InvokeResult result = inActivity(() -> lambda.invoke(InvokeRequest.of("echo", "{}").withLogTail()));
    invoke("greeting", "{\"name\":\"x\"}");

    List<String> echo = lambda.function("echo").logs().stream().map(LogLine::text).toList();
    assertThat(echo).contains("START RequestId: " + result.requestId() + " Version: $LATEST",
        "stdout line for " + result.requestId(), "logger line", "END RequestId: " + result.requestId());
    assertThat(echo).anyMatch(l -> l.startsWith("init instance"));
    assertThat(echo).anyMatch(l -> l.startsWith("REPORT RequestId: " + result.requestId()) && l.contains("Init Duration"));
    assertThat(lambda.function("greeting").logs()).extracting(LogLine::text).noneMatch(l -> l.contains("stdout line"));
    String tail = new String(java.util.Base64.getDecoder().decode(result.logResult()));
    assertThat(tail).contains("stdout line for " + result.requestId());
  }

  @Test
  void log4jOutputOfAHandlerIsCapturedInItsFunctionsLog() {
    org.apache.logging.log4j.LogManager.getLogger("initialised-before-the-handler").warn("outside any function");

    InvokeResult result = invoke("log4j", "{}");

    assertThat(lambda.function("log4j").logs()).filteredOn(l -> l.requestId().equals(result.requestId()))
        .extracting(LogLine::text).anyMatch(l -> l.contains("decision weight=10 verdict=continue"));
    assertThat(lambda.logs()).extracting(LogLine::text).noneMatch(l -> l.contains("outside any function"));
  }

  // ------------------------------------------------------------------ asynchronous invocation

  @Test
  void anAsyncEventThatKeepsFailingIsRetriedTwiceAfterOneThenTwoMinutesThenSentToTheDeadLetterQueue() {
    FailingHandler.FLAKY_FAILURES_LEFT.set(100);

    String requestId = lambda.invokeAsync(InvokeRequest.of("flaky", "{\"k\":1}").withOrigin("rule/x"));
    sim.runUntilIdle(t0.plus(Duration.ofHours(1)));

    List<Invocation> attempts = lambda.invocationsFrom("rule/x");
    assertThat(attempts).extracting(Invocation::attempt).containsExactly(1, 2, 3);
    assertThat(attempts).extracting(Invocation::requestId).containsOnly(requestId);
    Instant first = attempts.get(0).start();
    assertThat(first).isEqualTo(t0.plusMillis(50));
    assertThat(Duration.between(attempts.get(0).end(), attempts.get(1).start())).isEqualTo(Duration.ofMinutes(1));
    assertThat(Duration.between(attempts.get(1).end(), attempts.get(2).start())).isEqualTo(Duration.ofMinutes(2));
    DeadLetterMessage dlq = lambda.deadLetterMessages().getFirst();
    assertThat(dlq.targetArn()).isEqualTo("arn:aws:sqs:us-east-1:111122223333:poolshift-Dlq");
    assertThat(dlq.body()).isEqualTo("{\"k\":1}");
    assertThat(dlq.attributes()).containsEntry("RequestID", requestId).containsEntry("ErrorCode", "200")
        .containsEntry("ErrorMessage", "not yet");
    DestinationRecord record = lambda.destinationRecords().getFirst();
    assertThat(record.destinationArn()).isEqualTo("arn:aws:sns:us-east-1:111122223333:poolshift-FailureTopic");
    assertThat(record.condition()).isEqualTo("RetriesExhausted");
    assertThat(record.record().at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(3);
    assertThat(record.record().at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
    assertThat(record.record().at("/requestPayload/k").asInt()).isEqualTo(1);
    assertThat(lambda.asyncEvents()).singleElement().satisfies(e -> {
      assertThat(e.status()).isEqualTo(AsyncEvent.Status.FAILED);
      assertThat(e.condition()).isEqualTo("RetriesExhausted");
    });
  }

  @Test
  void maximumRetryAttemptsFromEventInvokeConfigIsHonoured() {
    FailingHandler.FLAKY_FAILURES_LEFT.set(100);

    lambda.invokeAsync(InvokeRequest.of("one-retry", "{}"));
    sim.runUntilIdle(t0.plus(Duration.ofHours(1)));

    assertThat(lambda.invocations()).hasSize(2);
    assertThat(lambda.deadLetterMessages()).hasSize(1);
  }

  @Test
  void anAsyncEventThatSucceedsOnRetryGoesToTheOnSuccessDestination() {
    FailingHandler.FLAKY_FAILURES_LEFT.set(1);

    lambda.invokeAsync(InvokeRequest.of("flaky", "{}"));
    sim.runUntilIdle(t0.plus(Duration.ofHours(1)));

    assertThat(lambda.invocations()).extracting(Invocation::outcome)
        .containsExactly(Invocation.Outcome.FUNCTION_ERROR, Invocation.Outcome.SUCCESS);
    assertThat(lambda.deadLetterMessages()).isEmpty();
    assertThat(lambda.destinationRecords()).singleElement().satisfies(r -> {
      assertThat(r.condition()).isEqualTo("Success");
      assertThat(r.record().get("responsePayload").asText()).isEqualTo("done");
    });
  }

  @Test
  void throttledAsyncAttemptsBackOffExponentiallyWithoutUsingRetries() {
    FailingHandler.FLAKY_FAILURES_LEFT.set(0);
    lambda.function("flaky").faults().throttleNext(3);

    lambda.invokeAsync(InvokeRequest.of("flaky", "{}"));
    sim.runUntilIdle(t0.plus(Duration.ofHours(1)));

    List<Invocation> attempts = lambda.invocations();
    assertThat(attempts).extracting(Invocation::outcome).containsExactly(Invocation.Outcome.THROTTLED,
        Invocation.Outcome.THROTTLED, Invocation.Outcome.THROTTLED, Invocation.Outcome.SUCCESS);
    assertThat(attempts).extracting(i -> Duration.between(t0, i.start()).toMillis())
        .containsExactly(50L, 1050L, 3050L, 7050L);
  }

  @Test
  void anAsyncEventThrottledPastItsMaximumAgeIsDroppedToTheDeadLetterQueue() {
    lambda.function("flaky").faults().throttleAll(true);

    lambda.invokeAsync(InvokeRequest.of("flaky", "{}"));
    sim.runUntilIdle(t0.plus(Duration.ofHours(2)));

    assertThat(lambda.asyncEvents()).singleElement().satisfies(e -> {
      assertThat(e.condition()).isEqualTo("EventAgeExceeded");
      assertThat(e.finishedAt()).isEqualTo(t0.plusSeconds(3600));
    });
    assertThat(lambda.deadLetterMessages()).singleElement()
        .satisfies(m -> assertThat(m.attributes()).containsEntry("ErrorCode", "429"));
    assertThat(lambda.invocations()).allMatch(i -> i.outcome() == Invocation.Outcome.THROTTLED);
  }

  @Test
  void asyncInvokeOfAnUnknownFunctionFailsAtOnceAndRejectionsAreTooManyRequests() {
    assertThatThrownBy(() -> lambda.invokeAsync(InvokeRequest.of("nope", "{}")))
        .isInstanceOfSatisfying(LambdaServiceException.class, e -> assertThat(e.code()).isEqualTo("ResourceNotFoundException"));
    lambda.function("flaky").faults().rejectAsyncNext(1);
    assertThatThrownBy(() -> lambda.invokeAsync(InvokeRequest.of("flaky", "{}")))
        .isInstanceOfSatisfying(LambdaServiceException.class, e -> assertThat(e.code()).isEqualTo("TooManyRequestsException"));
    assertThat(lambda.invokeAsync(InvokeRequest.of("flaky", "{}"))).isNotBlank();
  }

  // ------------------------------------------------------------------ deployment checks

  @Test
  void verifyHandlersReportsHandlersThatCannotBeFound() {
    var bad = new dev.poolshift.local.template.FunctionDef("Bad", "bad", ARN_PREFIX + "bad", "no.such.Handler", "java25",
        null, 3, 128, java.util.Map.of(), null, null, false,
        dev.poolshift.local.template.FunctionDef.AsyncInvokeConfig.DEFAULT, null, java.util.Map.of());
    LambdaService service = new LambdaService(sim, dev.poolshift.local.aws.AwsContext.DEFAULT, List.of(bad),
        LambdaSettings.DEFAULT);

    assertThat(service.verifyHandlers()).singleElement().asString().contains("Class not found: no.such.Handler");
    assertThat(lambda.verifyHandlers()).isEmpty();
  }

  @Test
  void aTemplateThatSetsAReservedVariableIsRejected() {
    var fn = new dev.poolshift.local.template.FunctionDef("Fn", "fn", ARN_PREFIX + "fn", "x.Y", "java25", null, 3, 128,
        java.util.Map.of("AWS_REGION", "eu-west-1"), null, null, false,
        dev.poolshift.local.template.FunctionDef.AsyncInvokeConfig.DEFAULT, null, java.util.Map.of());

    assertThatThrownBy(() -> new LambdaService(sim, dev.poolshift.local.aws.AwsContext.DEFAULT, List.of(fn),
        LambdaSettings.DEFAULT)).hasMessageContaining("Reserved keys used in this request: AWS_REGION");
  }
}
