package dev.poolshift.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.asl.InvalidDefinitionException;
import dev.poolshift.local.asl.TaskContext;
import dev.poolshift.local.asl.TaskFailure;
import dev.poolshift.local.asl.TaskResource;
import dev.poolshift.local.asl.TaskResources;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.ServiceEvent;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sim.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A Step Functions engine on a discrete simulation with a scriptable Task resource that records
 * every call (state, arguments, token) and a list of the events the engine published.
 */
final class SfnHarness implements AutoCloseable {
  record Call(String state, JsonNode arguments, String token, Instant at) {}

  final Simulation sim = Simulation.discrete(Simulation.DEFAULT_EPOCH);
  final List<ServiceEvent> events = new CopyOnWriteArrayList<>();
  final List<Call> calls = new CopyOnWriteArrayList<>();
  /** What a call returns; by default an empty object (a callback task's immediate response). */
  volatile Function<Call, JsonNode> behaviour = call -> LocalJson.object();
  final StepFunctions sfn;

  SfnHarness() {
    TaskResource resource = new TaskResource() {
      @Override
      public boolean supports(String resourceArn) {
        return resourceArn.startsWith("arn:aws:states:::lambda:invoke") || resourceArn.startsWith("arn:aws:states:::aws-sdk:");
      }

      @Override
      public JsonNode call(String resourceArn, JsonNode arguments, TaskContext context) throws TaskFailure {
        Call call = new Call(context.stateName(), arguments, context.taskToken(), context.simulation().now());
        calls.add(call);
        JsonNode result = behaviour.apply(call);
        if (result != null && result.has("throw")) {
          throw new TaskFailure(result.get("throw").path("error").asText(null), result.get("throw").path("cause").asText(null));
        }
        return result;
      }
    };
    sfn = new StepFunctions(sim, TaskResources.of(resource), events::add, AwsContext.DEFAULT);
  }

  String register(String name, String definition) {
    try {
      return sfn.registerStateMachine(name, definition, "arn:aws:iam::111122223333:role/test").arn();
    } catch (InvalidDefinitionException e) {
      throw new AssertionError(e.diagnostics().toString(), e);
    }
  }

  /** Runs until every execution ended (or a virtual year passed). */
  boolean runToEnd() {
    return sim.runUntil(sfn::allExecutionsEnded, sim.now().plus(Duration.ofDays(366)));
  }

  void advance(Duration d) {
    sim.advance(d);
  }

  /** Runs until a Task call for {@code state} happened; returns the latest one. */
  Call awaitCall(String state) {
    sim.runUntil(() -> calls.stream().anyMatch(c -> c.state().equals(state)), sim.now().plus(Duration.ofDays(1)));
    List<Call> matching = new ArrayList<>(calls.stream().filter(c -> c.state().equals(state)).toList());
    if (matching.isEmpty()) {
      throw new AssertionError("no call of " + state);
    }
    return matching.get(matching.size() - 1);
  }

  List<String> historyTypes(String executionArn) {
    return sfn.history(executionArn).stream().map(e -> e.type()).toList();
  }

  @Override
  public void close() {
    sim.close();
  }
}
