package dev.poolshift.aws;

import dev.poolshift.rollout.port.ExecutionStarter;
import dev.poolshift.rollout.port.ExecutionStatus;
import dev.poolshift.rollout.port.StartResult;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/**
 * The rollout state machine's executions: StartExecution under a deterministic name
 * ({@code ExecutionAlreadyExists} = this approval was handled) and DescribeExecution.
 */
public final class StepFunctionsExecutions implements ExecutionStarter, ExecutionStatus {
  private final SfnClient sfn;
  private final String stateMachineArn;

  public StepFunctionsExecutions(SfnClient sfn, String stateMachineArn) {
    this.sfn = sfn;
    this.stateMachineArn = stateMachineArn;
  }

  @Override
  public StartResult start(String executionName, Map<String, Object> input) {
    String json = Json.write(input);
    try {
      return new StartResult(true, sfn.startExecution(b -> b.stateMachineArn(stateMachineArn)
          .name(executionName).input(json)).executionArn());
    } catch (ExecutionAlreadyExistsException e) {
      return new StartResult(false, null);
    } catch (SdkException e) {
      throw AwsErrors.translate("StartExecution " + executionName, e);
    }
  }

  @Override
  public Optional<String> statusOf(String executionName) {
    // arn:<partition>:states:<region>:<account>:stateMachine:<machine> → ...:execution:<machine>:<name>
    return of(stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + executionName);
  }

  @Override
  public Optional<String> of(String executionArn) {
    DescribeExecutionResponse r;
    try {
      r = sfn.describeExecution(b -> b.executionArn(executionArn));
    } catch (ExecutionDoesNotExistException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw AwsErrors.translate("DescribeExecution " + executionArn, e);
    }
    return Optional.ofNullable(r.statusAsString());
  }
}
