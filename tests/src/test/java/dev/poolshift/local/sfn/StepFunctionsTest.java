package dev.poolshift.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.asl.HistoryEvent;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.aws.ServiceEvent;
import dev.poolshift.local.json.LocalJson;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StepFunctionsTest {
  private static final String CALLBACK = """
      {"QueryLanguage": "JSONata", "StartAt": "Wait for approval", "States": {
        "Wait for approval": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Arguments": {"FunctionName": "f", "Payload": {"token": "{% $states.context.Task.Token %}"}}%s, "End": true}}}""";
  private static final String LONG_WAIT = """
      {"QueryLanguage": "JSONata", "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}""";

  private final SfnHarness h = new SfnHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private static String callback(String extra) {
    return CALLBACK.replace("%s", extra);
  }

  private Execution.Snapshot describe(String arn) {
    return h.sfn.execution(arn).snapshot();
  }

  private static String code(Throwable t) {
    return ((AwsServiceException) t).code();
  }

  // ---------------------------------------------------------------- StartExecution (1.10.1, E69, E72)

  @Test
  void sameNameAndInputWhileRunningReturnsTheRunningExecution() {
    String machine = h.register("M", LONG_WAIT);
    StepFunctions.Started first = h.sfn.startExecution(machine, "n1", "{\"a\":1}");
    h.advance(Duration.ofSeconds(10));

    StepFunctions.Started again = h.sfn.startExecution(machine, "n1", "{\"a\":1}");

    assertThat(again).isEqualTo(first);
    assertThat(h.sfn.executions()).hasSize(1);
  }

  @Test
  void sameNameWithOtherInputIsExecutionAlreadyExists() {
    String machine = h.register("M", LONG_WAIT);
    StepFunctions.Started first = h.sfn.startExecution(machine, "n1", "{\"a\":1}");

    assertThatThrownBy(() -> h.sfn.startExecution(machine, "n1", "{\"a\":2}"))
        .isInstanceOf(AwsServiceException.class)
        .hasMessage("Execution Already Exists: '" + first.executionArn() + "'")
        .extracting(StepFunctionsTest::code).isEqualTo("ExecutionAlreadyExists");
  }

  @Test
  void aClosedExecutionsNameStaysTakenForNinetyDays() {
    String machine = h.register("M", LONG_WAIT);
    h.sfn.startExecution(machine, "n1", "{\"a\":1}");
    h.runToEnd();

    assertThatThrownBy(() -> h.sfn.startExecution(machine, "n1", "{\"a\":1}"))
        .extracting(StepFunctionsTest::code).isEqualTo("ExecutionAlreadyExists");
    h.advance(Duration.ofDays(90));
    StepFunctions.Started reused = h.sfn.startExecution(machine, "n1", "{\"a\":1}");
    assertThat(describe(reused.executionArn()).status()).isEqualTo(SfnExecutionStatus.RUNNING);
  }

  @Test
  void invalidNamesInputsAndMachinesAreRejectedWithTheirCodes() {
    String machine = h.register("M", LONG_WAIT);
    assertThatThrownBy(() -> h.sfn.startExecution(machine, "bad name", "{}")).extracting(StepFunctionsTest::code)
        .isEqualTo("InvalidName");
    assertThatThrownBy(() -> h.sfn.startExecution(machine, "x".repeat(81), "{}")).extracting(StepFunctionsTest::code)
        .isEqualTo("InvalidName");
    for (String bad : List.of("a/b", "a:b", "a$b", "a{b", "a\u0001b", "a*b")) {
      assertThatThrownBy(() -> h.sfn.startExecution(machine, bad, "{}")).as(bad).extracting(StepFunctionsTest::code)
          .isEqualTo("InvalidName");
    }
    assertThatThrownBy(() -> h.sfn.startExecution(machine, "ok", "{not json")).extracting(StepFunctionsTest::code)
        .isEqualTo("InvalidExecutionInput");
    assertThatThrownBy(() -> h.sfn.startExecution(machine + "-missing", "ok", "{}")).extracting(StepFunctionsTest::code)
        .isEqualTo("StateMachineDoesNotExist");
    assertThat(h.sfn.startExecution(machine, "x".repeat(80), null).executionArn()).endsWith(":" + "x".repeat(80));
  }

  @Test
  void startExecutionReturnsBeforeAnyStateRunsAndDefaultsInputToAnEmptyObject() {
    String machine = h.register("M", LONG_WAIT);

    StepFunctions.Started started = h.sfn.startExecution(machine, null, null);

    Execution.Snapshot s = describe(started.executionArn());
    assertThat(s.status()).isEqualTo(SfnExecutionStatus.RUNNING);
    assertThat(s.input()).isEqualTo("{}");
    assertThat(s.name()).matches("[0-9a-f-]{36}");
    assertThat(h.historyTypes(started.executionArn())).startsWith("ExecutionStarted");
  }

  // ---------------------------------------------------------------- StopExecution and timeouts (E70, E71)

  @Test
  void stopDuringAWaitAbortsAtOnceAndRunsNoCatcher() {
    String machine = h.register("M", """
        {"QueryLanguage": "JSONata", "StartAt": "W", "States": {
          "W": {"Type": "Wait", "Seconds": 60, "Next": "T"},
          "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"FunctionName": "f"},
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handler"}], "End": true},
          "Handler": {"Type": "Pass", "End": true}}}""");
    String arn = h.sfn.startExecution(machine, "e70", "{}").executionArn();
    h.advance(Duration.ofSeconds(10));

    h.sfn.stopExecution(arn, "Stopped", "by test");
    h.runToEnd();

    Execution.Snapshot s = describe(arn);
    assertThat(s.status()).isEqualTo(SfnExecutionStatus.ABORTED);
    assertThat(s.error()).isEqualTo("Stopped");
    assertThat(s.cause()).isEqualTo("by test");
    assertThat(s.stopDate()).isEqualTo(s.startDate().plusSeconds(10));
    List<HistoryEvent> history = h.sfn.history(arn);
    assertThat(history).extracting(HistoryEvent::type).containsExactly("ExecutionStarted", "WaitStateEntered", "ExecutionAborted");
    assertThat(history.get(2).details()).isEqualTo(LocalJson.parse("{\"error\":\"Stopped\",\"cause\":\"by test\"}"));
    assertThat(h.calls).isEmpty();
    assertThat(h.sim.pendingTimers()).isZero();
  }

  @Test
  void stoppingKillsTheCallbackTokenOfTheWaitingTask() {
    String arn = h.sfn.startExecution(h.register("M", callback("")), "stop", "{}").executionArn();
    String token = h.awaitCall("Wait for approval").token();
    assertThat(h.sfn.outstandingTaskTokens()).isEqualTo(1);

    h.sfn.stopExecution(arn, null, null);
    h.runToEnd();

    assertThat(h.sfn.outstandingTaskTokens()).isZero();
    assertThatThrownBy(() -> h.sfn.sendTaskSuccess(token, "{}")).extracting(StepFunctionsTest::code)
        .isEqualTo("TaskTimedOut");
    assertThat(h.sfn.history(arn).getLast().type()).isEqualTo("ExecutionAborted");
    assertThat(h.sfn.history(arn).getLast().details()).isEqualTo(LocalJson.object());
  }

  @Test
  void stoppingAClosedExecutionKeepsItsStatusAndStopDate() {
    String machine = h.register("M", """
        {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""");
    String arn = h.sfn.startExecution(machine, "done", "{}").executionArn();
    h.runToEnd();

    h.sfn.stopExecution(arn, "late", null);

    assertThat(describe(arn).status()).isEqualTo(SfnExecutionStatus.SUCCEEDED);
    assertThatThrownBy(() -> h.sfn.stopExecution(arn + "x", null, null)).extracting(StepFunctionsTest::code)
        .isEqualTo("ExecutionDoesNotExist");
  }

  @Test
  void aOneHourWaitFinishesInWellUnderASecondOfWallTime() {
    String arn = h.sfn.startExecution(h.register("M", LONG_WAIT), "hour", "{\"x\":1}").executionArn();
    long wall = System.nanoTime();

    h.runToEnd();

    assertThat(Duration.ofNanos(System.nanoTime() - wall)).isLessThan(Duration.ofSeconds(1));
    Execution.Snapshot s = describe(arn);
    assertThat(s.status()).isEqualTo(SfnExecutionStatus.SUCCEEDED);
    assertThat(Duration.between(s.startDate(), s.stopDate())).isEqualTo(Duration.ofHours(1));
    assertThat(s.output()).isEqualTo("{\"x\":1}");
  }

  // ---------------------------------------------------------------- callbacks (1.8.4, E51-E55)

  @Test
  void sendTaskSuccessCompletesTheTaskAndTheTokenCannotBeUsedTwice() {
    String arn = h.sfn.startExecution(h.register("M", callback("")), "cb", "{}").executionArn();
    SfnHarness.Call call = h.awaitCall("Wait for approval");
    assertThat(call.arguments().at("/Payload/token").asText()).isEqualTo(call.token());

    h.sfn.sendTaskSuccess(call.token(), "{\"approved\":true}");
    h.runToEnd();

    assertThat(describe(arn).output()).isEqualTo("{\"approved\":true}");
    assertThat(h.historyTypes(arn)).containsExactly("ExecutionStarted", "TaskStateEntered", "TaskScheduled",
        "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded");
    HistoryEvent scheduled = h.sfn.history(arn).get(2);
    assertThat(scheduled.details().get("resourceType").asText()).isEqualTo("lambda");
    assertThat(scheduled.details().get("resource").asText()).isEqualTo("invoke.waitForTaskToken");
    assertThat(scheduled.details().get("region").asText()).isEqualTo("us-east-1");
    assertThatThrownBy(() -> h.sfn.sendTaskSuccess(call.token(), "{}")).extracting(StepFunctionsTest::code)
        .isEqualTo("TaskTimedOut");
    assertThatThrownBy(() -> h.sfn.sendTaskSuccess("not-a-token", "{}")).extracting(StepFunctionsTest::code)
        .isEqualTo("InvalidToken");
    assertThat(h.sfn.outstandingTaskTokens()).isZero();
  }

  @Test
  void sendTaskSuccessWithInvalidJsonIsInvalidOutputAndKeepsTheTaskWaiting() {
    String arn = h.sfn.startExecution(h.register("M", callback("")), "cb", "{}").executionArn();
    String token = h.awaitCall("Wait for approval").token();

    assertThatThrownBy(() -> h.sfn.sendTaskSuccess(token, "{nope")).extracting(StepFunctionsTest::code)
        .isEqualTo("InvalidOutput");
    h.sfn.sendTaskSuccess(token, "\"x\"");
    h.runToEnd();

    assertThat(describe(arn).output()).isEqualTo("\"x\"");
  }

  @Test
  void sendTaskFailureFailsTheTaskWithTheGivenErrorAndCause() {
    String arn = h.sfn.startExecution(h.register("M", callback("")), "cb", "{}").executionArn();
    String token = h.awaitCall("Wait for approval").token();

    h.sfn.sendTaskFailure(token, "Rejected", "no");
    h.runToEnd();

    Execution.Snapshot s = describe(arn);
    assertThat(s.status()).isEqualTo(SfnExecutionStatus.FAILED);
    assertThat(s.error()).isEqualTo("Rejected");
    assertThat(s.cause()).isEqualTo("no");
    assertThat(h.historyTypes(arn)).endsWith("TaskSubmitted", "TaskFailed", "ExecutionFailed");
  }

  @Test
  void aMissedHeartbeatTimesTheTaskOutWithStatesTimeout() {
    String arn = h.sfn.startExecution(h.register("M", callback(", \"HeartbeatSeconds\": 2, \"TimeoutSeconds\": 60")),
        "hb", "{}").executionArn();

    h.runToEnd();

    Execution.Snapshot s = describe(arn);
    assertThat(s.status()).isEqualTo(SfnExecutionStatus.FAILED);
    assertThat(s.error()).isEqualTo("States.Timeout");
    assertThat(s.cause()).isNull();
    assertThat(Duration.between(s.startDate(), s.stopDate())).isEqualTo(Duration.ofSeconds(2));
    HistoryEvent scheduled = h.sfn.history(arn).get(2);
    assertThat(scheduled.details().get("heartbeatInSeconds").asLong()).isEqualTo(2);
    assertThat(scheduled.details().get("timeoutInSeconds").asLong()).isEqualTo(60);
    assertThat(h.historyTypes(arn)).endsWith("TaskSubmitted", "TaskTimedOut", "ExecutionFailed");
  }

  @Test
  void heartbeatsKeepTheTaskAliveButDoNotExtendItsTimeout() {
    String arn = h.sfn.startExecution(h.register("M", callback(", \"HeartbeatSeconds\": 2, \"TimeoutSeconds\": 5")),
        "hb", "{}").executionArn();
    String token = h.awaitCall("Wait for approval").token();
    for (int i = 0; i < 6; i++) {
      h.advance(Duration.ofSeconds(1));
      if (describe(arn).status() == SfnExecutionStatus.RUNNING) {
        h.sfn.sendTaskHeartbeat(token);
      }
    }
    h.runToEnd();

    Execution.Snapshot s = describe(arn);
    assertThat(s.error()).isEqualTo("States.Timeout");
    assertThat(Duration.between(s.startDate(), s.stopDate())).isEqualTo(Duration.ofSeconds(5));
    assertThat(h.sfn.history(arn)).extracting(HistoryEvent::type).doesNotContain("TaskHeartbeat");
  }

  @Test
  void aHeartbeatExpiryIsMatchedByStatesHeartbeatTimeout() {
    String arn = h.sfn.startExecution(h.register("M", """
        {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "HeartbeatSeconds": 2,
                "Arguments": {"FunctionName": "f", "Payload": "{% $states.context.Task.Token %}"},
                "Catch": [{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Missed"}], "End": true},
          "Missed": {"Type": "Pass", "End": true}}}"""), "hb", "{}").executionArn();

    h.runToEnd();

    Execution.Snapshot s = describe(arn);
    assertThat(s.status()).isEqualTo(SfnExecutionStatus.SUCCEEDED);
    assertThat(s.output()).isEqualTo("{\"Error\":\"States.Timeout\",\"Cause\":null}");
  }

  @Test
  void aRetriedCallbackGetsANewTokenAndTheOldOneIsDead() {
    String arn = h.sfn.startExecution(h.register("M", callback(
        ", \"Retry\": [{\"ErrorEquals\": [\"Busy\"], \"IntervalSeconds\": 1}]")), "retry", "{}").executionArn();
    String first = h.awaitCall("Wait for approval").token();
    h.sfn.sendTaskFailure(first, "Busy", "try again");
    h.sim.runUntil(() -> h.calls.size() == 2, h.sim.now().plusSeconds(10));
    String second = h.calls.get(1).token();

    assertThat(second).isNotEqualTo(first);
    assertThatThrownBy(() -> h.sfn.sendTaskSuccess(first, "{}")).extracting(StepFunctionsTest::code)
        .isEqualTo("TaskTimedOut");
    h.sfn.sendTaskSuccess(second, "{\"ok\":1}");
    h.runToEnd();
    assertThat(describe(arn).output()).isEqualTo("{\"ok\":1}");
    assertThat(describe(arn).stateTransitions()).isEqualTo(2);
  }

  // ---------------------------------------------------------------- Parallel and Map aborts

  @Test
  void aFailingBranchAbortsTheOtherBranchAndKillsItsToken() {
    String arn = h.sfn.startExecution(h.register("M", """
        {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
          {"StartAt": "Callback", "States": {"Callback": {"Type": "Task", "End": true,
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Arguments": {"FunctionName": "f", "Payload": "{% $states.context.Task.Token %}"}}}},
          {"StartAt": "Later", "States": {"Later": {"Type": "Wait", "Seconds": 5, "Next": "Boom"},
            "Boom": {"Type": "Fail", "Error": "Broken", "Cause": "branch 2"}}}]}}}"""), "p", "{}").executionArn();
    String token = h.awaitCall("Callback").token();

    h.runToEnd();

    Execution.Snapshot s = describe(arn);
    assertThat(s.error()).isEqualTo("Broken");
    assertThat(h.historyTypes(arn)).contains("TaskStateAborted", "ParallelStateFailed").doesNotContain("States.BranchFailed");
    assertThat(h.sfn.outstandingTaskTokens()).isZero();
    assertThatThrownBy(() -> h.sfn.sendTaskSuccess(token, "{}")).extracting(StepFunctionsTest::code)
        .isEqualTo("TaskTimedOut");
  }

  @Test
  void aFailingIterationAbortsTheRunningOnes() {
    String arn = h.sfn.startExecution(h.register("M", """
        {"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map", "Items": [1, 2, 3], "End": true,
          "ItemProcessor": {"StartAt": "Delay", "States": {
            "Delay": {"Type": "Wait", "Seconds": "{% $states.input = 2 ? 1 : 100 %}", "Next": "Which"},
            "Which": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input = 2 %}", "Next": "Boom"}], "Default": "Done"},
            "Done": {"Type": "Succeed"},
            "Boom": {"Type": "Fail", "Error": "SomeFailure"}}}}}}"""), "m", "{}").executionArn();

    h.runToEnd();

    assertThat(describe(arn).error()).isEqualTo("SomeFailure");
    List<String> types = h.historyTypes(arn);
    assertThat(types.stream().filter("MapIterationAborted"::equals).count()).isEqualTo(2);
    assertThat(types.stream().filter("WaitStateAborted"::equals).count()).isEqualTo(2);
    assertThat(types).containsSubsequence("MapIterationFailed", "MapIterationAborted", "MapStateFailed", "ExecutionFailed");
    assertThat(Duration.between(describe(arn).startDate(), describe(arn).stopDate())).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aRetriedParallelRunsAllBranchesAgain() {
    h.behaviour = call -> h.calls.size() == 1 ? LocalJson.parse("{\"throw\":{\"error\":\"Flaky\"}}") : LocalJson.parse("{\"n\":1}");
    String arn = h.sfn.startExecution(h.register("M", """
        {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true,
          "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1}], "Branches": [
          {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "Next": "T"},
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Arguments": {"FunctionName": "f"}, "End": true}}},
          {"StartAt": "B", "States": {"B": {"Type": "Pass", "Output": 2, "End": true}}}]}}}"""), "p", "{}").executionArn();

    h.runToEnd();

    assertThat(describe(arn).output()).isEqualTo("[{\"n\":1},2]");
    assertThat(h.historyTypes(arn).stream().filter("ParallelStateStarted"::equals).count()).isEqualTo(2);
    assertThat(h.historyTypes(arn).stream().filter("PassStateEntered"::equals).count()).isEqualTo(2);
    // P entered once + one retry + W, T and B twice each
    assertThat(describe(arn).stateTransitions()).isEqualTo(8);
  }

  @Test
  void toleratedFailuresLetTheMapSucceedUntilTheThresholdIsExceeded() {
    String template = """
        {"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map", "Items": [1, 2, 3, 4], "End": true,
          "ToleratedFailureCount": COUNT, "ItemProcessor": {"StartAt": "Which", "States": {
            "Which": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input = 2 %}", "Next": "Boom"}], "Default": "Ok"},
            "Ok": {"Type": "Pass", "End": true},
            "Boom": {"Type": "Fail", "Error": "SomeFailure", "Cause": "two"}}}}}}""";
    String tolerant = h.sfn.startExecution(h.register("Tolerant", template.replace("COUNT", "1")), "a", "{}").executionArn();
    String strict = h.sfn.startExecution(h.register("Strict", template.replace("COUNT", "0")), "b", "{}").executionArn();

    h.runToEnd();

    assertThat(LocalJson.parse(describe(tolerant).output()))
        .isEqualTo(LocalJson.parse("[1, {\"Error\":\"SomeFailure\",\"Cause\":\"two\"}, 3, 4]"));
    assertThat(describe(strict).error()).isEqualTo("States.ExceedToleratedFailureThreshold");
  }

  // ---------------------------------------------------------------- history and events (1.10.4, 1.10.6)

  @Test
  void historyChainsEventIdsAsGetExecutionHistoryListsThem() {
    String arn = h.sfn.startExecution(h.register("M", """
        {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
          "A": {"Type": "Pass", "Assign": {"x": 1, "label": "one"}, "Next": "B"},
          "B": {"Type": "Pass", "Output": "{% $x + 1 %}", "End": true}}}"""), "h", "{\"in\":true}").executionArn();

    h.runToEnd();

    List<HistoryEvent> events = h.sfn.history(arn);
    assertThat(events).extracting(HistoryEvent::id).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(events).extracting(HistoryEvent::previousEventId).containsExactly(0L, 0L, 2L, 3L, 4L, 5L);
    assertThat(events.get(0).details()).isEqualTo(LocalJson.parse("""
        {"input":"{\\"in\\":true}","inputDetails":{"truncated":false},"roleArn":"arn:aws:iam::111122223333:role/test"}"""));
    assertThat(events.get(2).details()).isEqualTo(LocalJson.parse("""
        {"name":"A","output":"{\\"in\\":true}","outputDetails":{"truncated":false},
         "assignedVariables":{"x":"1","label":"\\"one\\""},"assignedVariablesDetails":{"truncated":false}}"""));
    assertThat(events.get(5).details()).isEqualTo(LocalJson.parse("{\"output\":\"2\",\"outputDetails\":{\"truncated\":false}}"));
    assertThat(describe(arn).stateTransitions()).isEqualTo(2);
  }

  @Test
  void statusChangeEventsCarryEpochMillisAndJsonText() {
    String machine = h.register("M", LONG_WAIT);
    String arn = h.sfn.startExecution(machine, "ev", "{\"a\":1}").executionArn();

    h.runToEnd();

    assertThat(h.events).hasSize(2);
    ServiceEvent running = h.events.get(0);
    ServiceEvent succeeded = h.events.get(1);
    assertThat(running.source()).isEqualTo("aws.states");
    assertThat(running.detailType()).isEqualTo("Step Functions Execution Status Change");
    assertThat(running.resources()).containsExactly(arn);
    JsonNode d = succeeded.detail();
    assertThat(d.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(d.get("executionArn").asText()).isEqualTo(arn);
    assertThat(d.get("stateMachineArn").asText()).isEqualTo(machine);
    assertThat(d.get("name").asText()).isEqualTo("ev");
    assertThat(d.get("startDate").asLong()).isEqualTo(h.sim.start().toEpochMilli());
    assertThat(d.get("stopDate").asLong()).isEqualTo(h.sim.start().plusSeconds(3600).toEpochMilli());
    assertThat(d.get("input").asText()).isEqualTo("{\"a\":1}");
    assertThat(d.get("output").asText()).isEqualTo("{\"a\":1}");
    assertThat(d.get("inputDetails")).isEqualTo(LocalJson.parse("{\"included\":true}"));
    assertThat(running.detail().get("status").asText()).isEqualTo("RUNNING");
    assertThat(running.detail().get("stopDate").isNull()).isTrue();
    assertThat(running.detail().get("output").isNull()).isTrue();
  }

  @Test
  void listExecutionsFiltersByStatusNewestFirst() {
    String machine = h.register("M", LONG_WAIT);
    String first = h.sfn.startExecution(machine, "first", "{}").executionArn();
    h.advance(Duration.ofMinutes(30));
    String second = h.sfn.startExecution(machine, "second", "{}").executionArn();
    h.advance(Duration.ofMinutes(40));

    assertThat(h.sfn.listExecutions(machine, null)).extracting(Execution.Snapshot::executionArn)
        .containsExactly(second, first);
    assertThat(h.sfn.listExecutions(machine, SfnExecutionStatus.RUNNING)).extracting(Execution.Snapshot::executionArn)
        .containsExactly(second);
    assertThat(h.sfn.runningExecutions()).hasSize(1);
    h.runToEnd();
    assertThat(h.sfn.allExecutionsEnded()).isTrue();
  }

  @Test
  void executionsStartedFromManyThreadsAllRun() throws Exception {
    String machine = h.register("M", LONG_WAIT);
    List<Thread> threads = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int n = i;
      threads.add(Thread.ofPlatform().start(() -> h.sfn.startExecution(machine, "t" + n, "{}")));
    }
    for (Thread t : threads) {
      t.join();
    }

    h.runToEnd();

    assertThat(h.sfn.executions()).hasSize(8)
        .allSatisfy(e -> assertThat(e.status()).isEqualTo(SfnExecutionStatus.SUCCEEDED));
  }
}
