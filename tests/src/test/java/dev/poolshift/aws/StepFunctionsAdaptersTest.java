package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.aws.StubHttp.Reply;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.TransientServiceException;
import dev.poolshift.rollout.port.CallbackResult;
import dev.poolshift.rollout.port.StartResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

class StepFunctionsAdaptersTest {
  private static final TaskToken TOKEN = new TaskToken("AQCEAAAAKgAAAAMAAAAAAAAAAtoken");
  private static final String MACHINE =
      "arn:aws:states:us-east-1:111122223333:stateMachine:poolshift-rollout";
  private final StubHttp http = new StubHttp();
  private final SfnClient sfn = AwsClients.sfn(http.settings());
  private final StepFunctionsCallbacks callbacks = new StepFunctionsCallbacks(sfn);
  private final StepFunctionsExecutions executions = new StepFunctionsExecutions(sfn, MACHINE);

  @Test
  void successCarriesTheOutputAsJson() {
    http.then(Reply.ok("{}"));

    CallbackResult r = callbacks.succeed(TOKEN, Map.of("settled", true));

    assertThat(r).isEqualTo(CallbackResult.DELIVERED);
    StubHttp.Sent sent = http.only("SendTaskSuccess");
    assertThat(sent.header("X-Amz-Target")).isEqualTo("AWSStepFunctions.SendTaskSuccess");
    assertThat(sent.json()).isEqualTo(Map.of("taskToken", TOKEN.reveal(),
        "output", "{\"settled\":true}"));
  }

  @Test
  void aTaskThatAlreadyEndedIsABenignAnswerNotAnError() {
    http.then(Reply.error(400, "TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'"),
        Reply.error(400, "InvalidToken", "Invalid token"),
        Reply.error(400, "TaskDoesNotExist", "Task does not exist anymore"));

    assertThat(callbacks.fail(TOKEN, "dev.poolshift.rollout.CanaryAlarmException", "alarm"))
        .isEqualTo(CallbackResult.TASK_CLOSED);
    assertThat(callbacks.succeed(TOKEN, Map.of())).isEqualTo(CallbackResult.INVALID_TOKEN);
    assertThat(callbacks.succeed(TOKEN, Map.of())).isEqualTo(CallbackResult.TASK_DOES_NOT_EXIST);
  }

  @Test
  void aFailureNamesTheErrorTheWorkflowMatchesWithinSendTaskFailuresLimits() {
    http.then(Reply.ok("{}"));

    callbacks.fail(TOKEN, "dev.poolshift.rollout.CanaryAlarmException", "x".repeat(40_000));

    Map<String, Object> body = http.only("SendTaskFailure").json();
    assertThat(body).containsEntry("error", "dev.poolshift.rollout.CanaryAlarmException");
    assertThat((String) body.get("cause")).hasSize(32_768);
  }

  @Test
  void throttlingOutlastingTheSdksRetriesIsTransientAndNeverShowsTheToken() {
    http.route(s -> Reply.error(400, "ThrottlingException", "Rate exceeded"));
    SfnClient noRetries = SfnClient.builder().region(Region.US_EAST_1).httpClient(http)
        .credentialsProvider(StubHttp.credentials())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();

    assertThatThrownBy(() -> new StepFunctionsCallbacks(noRetries).succeed(TOKEN, Map.of()))
        .isInstanceOf(TransientServiceException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN.reveal()));
  }

  @Test
  void anExecutionStartsUnderItsNameWithTheInputInKeyOrder() {
    http.then(Reply.ok("{\"executionArn\": \"" + MACHINE.replace("stateMachine", "execution")
        + ":v42\", \"startDate\": 1780315200}"));
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("action", "deploy");
    input.put("modelPackageArn", "arn:p");

    StartResult r = executions.start("fraud-scoring-v42-abc", input);

    assertThat(r.started()).isTrue();
    assertThat(http.only("StartExecution").json()).isEqualTo(Map.of("stateMachineArn", MACHINE,
        "name", "fraud-scoring-v42-abc", "input", "{\"action\":\"deploy\",\"modelPackageArn\":\"arn:p\"}"));
  }

  @Test
  void executionAlreadyExistsMeansThisApprovalWasHandled() {
    http.then(Reply.error(400, "ExecutionAlreadyExists", "Execution Already Exists: 'arn'"));

    assertThat(executions.start("n", Map.of())).isEqualTo(new StartResult(false, null));
  }

  @Test
  void anExecutionStepFunctionsDoesNotKnowHasNoStatus() {
    http.then(Reply.ok("{\"executionArn\": \"a\", \"stateMachineArn\": \"m\", \"status\":"
        + " \"ABORTED\", \"startDate\": 1780315200}"),
        Reply.error(400, "ExecutionDoesNotExist", "Execution Does Not Exist: 'b'"));

    assertThat(executions.of("a")).contains("ABORTED");
    assertThat(executions.of("b")).isEqualTo(Optional.empty());
  }
}
