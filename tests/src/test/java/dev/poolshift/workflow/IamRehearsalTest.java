package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.asl.HistoryEvent;
import dev.poolshift.local.iam.Evaluation;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sagemaker.EndpointView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rehearsals with IAM evaluated: the template's policies let every shipped scenario through;
 * a role that lacks a permission (declared, or a statement taken out of the template) breaks
 * exactly the path that needs it, the way AWS would.
 */
class IamRehearsalTest {
  static final Path SCENARIOS = Rehearsal.ROOT.resolve("events/scenarios");
  static final String PASSROLE_SCENARIO = "passrole-denied.json";

  @TestFactory
  @DisplayName("every shipped scenario runs with IAM on: every call evaluated, none refused but the one it rehearses")
  Stream<DynamicTest> everyShippedScenarioRunsWithIamOn() throws IOException {
    List<String> files;
    try (Stream<Path> list = Files.list(SCENARIOS)) {
      files = list.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".json")).sorted().toList();
    }
    assertThat(files).contains(PASSROLE_SCENARIO).hasSizeGreaterThan(10);
    return files.stream().map(f -> DynamicTest.dynamicTest(f, () -> {
      try (Rehearsal r = Rehearsal.of(f, s -> {})) {
        r.finish();

        assertThat(r.report().json().path("finished").asBoolean()).isTrue();
        WorkflowInvariants.assertEveryCallEvaluated(r.runtime());
        List<Evaluation> denials = r.runtime().iam().denials();
        if (f.equals(PASSROLE_SCENARIO)) {
          assertThat(denials).singleElement().satisfies(d -> assertThat(d.action()).isEqualTo("iam:PassRole"));
        } else {
          assertThat(denials).as("calls IAM refused in " + f).isEmpty();
        }
      }
    }));
  }

  @Test
  @DisplayName("a profile naming a role the stack may not pass: FAILED naming iam:PassRole, nothing changed on the endpoint")
  void aRoleTheStackMayNotPassFailsTheRolloutBeforeItTouchesTheEndpoint() {
    try (Rehearsal r = Rehearsal.of(PASSROLE_SCENARIO, s -> {})) {
      r.finish();

      JsonNode execution = r.onlyExecution();
      assertThat(execution.path("outcome").asText()).isEqualTo("FAILED");
      assertThat(execution.path("cause").asText()).contains("AccessDeniedException")
          .contains("is not authorized to perform: iam:PassRole on resource: "
              + "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-experiments");
      assertThat(r.entered("Rollout failed before touching the endpoint")).isOne();
      assertThat(r.accepted(null)).as("SageMaker mutations").isEmpty();
      assertThat(planRisks(r)).as("the plan saw it coming").contains("iam:PassRole will deny");
      EndpointView endpoint = r.runtime().sageMaker().requireEndpoint(Rehearsal.ENDPOINT);
      assertThat(endpoint.configName()).isEqualTo("fraud-scoring-prod-config-initial");
      assertThat(WorkflowInvariants.stateItems(r.runtime())).as("the lock is released").isEmpty();
      JsonNode denied = r.report().json().path("iam").path("denied");
      assertThat(denied).singleElement().satisfies(d -> {
        assertThat(d.path("caller").asText()).isEqualTo("RolloutStepsFunction");
        assertThat(d.path("operation").asText()).isEqualTo("sagemaker CreateModel");
        assertThat(d.path("verdict").asText()).isEqualTo("IMPLICITLY_DENIED");
      });
      assertThat(r.report().text()).contains("IAM denied RolloutStepsFunction iam:PassRole on "
          + "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-experiments");
    }
  }

  @Test
  @DisplayName("the template without its iam:PassRole statement: every rollout fails at CreateModel, endpoint untouched")
  void withoutThePassRoleStatementTheRolloutFailsAtCreateModel(@TempDir Path dir) {
    Path template = TemplateEdit.of(dir).withoutStatementContaining("Action: [iam:PassRole]").write();
    try (Rehearsal r = Rehearsal.of("happy-path.json", s -> s.put("template", template.toString()))) {
      r.finish();

      JsonNode execution = r.onlyExecution();
      assertThat(execution.path("outcome").asText()).isEqualTo("FAILED");
      assertThat(execution.path("cause").asText()).contains("iam:PassRole");
      assertThat(r.accepted(null)).isEmpty();
      assertThat(r.runtime().iam().denials()).extracting(Evaluation::action).containsOnly("iam:PassRole");
    }
  }

  @Test
  @DisplayName("the template without cloudwatch:PutMetricAlarm: the canary cannot bake, traffic goes back to v1")
  void withoutPutMetricAlarmTheCanaryCannotBakeAndRollsBack(@TempDir Path dir) {
    Path template = TemplateEdit.of(dir).withoutLine("- cloudwatch:PutMetricAlarm").write();
    try (Rehearsal r = Rehearsal.of("happy-path.json", s -> s.put("template", template.toString()))) {
      r.finish();

      JsonNode execution = r.onlyExecution();
      assertThat(execution.path("outcome").asText()).isEqualTo("ROLLED_BACK");
      assertThat(execution.path("cause").asText()).contains("is not authorized to perform: cloudwatch:PutMetricAlarm");
      assertThat(r.entered("Bake under alarms")).as("bakes started").isPositive();
      assertThat(r.entered("Judge the canary")).as("no step was judged").isZero();
      assertThat(r.runtime().iam().denials()).isNotEmpty()
          .allSatisfy(d -> assertThat(d.action()).isEqualTo("cloudwatch:PutMetricAlarm"));
      EndpointView endpoint = r.runtime().sageMaker().requireEndpoint(Rehearsal.ENDPOINT);
      assertThat(endpoint.variants()).allSatisfy(v -> assertThat(v.servingInstances())
          .allSatisfy(i -> assertThat(i.modelPackageArn()).isEqualTo(Rehearsal.V1)));
    }
  }

  @Test
  @DisplayName("a state machine whose role may not invoke the steps function: the first task fails with Lambda.AWSLambdaException")
  void aStateMachineThatMayNotInvokeItsFunctionFailsItsFirstTask() {
    try (Rehearsal r = Rehearsal.of("happy-path.json", s -> denial(s, "RolloutStateMachine", "lambda:InvokeFunction"))) {
      r.finish();

      JsonNode execution = r.onlyExecution();
      assertThat(execution.path("outcome").asText()).isEqualTo("FAILED");
      assertThat(execution.path("cause").asText()).contains("lambda:InvokeFunction")
          .contains("with an explicit deny in an identity-based policy").contains("Error Code: AccessDeniedException");
      assertThat(execution.path("lambdaInvocations").asInt()).isZero();
      assertThat(failedTaskErrors(r)).contains("Lambda.AWSLambdaException");
      assertThat(r.accepted(null)).isEmpty();
    }
  }

  @Test
  @DisplayName("the alarm function denied the weight call: its fast path fails, the workflow's rollback still restores v1")
  void theAlarmFunctionDeniedTheWeightCallLeavesTheRollbackToTheWorkflow() {
    try (Rehearsal r = Rehearsal.of("bad-model.json",
        s -> denial(s, "AlarmEventsFunction", "sagemaker:UpdateEndpointWeightsAndCapacities"))) {
      r.finish();

      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("ROLLED_BACK");
      assertThat(r.runtime().iam().denials()).isNotEmpty().allSatisfy(d -> {
        assertThat(d.caller()).isEqualTo("AlarmEventsFunction");
        assertThat(d.verdict()).isEqualTo(Evaluation.Verdict.EXPLICITLY_DENIED);
      });
      assertThat(r.accepted("UpdateEndpointWeightsAndCapacities")).isNotEmpty();
      r.assertInvariantsDespiteDenials();
    }
  }

  // ---------------------------------------------------------------- helpers

  private static void denial(ObjectNode scenario, String function, String action) {
    scenario.putObject("iam").putArray("deny").addObject().put("function", function).put("action", action);
  }

  /** The risks the plan step returned. */
  private static String planRisks(Rehearsal r) {
    StringBuilder risks = new StringBuilder();
    for (HistoryEvent h : r.runtime().stepFunctions().executions().getFirst().history()) {
      JsonNode output = h.details().path("output");
      if (output.isTextual() && output.asText().contains("\"risks\"")) {
        LocalJson.parse(output.asText()).findValues("risks").forEach(risks::append);
      }
    }
    return risks.toString();
  }

  private static List<String> failedTaskErrors(Rehearsal r) {
    List<String> errors = new ArrayList<>();
    for (HistoryEvent h : r.runtime().stepFunctions().executions().getFirst().history()) {
      if (h.type().equals("TaskFailed")) {
        errors.add(h.details().path("error").asText());
      }
    }
    return errors;
  }

  /** template.yaml with edits, written with the state machine beside it (DefinitionUri is relative). */
  static final class TemplateEdit {
    private final Path dir;
    private final List<String> lines;

    private TemplateEdit(Path dir, List<String> lines) {
      this.dir = dir;
      this.lines = lines;
    }

    static TemplateEdit of(Path dir) {
      try {
        return new TemplateEdit(dir, new ArrayList<>(Files.readAllLines(Rehearsal.ROOT.resolve("template.yaml"))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Removes the one policy statement ({@code - Effect: ...} list item) holding a line containing {@code text}. */
    TemplateEdit withoutStatementContaining(String text) {
      int at = only(text);
      int start = at;
      while (!lines.get(start).stripLeading().startsWith("- Effect:")) {
        start--;
      }
      int indent = indent(lines.get(start));
      int end = start + 1;
      while (end < lines.size() && (lines.get(end).isBlank() || indent(lines.get(end)) > indent)) {
        end++;
      }
      lines.subList(start, end).clear();
      return this;
    }

    /** Removes the one line whose text (without indentation) is {@code text}. */
    TemplateEdit withoutLine(String text) {
      int at = -1;
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).strip().equals(text)) {
          assertThat(at).as("one line is " + text).isEqualTo(-1);
          at = i;
        }
      }
      assertThat(at).as("a line is " + text).isNotNegative();
      lines.remove(at);
      return this;
    }

    Path write() {
      try {
        Path template = dir.resolve("template.yaml");
        Files.write(template, lines);
        Path machines = Files.createDirectories(dir.resolve("statemachine"));
        try (Stream<Path> files = Files.list(Rehearsal.ROOT.resolve("statemachine"))) {
          for (Path f : files.toList()) {
            Files.copy(f, machines.resolve(f.getFileName()));
          }
        }
        return template;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private int only(String text) {
      List<Integer> found = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains(text)) {
          found.add(i);
        }
      }
      assertThat(found).as("lines containing " + text).hasSize(1);
      return found.getFirst();
    }

    private static int indent(String line) {
      return line.length() - line.stripLeading().length();
    }
  }
}
