package dev.poolshift.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.aws.Json;
import dev.poolshift.local.asl.TaskContext;
import dev.poolshift.local.asl.TaskFailure;
import dev.poolshift.local.asl.TaskResource;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sfn.Execution;
import dev.poolshift.local.sfn.StepFunctions;
import dev.poolshift.local.sim.Simulation;
import dev.poolshift.rollout.RolloutException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
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

  /**
   * Starts the rollout {@code arn}'s registry approval would start, on the deployed state machine,
   * runs virtual time until every execution ended (two days at most) and returns how it ended.
   */
  static Execution.Snapshot runApprovedDeploy(Simulation sim, StepFunctions sfn, String arn) throws Exception {
    String machine = sfn.registerStateMachine("poolshift-rollout", definition(),
        "arn:aws:iam::111122223333:role/rollout").arn();
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("action", "deploy");
    input.put("modelPackageArn", arn);
    input.put("trigger", Map.of("source", "registry-approval", "eventId", "e-1"));
    String execution = sfn.startExecution(machine, "fraud-scoring-v42-0123456789ab",
        Json.write(input)).executionArn();
    assertThat(sim.runUntil(sfn::allExecutionsEnded, sim.now().plus(Duration.ofDays(2))))
        .as("execution ended").isTrue();
    assertThat(sim.failures()).isEmpty();
    return sfn.execution(execution).snapshot();
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
