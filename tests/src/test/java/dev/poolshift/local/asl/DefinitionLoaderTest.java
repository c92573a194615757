package dev.poolshift.local.asl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefinitionLoaderTest {
  private static final TaskResource LAMBDA_ONLY = new TaskResource() {
    @Override
    public boolean supports(String resourceArn) {
      return resourceArn.equals("arn:aws:states:::lambda:invoke");
    }

    @Override
    public JsonNode call(String resourceArn, JsonNode arguments, TaskContext context) {
      throw new UnsupportedOperationException();
    }
  };
  private final DefinitionLoader loader = new DefinitionLoader(TaskResources.of(LAMBDA_ONLY));

  private List<String> problems(String definition) {
    InvalidDefinitionException e = catchThrowableOfType(InvalidDefinitionException.class, () -> loader.load(definition));
    assertThat(e).as("definition should be invalid").isNotNull();
    return e.diagnostics().stream().map(Diagnostic::toString).toList();
  }

  @Test
  void collectsEveryProblemNamingStateAndField() {
    List<String> problems = problems("""
        {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "TimeoutSeconds": 5,
                "HeartbeatSeconds": 5, "Arguments": {"x": "{% $states.result %}"}, "Next": "P"},
          "P": {"Type": "Pass", "Output": "{% $states.errorOutput %}", "Retry": [], "End": true, "Bogus": 1},
          "W": {"Type": "Wait", "End": true}}}""");

    assertThat(problems).anyMatch(p -> p.startsWith("/States/T/Resource: The resource 'arn:aws:states:::sqs:sendMessage' is not supported"))
        .anyMatch(p -> p.startsWith("/States/T/HeartbeatSeconds: HeartbeatSeconds (5) must be smaller than TimeoutSeconds (5)"))
        .anyMatch(p -> p.startsWith("/States/T/Arguments/x: '$states.result' is only available"))
        .anyMatch(p -> p.startsWith("/States/P/Output: '$states.errorOutput' is only available"))
        .anyMatch(p -> p.startsWith("/States/P: Field 'Retry' is not supported"))
        .anyMatch(p -> p.startsWith("/States/P: Field 'Bogus' is not supported"))
        .anyMatch(p -> p.startsWith("/States/W: A Wait state must have exactly one of 'Seconds' or 'Timestamp'"))
        .anyMatch(p -> p.startsWith("/States/W: State \"W\" is not reachable."));
  }

  @Test
  void stateNamesAreUniqueAcrossBranches() {
    assertThat(problems("""
        {"QueryLanguage": "JSONata", "StartAt": "Par", "States": {"Par": {"Type": "Parallel", "End": true, "Branches": [
          {"StartAt": "Same", "States": {"Same": {"Type": "Pass", "End": true}}},
          {"StartAt": "Same", "States": {"Same": {"Type": "Pass", "End": true}}}]}}}"""))
        .anyMatch(p -> p.startsWith("/States/Par/Branches[1]/States/Same: State name 'Same' is not unique"));
  }

  @Test
  void transitionsCannotLeaveABranchAndEmptyBranchesAreInvalid() {
    assertThat(problems("""
        {"QueryLanguage": "JSONata", "StartAt": "Par", "States": {
          "Par": {"Type": "Parallel", "Next": "After", "Branches": [
            {"StartAt": "In", "States": {"In": {"Type": "Pass", "Next": "After"}}}]},
          "After": {"Type": "Parallel", "Branches": [], "End": true}}}"""))
        .anyMatch(p -> p.startsWith("/States/Par/Branches[0]/States/In/Next: Missing 'Next' target: After"))
        .anyMatch(p -> p.startsWith("/States/After/Branches: Value cannot be empty"));
  }

  @Test
  void rejectsMisdelimitedExpressionsBadRetriersAndDistributedMap() {
    assertThat(problems("""
        {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"a": " {% 1 %}"},
                "Retry": [{"ErrorEquals": ["E"], "BackoffRate": 0.5, "MaxAttempts": -1, "JitterStrategy": "SOME"}],
                "Next": "M"},
          "M": {"Type": "Map", "ItemReader": {}, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
                "StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "Assign": {"a.b": 1, "states": 2}, "End": true}}}"""))
        .anyMatch(p -> p.startsWith("/States/T/Arguments/a: A JSONata expression must start with '{%'"))
        .anyMatch(p -> p.startsWith("/States/T/Retry[0]/BackoffRate:"))
        .anyMatch(p -> p.startsWith("/States/T/Retry[0]/MaxAttempts:"))
        .anyMatch(p -> p.startsWith("/States/T/Retry[0]/JitterStrategy:"))
        .anyMatch(p -> p.startsWith("/States/M: Field 'ItemReader' belongs to Distributed Map"))
        .anyMatch(p -> p.startsWith("/States/M/ItemProcessor/ProcessorConfig/Mode:"))
        .anyMatch(p -> p.startsWith("/States/M/Assign/a.b: Invalid variable name"))
        .anyMatch(p -> p.startsWith("/States/M/Assign/states: The variable name 'states' is reserved"));
  }

  @Test
  void loadsAValidDefinitionAndListsItsTaskResources() throws InvalidDefinitionException {
    Definition d = loader.load("""
        {"QueryLanguage": "JSONata", "TimeoutSeconds": 600, "StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"FunctionName": "f"}, "End": true}}}""");

    assertThat(d.timeoutSeconds()).isEqualTo(600);
    assertThat(d.taskResources()).containsExactly("arn:aws:states:::lambda:invoke");
  }

  @Test
  void retryDelaysFollowBackoffCapAndFullJitter() {
    Definition.Retrier capped = new Definition.Retrier(List.of("E"), 3, 5, 2.0, 5, false);
    assertThat(List.of(1, 2, 3, 4, 5).stream().map(k -> Interpreter.retryDelay(capped, k, 0.5).toSeconds()))
        .containsExactly(3L, 5L, 5L, 5L, 5L);
    Definition.Retrier jittered = new Definition.Retrier(List.of("E"), 2, 3, 2.0, null, true);
    for (int k = 1; k <= 3; k++) {
      long bound = (long) (2 * Math.pow(2, k - 1) * 1e9);
      for (double draw : new double[] {0, 0.25, 0.999_999}) {
        assertThat(Interpreter.retryDelay(jittered, k, draw).toNanos()).isBetween(0L, bound)
            .isCloseTo((long) (bound * draw), org.assertj.core.api.Assertions.within(2L));
      }
    }
  }
}
