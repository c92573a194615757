package dev.poolshift.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.json.LocalJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Task results scripted per state, for {@code poolshift asl --mocks FILE}. The file maps a Task
 * state's name to a list of responses, one consumed per attempt (the last one repeats):
 *
 * <pre>{@code
 * {
 *   "Create model":  [{"throw": {"error": "Lambda.ServiceException", "cause": "busy"}}, {"return": {"ok": true}}],
 *   "Wait for endpoint": [{"return": {"status": "InService"}}]
 * }
 * }</pre>
 *
 * <p>{@code return} is the task's result as the state sees it in {@code $states.result} (for
 * {@code lambda:invoke} that is the whole invoke response, so put the function's value under
 * {@code Payload} if the definition reads {@code $states.result.Payload}). For a {@code
 * .waitForTaskToken} Task, {@code return} is the output of the SendTaskSuccess the callback's
 * sender eventually makes, and {@code throw} its SendTaskFailure; the call itself returns {@code
 * {}}. An optional {@code "delaySeconds"} makes the response take that long in virtual time (a slow
 * function, for TimeoutSeconds). Every resource ARN is accepted; a Task state without a mock fails the execution with {@code
 * States.Runtime}, naming the state.
 */
public final class MockTaskResource implements TaskResource {
  private final Map<String, List<JsonNode>> responses;
  private final Map<String, Integer> used = new HashMap<>();

  private MockTaskResource(Map<String, List<JsonNode>> responses) {
    this.responses = responses;
  }

  /**
   * Reads the mocks document.
   *
   * @throws IllegalArgumentException naming the offending entry when the document is malformed
   */
  public static MockTaskResource parse(JsonNode document) {
    if (!document.isObject()) {
      throw new IllegalArgumentException("mocks: the document must be an object mapping Task state names to lists of "
          + "responses");
    }
    Map<String, List<JsonNode>> responses = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = document.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String where = "mocks['" + e.getKey() + "']";
      if (!e.getValue().isArray() || e.getValue().isEmpty()) {
        throw new IllegalArgumentException(where + ": must be a non-empty list of {\"return\": ...} or {\"throw\": "
            + "{\"error\": ..., \"cause\": ...}} responses");
      }
      List<JsonNode> list = new ArrayList<>();
      for (int i = 0; i < e.getValue().size(); i++) {
        JsonNode r = e.getValue().get(i);
        String at = where + "[" + i + "]";
        boolean returns = r.isObject() && r.has("return");
        boolean throwsError = r.isObject() && r.has("throw");
        boolean delayed = r.isObject() && r.has("delaySeconds");
        if (!r.isObject() || returns == throwsError || r.size() != (delayed ? 2 : 1)) {
          throw new IllegalArgumentException(at + ": must have exactly one of \"return\" or \"throw\" (and optionally "
              + "\"delaySeconds\")");
        }
        if (delayed && !(r.get("delaySeconds").isNumber() && r.get("delaySeconds").doubleValue() >= 0)) {
          throw new IllegalArgumentException(at + ".delaySeconds: must be a number of seconds >= 0");
        }
        if (throwsError) {
          JsonNode t = r.get("throw");
          if (!t.isObject() || (t.has("error") && !t.get("error").isTextual())
              || (t.has("cause") && !t.get("cause").isTextual())) {
            throw new IllegalArgumentException(at + ".throw: must be {\"error\": string, \"cause\": string}");
          }
        }
        list.add(r);
      }
      responses.put(e.getKey(), list);
    }
    return new MockTaskResource(responses);
  }

  @Override
  public boolean supports(String resourceArn) {
    return true;
  }

  @Override
  public JsonNode call(String resourceArn, JsonNode arguments, TaskContext context) throws TaskFailure {
    JsonNode response = next(context.stateName());
    if (response == null) {
      throw new TaskFailure(StateError.RUNTIME, "No mock for Task state '" + context.stateName()
          + "': add it to the --mocks file");
    }
    if (response.has("delaySeconds")) {
      context.simulation().sleep(Duration.ofMillis((long) (response.get("delaySeconds").doubleValue() * 1000)));
    }
    if (context.taskToken() != null) {
      try {
        if (response.has("return")) {
          context.tokens().sendSuccess(context.taskToken(), LocalJson.write(response.get("return")));
        } else {
          JsonNode t = response.get("throw");
          context.tokens().sendFailure(context.taskToken(), textOrNull(t, "error"), textOrNull(t, "cause"));
        }
      } catch (TaskTokens.TokenException e) {
        throw new IllegalStateException("mock callback refused: " + e.code(), e);
      }
      return LocalJson.object();
    }
    if (response.has("return")) {
      return response.get("return");
    }
    JsonNode t = response.get("throw");
    throw new TaskFailure(textOrNull(t, "error"), textOrNull(t, "cause"));
  }

  private synchronized JsonNode next(String state) {
    List<JsonNode> list = responses.get(state);
    if (list == null) {
      return null;
    }
    int n = used.merge(state, 1, Integer::sum) - 1;
    return list.get(Math.min(n, list.size() - 1));
  }

  private static String textOrNull(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
