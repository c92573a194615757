package dev.poolshift.local.asl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.EventPublisher;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sfn.Execution;
import dev.poolshift.local.sfn.SfnExecutionStatus;
import dev.poolshift.local.sfn.StateMachine;
import dev.poolshift.local.sfn.StepFunctions;
import dev.poolshift.local.sim.Simulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The data-driven conformance suite: one JSON file per case under
 * {@code tests/src/test/resources/asl/conformance}, written from the AWS documentation and from
 * recorded AWS behaviour (the {@code source} member says which). Each case runs one execution
 * on a fresh discrete simulation with scripted Task results and checks what AWS documents.
 *
 * <p>Case members: {@code definition}, {@code input}, optional {@code executionName}, {@code mocks}
 * (the {@code --mocks} format), and {@code expect} with any of: {@code definitionErrors}
 * (substrings of the InvalidDefinition diagnostics), {@code status}, {@code output}, {@code error},
 * {@code cause}, {@code causeContains}, {@code causeEndsWith}, {@code virtualSeconds}, {@code
 * stateTransitions}, {@code historyContains}, {@code historyLacks}, {@code historyTypes} (exact),
 * {@code statesEntered} (names, in order), {@code stateInputs} (first input per state), {@code
 * calls} (Arguments per attempt per state), {@code callSeconds} (virtual seconds of each attempt),
 * {@code lastEventDetails}.
 */
class AslConformanceTest {
  static final Path CASES = Path.of("tests/src/test/resources/asl/conformance");

  @TestFactory
  Stream<DynamicTest> conformanceCases() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(CASES)) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThan(70);
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString().replace(".json", ""),
        f.toUri(), () -> run(LocalJson.read(f))));
  }

  static void run(JsonNode testCase) throws Exception {
    JsonNode expect = testCase.get("expect");
    RecordingResource resource = new RecordingResource(
        MockTaskResource.parse(testCase.has("mocks") ? testCase.get("mocks") : LocalJson.object()));
    try (Simulation sim = Simulation.discrete(Simulation.DEFAULT_EPOCH)) {
      StepFunctions sfn = new StepFunctions(sim, TaskResources.of(resource), EventPublisher.NONE, AwsContext.DEFAULT);
      StateMachine machine;
      try {
        machine = sfn.registerStateMachine("Conformance", LocalJson.write(testCase.get("definition")),
            "arn:aws:iam::111122223333:role/conformance");
      } catch (InvalidDefinitionException e) {
        if (!expect.has("definitionErrors")) {
          fail("unexpected InvalidDefinition: " + e.diagnostics());
        }
        for (JsonNode expected : expect.get("definitionErrors")) {
          assertThat(e.getMessage()).as("InvalidDefinition message").contains(expected.asText());
        }
        return;
      }
      if (expect.has("definitionErrors")) {
        fail("definition was accepted, expected errors " + expect.get("definitionErrors"));
      }
      String name = testCase.path("executionName").asText("conformance");
      String input = LocalJson.write(testCase.has("input") ? testCase.get("input") : LocalJson.object());
      Instant start = sim.now();
      String arn = sfn.startExecution(machine.arn(), name, input).executionArn();
      boolean ended = sim.runUntil(sfn::allExecutionsEnded, start.plus(Duration.ofDays(400)));
      assertThat(ended).as("execution ended").isTrue();
      Execution execution = sfn.execution(arn);
      Execution.Snapshot s = execution.snapshot();
      List<HistoryEvent> history = execution.history();
      String historyText = history.stream().map(e -> e.id() + ":" + e.type()).toList().toString();
      if (expect.has("status")) {
        assertThat(s.status()).as("status (error %s, cause %s, history %s)", s.error(), s.cause(), historyText)
            .isEqualTo(SfnExecutionStatus.valueOf(expect.get("status").asText()));
      }
      if (expect.has("output")) {
        assertThat(s.output()).as("output").isNotNull();
        assertThat(LocalJson.parse(s.output())).as("output").isEqualTo(normalize(expect.get("output")));
      }
      if (expect.has("error")) {
        assertThat(s.error()).as("error (cause %s)", s.cause()).isEqualTo(textOrNull(expect.get("error")));
      }
      if (expect.has("cause")) {
        assertThat(s.cause()).as("cause").isEqualTo(textOrNull(expect.get("cause")));
      }
      if (expect.has("causeContains")) {
        assertThat(s.cause()).as("cause").contains(expect.get("causeContains").asText());
      }
      if (expect.has("causeEndsWith")) {
        assertThat(s.cause()).as("cause").endsWith(expect.get("causeEndsWith").asText());
      }
      if (expect.has("virtualSeconds")) {
        double seconds = Duration.between(s.startDate(), s.stopDate()).toNanos() / 1e9;
        assertThat(seconds).as("virtual seconds").isEqualTo(expect.get("virtualSeconds").asDouble());
      }
      if (expect.has("stateTransitions")) {
        assertThat(s.stateTransitions()).as("state transitions").isEqualTo(expect.get("stateTransitions").asLong());
      }
      List<String> types = history.stream().map(HistoryEvent::type).toList();
      for (JsonNode t : expect.path("historyContains")) {
        assertThat(types).as("history").contains(t.asText());
      }
      for (JsonNode t : expect.path("historyLacks")) {
        assertThat(types).as("history").doesNotContain(t.asText());
      }
      if (expect.has("historyTypes")) {
        List<String> expected = new ArrayList<>();
        expect.get("historyTypes").forEach(t -> expected.add(t.asText()));
        assertThat(types).as("history").containsExactlyElementsOf(expected);
      }
      if (expect.has("statesEntered")) {
        List<String> entered = history.stream().filter(e -> e.type().endsWith("StateEntered"))
            .map(e -> e.details().get("name").asText()).toList();
        List<String> expected = new ArrayList<>();
        expect.get("statesEntered").forEach(t -> expected.add(t.asText()));
        assertThat(entered).as("states entered").containsExactlyElementsOf(expected);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = expect.path("stateInputs").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        HistoryEvent entered = history.stream().filter(h -> h.type().endsWith("StateEntered")
            && h.details().get("name").asText().equals(e.getKey())).findFirst().orElseThrow(
                () -> new AssertionError("state " + e.getKey() + " never entered: " + historyText));
        assertThat(LocalJson.parse(entered.details().get("input").asText())).as("input of " + e.getKey())
            .isEqualTo(normalize(e.getValue()));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = expect.path("calls").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        List<JsonNode> args = resource.calls(e.getKey()).stream().map(c -> normalize(c.arguments())).toList();
        List<JsonNode> expected = new ArrayList<>();
        e.getValue().forEach(v -> expected.add(normalize(v)));
        assertThat(args).as("arguments of " + e.getKey()).containsExactlyElementsOf(expected);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = expect.path("callSeconds").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        List<Double> expected = new ArrayList<>();
        e.getValue().forEach(v -> expected.add(v.asDouble()));
        assertThat(resource.callSeconds(e.getKey(), start)).as("call times of " + e.getKey())
            .containsExactlyElementsOf(expected);
      }
      if (expect.has("lastEventDetails")) {
        HistoryEvent last = history.get(history.size() - 1);
        assertThat(last.details()).as("details of " + last.type()).isEqualTo(expect.get("lastEventDetails"));
      }
      assertThat(sfn.outstandingTaskTokens()).as("live task tokens").isZero();
    }
  }

  /** Re-reads JSON so that numbers compare by value the way the engine writes them. */
  static JsonNode normalize(JsonNode node) {
    return LocalJson.parse(LocalJson.write(node));
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  static JsonNode nullNode() {
    return JsonNodeFactory.instance.nullNode();
  }
}
