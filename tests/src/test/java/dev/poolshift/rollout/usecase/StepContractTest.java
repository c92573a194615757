package dev.poolshift.rollout.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.poolshift.rollout.usecase.steps.Step;
import dev.poolshift.rollout.usecase.steps.StepInputs.MayBeAbsent;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract between {@code statemachine/rollout.asl.json} and the steps, checked from both
 * sides: every step the workflow calls exists, every key it sends is a component of the step's
 * input record and every required component is sent, and every field the workflow reads from a
 * step's result ({@code $verdict.live}, {@code $plan.contention.policy}, ...) is a component of
 * the result of every step that can have assigned that variable on the way there (reaching
 * definitions over the state graph). A renamed component fails here, not in production.
 */
class StepContractTest {
  private static final Path DEFINITION = Path.of("statemachine/rollout.asl.json");
  private static final Pattern READ = Pattern.compile("\\$([A-Za-z_]\\w*)((?:\\.[A-Za-z_]\\w*)+)");
  private static final Pattern COMPARED = Pattern.compile(
      "\\$([A-Za-z_]\\w*)((?:\\.[A-Za-z_]\\w*)+)\\s*=\\s*'([^']*)'");
  private static Map<String, Step<?>> contract;

  @BeforeAll
  static void contract() {
    contract = new RolloutWorld().steps.contract();
  }

  @Test
  void everyStepTheWorkflowCallsExistsAndGetsExactlyTheFieldsItsInputHas() throws IOException {
    List<String> problems = new ArrayList<>();
    JsonNode states = definition().path("States");
    for (Map.Entry<String, JsonNode> state : fields(states)) {
      JsonNode payload = state.getValue().path("Arguments").path("Payload");
      if (!payload.has("step")) {
        continue;
      }
      String name = payload.path("step").asText();
      Step<?> step = contract.get(name);
      if (step == null) {
        problems.add(state.getKey() + ": no step " + name);
        continue;
      }
      Set<String> sent = new TreeSet<>();
      payload.fieldNames().forEachRemaining(sent::add);
      sent.remove("step");
      Set<String> components = new TreeSet<>();
      for (RecordComponent c : step.input().getRecordComponents()) {
        components.add(c.getName());
        if (!c.isAnnotationPresent(MayBeAbsent.class) && !sent.contains(c.getName())) {
          problems.add(state.getKey() + ": step " + name + " requires " + c.getName()
              + " but the workflow does not send it");
        }
      }
      for (String key : sent) {
        if (!components.contains(key)) {
          problems.add(state.getKey() + ": sends " + key + " to step " + name + ", whose input "
              + step.input().getSimpleName() + " has no such component");
        }
      }
      boolean waits = state.getValue().path("Resource").asText().endsWith(".waitForTaskToken");
      if (waits != (step.waitOutput() != null)) {
        problems.add(state.getKey() + ": step " + name + (waits ? " is awaited with a task token"
            + " but declares no wait output" : " declares a wait output but is not awaited"));
      }
    }

    assertThat(problems).isEmpty();
  }

  @Test
  void everyFieldTheWorkflowReadsFromAStepResultExists() throws IOException {
    assertThat(unresolvedReads(definition())).isEmpty();
  }

  @Test
  void everyValueTheWorkflowComparesAStepResultWithIsOneTheStepCanReturn() throws IOException {
    assertThat(unknownComparisons(definition())).isEmpty();
  }

  @Test
  void aRenamedResultFieldIsCaught() throws IOException {
    ObjectNode def = definition();
    ObjectNode choice = (ObjectNode) def.path("States").path("Is the canary fleet live?")
        .path("Choices").get(0);
    choice.set("Condition", TextNode.valueOf("{% $verdict.alive %}"));

    assertThat(unresolvedReads(def)).singleElement().asString()
        .contains("Is the canary fleet live?").contains("$verdict.alive")
        .contains("verifyCanaryFleet");
  }

  @Test
  void aVerdictTheGateNeverReturnsIsCaught() throws IOException {
    ObjectNode def = definition();
    ObjectNode choice = (ObjectNode) def.path("States").path("Canary healthy?")
        .path("Choices").get(0);
    choice.set("Condition", TextNode.valueOf("{% $verdict.verdict = 'CONTINUE_PLEASE' %}"));

    assertThat(unknownComparisons(def)).singleElement().asString().contains("CONTINUE_PLEASE");
  }

  // ------------------------------------------------------------------ reaching definitions

  /** Where a variable's value came from: a step's result or wait output, or anything else. */
  private record Def(String state, String step, Class<?> type) {
  }

  private static List<String> unresolvedReads(JsonNode def) {
    List<String> problems = new ArrayList<>();
    forEachRead(def, (state, var, path, defs, text) -> {
      for (Def d : defs) {
        if (d.type() == null) {
          continue;
        }
        String missing = resolve(d.type(), path);
        if (missing != null) {
          problems.add(state + " reads $" + var + "." + String.join(".", path) + ", but $" + var
              + " may come from step " + d.step() + " (" + d.state() + "), whose "
              + d.type().getSimpleName() + " has no " + missing);
        }
      }
    });
    return problems;
  }

  private static List<String> unknownComparisons(JsonNode def) {
    List<String> problems = new ArrayList<>();
    Map<String, Map<String, Set<Def>>> reaching = reaching(def);
    for (Map.Entry<String, JsonNode> state : fields(def.path("States"))) {
      for (String text : expressions(state.getValue())) {
        Matcher m = COMPARED.matcher(text);
        while (m.find()) {
          List<String> path = List.of(m.group(2).substring(1).split("\\."));
          for (Def d : reaching.getOrDefault(state.getKey(), Map.of())
              .getOrDefault(m.group(1), Set.of())) {
            Class<?> leaf = d.type() == null ? null : leafType(d.type(), path);
            if (leaf != null && leaf.isEnum() && !wireValues(leaf).contains(m.group(3))) {
              problems.add(state.getKey() + " compares $" + m.group(1) + m.group(2) + " with '"
                  + m.group(3) + "', which step " + d.step() + " never returns (it returns "
                  + wireValues(leaf) + ")");
            }
          }
        }
      }
    }
    return problems;
  }

  private interface ReadVisitor {
    void visit(String state, String var, List<String> path, Set<Def> defs, String text);
  }

  private static void forEachRead(JsonNode def, ReadVisitor visitor) {
    Map<String, Map<String, Set<Def>>> reaching = reaching(def);
    for (Map.Entry<String, JsonNode> state : fields(def.path("States"))) {
      for (String text : expressions(state.getValue())) {
        Matcher m = READ.matcher(text);
        while (m.find()) {
          String var = m.group(1);
          if (var.equals("states")) {
            continue;
          }
          List<String> path = List.of(m.group(2).substring(1).split("\\."));
          visitor.visit(state.getKey(), var, path, reaching.getOrDefault(state.getKey(), Map.of())
              .getOrDefault(var, Set.of()), text);
        }
        // A state reading its own result: $states.result.Payload.x
        Matcher own = Pattern.compile("\\$states\\.result(\\.Payload)?((?:\\.[A-Za-z_]\\w*)+)")
            .matcher(text);
        while (own.find()) {
          Def d = resultOf(state.getKey(), state.getValue(), own.group(1) != null);
          if (d != null) {
            visitor.visit(state.getKey(), "states.result" + (own.group(1) == null ? "" : ".Payload"),
                List.of(own.group(2).substring(1).split("\\.")), Set.of(d), text);
          }
        }
      }
    }
  }

  /**
   * Variable → the definitions that can reach each state's entry. An edge of a state carries
   * the assignments made on it: the state's Assign on success, a Choice rule's Assign when it
   * matched, the Choice's own Assign on its Default, a catcher's Assign when it caught.
   */
  private static Map<String, Map<String, Set<Def>>> reaching(JsonNode def) {
    JsonNode states = def.path("States");
    Map<String, Map<String, Set<Def>>> in = new HashMap<>();
    in.put(def.path("StartAt").asText(), new HashMap<>());
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Map.Entry<String, JsonNode> state : fields(states)) {
        Map<String, Set<Def>> entry = in.get(state.getKey());
        if (entry == null) {
          continue;
        }
        for (Edge e : edges(state.getKey(), state.getValue())) {
          Map<String, Set<Def>> out = new HashMap<>();
          entry.forEach((k, v) -> out.put(k, new HashSet<>(v)));
          out.putAll(e.assigns());
          if (!in.containsKey(e.to())) {
            in.put(e.to(), new HashMap<>());
            changed = true;
          }
          Map<String, Set<Def>> target = in.get(e.to());
          for (Map.Entry<String, Set<Def>> o : out.entrySet()) {
            changed |= target.computeIfAbsent(o.getKey(), k -> new HashSet<>())
                .addAll(o.getValue());
          }
        }
      }
    }
    return in;
  }

  private record Edge(String to, Map<String, Set<Def>> assigns) {
  }

  private static List<Edge> edges(String name, JsonNode s) {
    List<Edge> out = new ArrayList<>();
    if (s.has("Next")) {
      out.add(new Edge(s.path("Next").asText(), assigns(name, s, s.path("Assign"), true)));
    }
    for (JsonNode rule : s.path("Choices")) {
      out.add(new Edge(rule.path("Next").asText(), assigns(name, s, rule.path("Assign"), false)));
    }
    if (s.has("Default")) {
      out.add(new Edge(s.path("Default").asText(), assigns(name, s, s.path("Assign"), false)));
    }
    for (JsonNode c : s.path("Catch")) {
      out.add(new Edge(c.path("Next").asText(), assigns(name, s, c.path("Assign"), false)));
    }
    return out;
  }

  private static Map<String, Set<Def>> assigns(String name, JsonNode state, JsonNode assign,
      boolean success) {
    Map<String, Set<Def>> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> a : fields(assign)) {
      String text = a.getValue().isTextual() ? a.getValue().asText().trim() : "";
      Def d = null;
      if (success && text.equals("{% $states.result.Payload %}")) {
        d = resultOf(name, state, true);
      } else if (success && text.equals("{% $states.result %}")) {
        d = resultOf(name, state, false);
      }
      out.put(a.getKey(), Set.of(d == null ? new Def(name, null, null) : d));
    }
    return out;
  }

  /** The type of a Task state's result: the step's result, or for a wait its output. */
  private static Def resultOf(String name, JsonNode state, boolean payload) {
    JsonNode p = state.path("Arguments").path("Payload");
    Step<?> step = contract.get(p.path("step").asText());
    if (step == null) {
      return null;
    }
    boolean waits = state.path("Resource").asText().endsWith(".waitForTaskToken");
    Class<?> type = waits ? step.waitOutput() : payload ? step.result() : null;
    return type == null ? null : new Def(name, step.name(), type);
  }

  // ------------------------------------------------------------------ types

  /** The first segment of {@code path} the type has no component for, or null. */
  private static String resolve(Class<?> type, List<String> path) {
    Class<?> t = type;
    for (String segment : path) {
      if (t == null || !t.isRecord()) {
        return null;
      }
      RecordComponent c = component(t, segment);
      if (c == null) {
        return segment;
      }
      t = recordOrNull(c.getGenericType());
    }
    return null;
  }

  private static Class<?> leafType(Class<?> type, List<String> path) {
    Class<?> t = type;
    for (String segment : path) {
      if (t == null || !t.isRecord()) {
        return null;
      }
      RecordComponent c = component(t, segment);
      if (c == null) {
        return null;
      }
      t = c.getType();
    }
    return t;
  }

  private static RecordComponent component(Class<?> record, String name) {
    for (RecordComponent c : record.getRecordComponents()) {
      if (c.getName().equals(name)) {
        return c;
      }
    }
    return null;
  }

  private static Class<?> recordOrNull(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType) {
      return null;  // a List or Map: what is inside is not a named component
    }
    return null;
  }

  /** The strings an enum serialises to: its {@link JsonValue} method, else its names. */
  private static Set<String> wireValues(Class<?> enumType) {
    Method wire = null;
    for (Method m : enumType.getMethods()) {
      if (m.isAnnotationPresent(JsonValue.class)) {
        wire = m;
      }
    }
    Set<String> out = new LinkedHashSet<>();
    for (Object constant : enumType.getEnumConstants()) {
      try {
        out.add(wire == null ? ((Enum<?>) constant).name() : String.valueOf(wire.invoke(constant)));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ the definition

  private static ObjectNode definition() throws IOException {
    return (ObjectNode) new ObjectMapper().readTree(DEFINITION.toFile());
  }

  private static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  /** Every JSONata expression text in a state, at any depth. */
  private static List<String> expressions(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isTextual() && node.asText().contains("{%")) {
      out.add(node.asText());
    }
    node.forEach(child -> out.addAll(expressions(child)));
    return out;
  }
}
