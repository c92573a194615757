package dev.poolshift.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.aws.Json;
import dev.poolshift.local.asl.TaskContext;
import dev.poolshift.local.asl.TaskFailure;
import dev.poolshift.local.asl.TaskResource;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.rollout.RolloutException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

/**
 * {@code arn:aws:states:::lambda:invoke} answered by a {@link RolloutStepsHandler} in process: the
 * function's payload in, its JSON out, a typed exception reported as Lambda reports a Java one.
 * Each step's name is added to {@code stepsRun}.
 */
final class StepsFunctionResource implements TaskResource {
  private final RolloutStepsHandler handler;
  private final List<String> stepsRun;

  StepsFunctionResource(RolloutStepsHandler handler, List<String> stepsRun) {
    this.handler = handler;
    this.stepsRun = stepsRun;
  }

  /**
   * The rollout state machine as the stack deploys it, its Task states invoking this function
   * and the wait backstops at the template's defaults.
   */
  static String definition() throws java.io.IOException {
    return java.nio.file.Files.readString(java.nio.file.Path.of("statemachine/rollout.asl.json"))
        .replace("${RolloutStepsFunctionArn}",
            "arn:aws:lambda:us-east-1:111122223333:function:poolshift-RolloutSteps:live")
        .replace("${EndpointWaitBackstopSeconds}", "300")
        .replace("${FleetWaitBackstopSeconds}", "900");
  }

  @Override
  public boolean supports(String resourceArn) {
    return resourceArn.equals("arn:aws:states:::lambda:invoke");
  }

  @Override
  public JsonNode call(String resourceArn, JsonNode arguments, TaskContext context)
      throws TaskFailure {
    stepsRun.add(arguments.path("Payload").path("step").asText());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      handler.handleRequest(new ByteArrayInputStream(
          LocalJson.MAPPER.writeValueAsBytes(arguments.get("Payload"))), out, null);
    } catch (RolloutException e) {
      // What Lambda reports for a Java exception: the class name and a JSON cause.
      throw new TaskFailure(e.getClass().getName(), Json.write(Map.of(
          "errorMessage", String.valueOf(e.getMessage()), "errorType", e.getClass().getName())));
    } catch (java.io.IOException e) {
      throw new TaskFailure("Lambda.Unknown", e.getMessage());
    }
    ObjectNode result = LocalJson.object();
    result.set("Payload", LocalJson.parse(out.toString()));
    result.put("StatusCode", 200);
    return result;
  }
}
