package dev.poolshift.aws;

import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.port.CallbackResult;
import dev.poolshift.rollout.port.TaskCallbacks;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * {@link TaskCallbacks} on SendTaskSuccess / SendTaskFailure. A task that already ended is an
 * answer ({@link CallbackResult}), not an error. Error messages never carry the token.
 */
public final class StepFunctionsCallbacks implements TaskCallbacks {
  /** SendTaskFailure limits: error ≤ 256, cause ≤ 32,768 characters. */
  private static final int MAX_ERROR = 256;
  private static final int MAX_CAUSE = 32_768;
  private final SfnClient sfn;

  public StepFunctionsCallbacks(SfnClient sfn) {
    this.sfn = sfn;
  }

  @Override
  public CallbackResult succeed(TaskToken token, Object output) {
    String json = Json.write(output);
    return send("SendTaskSuccess", () -> sfn.sendTaskSuccess(b -> b.taskToken(token.reveal()).output(json)));
  }

  @Override
  public CallbackResult fail(TaskToken token, String error, String cause) {
    String e1 = truncate(error, MAX_ERROR);
    String c1 = truncate(cause, MAX_CAUSE);
    return send("SendTaskFailure",
        () -> sfn.sendTaskFailure(b -> b.taskToken(token.reveal()).error(e1).cause(c1)));
  }

  /** One callback: a task that already ended is an answer, any other failure an error. */
  private static CallbackResult send(String operation, Runnable call) {
    try {
      call.run();
      return CallbackResult.DELIVERED;
    } catch (TaskTimedOutException e) {
      return CallbackResult.TASK_CLOSED;
    } catch (InvalidTokenException e) {
      return CallbackResult.INVALID_TOKEN;
    } catch (TaskDoesNotExistException e) {
      return CallbackResult.TASK_DOES_NOT_EXIST;
    } catch (SdkException e) {
      throw AwsErrors.translate(operation, e);
    }
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
