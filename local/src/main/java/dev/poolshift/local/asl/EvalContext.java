package dev.poolshift.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a JSONata expression of one state can see: {@code $states.input}, {@code .result},
 * {@code .errorOutput}, {@code .context} and the visible workflow variables. Immutable; the
 * {@code with...} methods derive the context for a later phase of the same state.
 */
final class EvalContext {
  private final ExecutionInfo execution;
  private final String stateName;
  private final Instant enteredTime;
  private final long enteredEventId;
  private final Integer retryCount;
  private final JsonNode input;
  private final JsonNode result;
  private final JsonNode errorOutput;
  private final String taskToken;
  private final Integer mapIndex;
  private final JsonNode mapValue;
  private final VarScope vars;
  private final long nowMillis;
  private Object inputJsonata;
  private Map<String, Object> statesValue;

  EvalContext(ExecutionInfo execution, String stateName, Instant enteredTime, long enteredEventId, Integer retryCount,
      JsonNode input, VarScope vars, long nowMillis) {
    this(execution, stateName, enteredTime, enteredEventId, retryCount, input, null, null, null, null, null, vars,
        nowMillis);
  }

  private EvalContext(ExecutionInfo execution, String stateName, Instant enteredTime, long enteredEventId,
      Integer retryCount, JsonNode input, JsonNode result, JsonNode errorOutput, String taskToken, Integer mapIndex,
      JsonNode mapValue, VarScope vars, long nowMillis) {
    this.execution = execution;
    this.stateName = stateName;
    this.enteredTime = enteredTime;
    this.enteredEventId = enteredEventId;
    this.retryCount = retryCount;
    this.input = input;
    this.result = result;
    this.errorOutput = errorOutput;
    this.taskToken = taskToken;
    this.mapIndex = mapIndex;
    this.mapValue = mapValue;
    this.vars = vars;
    this.nowMillis = nowMillis;
  }

  EvalContext withResult(JsonNode newResult, long now) {
    return new EvalContext(execution, stateName, enteredTime, enteredEventId, retryCount, input, newResult, null, null,
        null, null, vars, now);
  }

  EvalContext withErrorOutput(JsonNode newErrorOutput, long now) {
    return new EvalContext(execution, stateName, enteredTime, enteredEventId, retryCount, input, null, newErrorOutput,
        null, null, null, vars, now);
  }

  EvalContext withTaskToken(String token) {
    return new EvalContext(execution, stateName, enteredTime, enteredEventId, retryCount, input, null, null, token,
        null, null, vars, nowMillis);
  }

  EvalContext withMapItem(int index, JsonNode value) {
    return new EvalContext(execution, stateName, enteredTime, enteredEventId, retryCount, input, null, null, null,
        index, value, vars, nowMillis);
  }

  JsonNode input() {
    return input;
  }

  String stateName() {
    return stateName;
  }

  long nowMillis() {
    return nowMillis;
  }

  Object variable(String name) {
    return vars.lookupJsonata(name);
  }

  /** A {@code States.QueryEvaluationError} with the cause text AWS uses. */
  StateError queryError(String field, String detail) {
    return StateError.query(field, "An error occurred while executing the state '" + stateName
        + "' (entered at the event id #" + enteredEventId + "). " + detail);
  }

  /** The {@code $states} value, built on first use. */
  synchronized Map<String, Object> statesValue() {
    if (statesValue == null) {
      Map<String, Object> states = new LinkedHashMap<>();
      if (inputJsonata == null) {
        inputJsonata = JsonataValues.toJsonata(input);
      }
      states.put("input", inputJsonata);
      states.put("context", JsonataValues.toJsonata(contextObject()));
      if (result != null) {
        states.put("result", JsonataValues.toJsonata(result));
      }
      if (errorOutput != null) {
        states.put("errorOutput", JsonataValues.toJsonata(errorOutput));
      }
      statesValue = states;
    }
    return statesValue;
  }

  /** The context object (DG:input-output-contextobject), {@code $states.context}. */
  ObjectNode contextObject() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode context = f.objectNode();
    ObjectNode exec = context.putObject("Execution");
    exec.put("Id", execution.executionArn());
    exec.set("Input", execution.input());
    exec.put("Name", execution.name());
    exec.put("RoleArn", execution.roleArn());
    exec.put("StartTime", execution.startTime().toString());
    exec.put("RedriveCount", 0);
    ObjectNode state = context.putObject("State");
    state.put("EnteredTime", enteredTime.toString());
    state.put("Name", stateName);
    if (retryCount != null) {
      state.put("RetryCount", retryCount);
    }
    ObjectNode machine = context.putObject("StateMachine");
    machine.put("Id", execution.stateMachineArn());
    machine.put("Name", execution.stateMachineName());
    if (taskToken != null) {
      context.putObject("Task").put("Token", taskToken);
    }
    if (mapIndex != null) {
      ObjectNode item = context.putObject("Map").putObject("Item");
      item.put("Index", mapIndex);
      item.set("Value", mapValue);
    }
    return context;
  }
}
