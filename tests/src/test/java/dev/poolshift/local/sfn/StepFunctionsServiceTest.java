package dev.poolshift.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.http.Gateway;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.InvalidOutputException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/** The Step Functions wire protocol, driven by the real SDK client over loopback. */
class StepFunctionsServiceTest {
  private static final String DEFINITION = """
      {"QueryLanguage": "JSONata", "StartAt": "Approve", "States": {
        "Approve": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Arguments": {"FunctionName": "f", "Payload": {"token": "{% $states.context.Task.Token %}"}}, "Next": "Bake"},
        "Bake": {"Type": "Wait", "Seconds": 1800, "Next": "Done"},
        "Done": {"Type": "Pass", "Output": {"approved": "{% $states.input.ok %}"}, "End": true}}}""";

  private final SfnHarness h = new SfnHarness();
  private final Gateway gateway = Gateway.start(0);
  private final SfnClient client;

  StepFunctionsServiceTest() {
    gateway.register(new StepFunctionsService(h.sfn));
    client = SfnClient.builder().endpointOverride(gateway.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "secret")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  @AfterEach
  void close() {
    client.close();
    gateway.close();
    h.close();
  }

  @Test
  void aCallbackWorkflowRunsEndToEndOverTheWire() {
    String machine = h.register("Rollout", DEFINITION);

    StartExecutionResponse started = client.startExecution(b -> b.stateMachineArn(machine).name("r1").input("{\"m\":1}"));
    String token = h.awaitCall("Approve").token();
    client.sendTaskHeartbeat(b -> b.taskToken(token));
    client.sendTaskSuccess(b -> b.taskToken(token).output("{\"ok\":true}"));
    h.runToEnd();

    assertThat(started.executionArn()).isEqualTo("arn:aws:states:us-east-1:111122223333:execution:Rollout:r1");
    assertThat(started.startDate()).isEqualTo(h.sim.start());
    DescribeExecutionResponse d = client.describeExecution(b -> b.executionArn(started.executionArn()));
    assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(d.output()).isEqualTo("{\"approved\":true}");
    assertThat(d.input()).isEqualTo("{\"m\":1}");
    assertThat(d.stopDate()).isEqualTo(h.sim.start().plus(Duration.ofMinutes(30)));
    assertThat(d.stateMachineArn()).isEqualTo(machine);
    assertThatThrownBy(() -> client.sendTaskSuccess(b -> b.taskToken(token).output("{}")))
        .isInstanceOf(TaskTimedOutException.class);
    assertThatThrownBy(() -> client.sendTaskFailure(b -> b.taskToken("garbage")))
        .isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void historyPagesForwardAndBackward() {
    String machine = h.register("Rollout", DEFINITION);
    String arn = client.startExecution(b -> b.stateMachineArn(machine).name("r1")).executionArn();
    client.sendTaskSuccess(b -> b.taskToken(h.awaitCall("Approve").token()).output("{\"ok\":false}"));
    h.runToEnd();

    GetExecutionHistoryResponse page1 = client.getExecutionHistory(b -> b.executionArn(arn).maxResults(5));
    GetExecutionHistoryResponse page2 = client.getExecutionHistory(b -> b.executionArn(arn).maxResults(100)
        .nextToken(page1.nextToken()));
    GetExecutionHistoryResponse reversed = client.getExecutionHistory(b -> b.executionArn(arn).reverseOrder(true)
        .includeExecutionData(false));

    assertThat(page1.events()).hasSize(5);
    assertThat(page2.nextToken()).isNull();
    List<HistoryEvent> all = new java.util.ArrayList<>(page1.events());
    all.addAll(page2.events());
    assertThat(all).extracting(HistoryEvent::type).containsExactly(HistoryEventType.EXECUTION_STARTED,
        HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.TASK_SCHEDULED, HistoryEventType.TASK_STARTED,
        HistoryEventType.TASK_SUBMITTED, HistoryEventType.TASK_SUCCEEDED, HistoryEventType.TASK_STATE_EXITED,
        HistoryEventType.WAIT_STATE_ENTERED, HistoryEventType.WAIT_STATE_EXITED, HistoryEventType.PASS_STATE_ENTERED,
        HistoryEventType.PASS_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED);
    assertThat(all.get(2).taskScheduledEventDetails().resource()).isEqualTo("invoke.waitForTaskToken");
    assertThat(all.get(2).taskScheduledEventDetails().parameters()).contains("\"FunctionName\":\"f\"");
    assertThat(all.get(1).stateEnteredEventDetails().name()).isEqualTo("Approve");
    assertThat(all.get(8).timestamp()).isEqualTo(h.sim.start().plus(Duration.ofMinutes(30)));
    assertThat(all.get(11).executionSucceededEventDetails().output()).isEqualTo("{\"approved\":false}");
    assertThat(reversed.events().get(0).type()).isEqualTo(HistoryEventType.EXECUTION_SUCCEEDED);
    assertThat(reversed.events().get(0).executionSucceededEventDetails().output()).isNull();
    assertThat(reversed.events().get(0).id()).isEqualTo(12L);
  }

  @Test
  void apiErrorsArriveAsTheSdksTypedExceptions() {
    String machine = h.register("Rollout", DEFINITION);
    client.startExecution(b -> b.stateMachineArn(machine).name("r1").input("{}"));

    assertThatThrownBy(() -> client.startExecution(b -> b.stateMachineArn(machine).name("r1").input("{\"x\":2}")))
        .isInstanceOf(ExecutionAlreadyExistsException.class);
    assertThatThrownBy(() -> client.startExecution(b -> b.stateMachineArn(machine).name("has space")))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> client.startExecution(b -> b.stateMachineArn(machine + "Nope")))
        .isInstanceOf(StateMachineDoesNotExistException.class);
    assertThatThrownBy(() -> client.describeExecution(b -> b.executionArn(machine.replace("stateMachine", "execution") + ":nope")))
        .isInstanceOf(ExecutionDoesNotExistException.class);
    String token = h.awaitCall("Approve").token();
    assertThatThrownBy(() -> client.sendTaskSuccess(b -> b.taskToken(token).output("not json")))
        .isInstanceOf(InvalidOutputException.class);
  }

  @Test
  void stopAndListExecutionsOverTheWire() {
    String machine = h.register("Rollout", DEFINITION);
    String arn = client.startExecution(b -> b.stateMachineArn(machine).name("r1")).executionArn();
    client.startExecution(b -> b.stateMachineArn(machine).name("r2"));
    h.awaitCall("Approve");

    client.stopExecution(b -> b.executionArn(arn).error("Operator").cause("abort"));

    assertThat(client.listExecutions(b -> b.stateMachineArn(machine).statusFilter(ExecutionStatus.ABORTED)).executions())
        .extracting(e -> e.name()).containsExactly("r1");
    assertThat(client.listExecutions(b -> b.stateMachineArn(machine)).executions()).hasSize(2);
    DescribeExecutionResponse d = client.describeExecution(b -> b.executionArn(arn));
    assertThat(d.status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(d.error()).isEqualTo("Operator");
    assertThat(d.cause()).isEqualTo("abort");
    assertThat(client.describeStateMachine(b -> b.stateMachineArn(machine)).definition()).isEqualTo(DEFINITION);
  }
}
