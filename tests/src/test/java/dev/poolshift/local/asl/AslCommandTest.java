package dev.poolshift.local.asl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.local.cli.Main;
import dev.poolshift.local.json.LocalJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code poolshift asl}, through {@link Main#run}. */
class AslCommandTest {
  @TempDir
  Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String definition, String input, String mocks, String... extra) throws IOException {
    Path d = Files.writeString(dir.resolve("def.asl.json"), definition);
    Path i = Files.writeString(dir.resolve("input.json"), input);
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("asl", "--definition", d.toString(),
        "--input", i.toString()));
    if (mocks != null) {
      args.add("--mocks");
      args.add(Files.writeString(dir.resolve("mocks.json"), mocks).toString());
    }
    args.addAll(java.util.List.of(extra));
    return Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8).strip();
  }

  private static final String RETRYING = """
      {"QueryLanguage": "JSONata", "StartAt": "Create model", "States": {
        "Create model": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {"FunctionName": "create", "Payload": "{% $states.input %}"},
          "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "IntervalSeconds": 2}],
          "Output": "{% $states.result.Payload %}", "Next": "Bake"},
        "Bake": {"Type": "Wait", "Seconds": 3600, "End": true}}}""";

  @Test
  void printsTheOutputOfASuccessfulRun() throws IOException {
    int code = run(RETRYING, "{\"model\":\"m\"}", """
        {"Create model": [{"throw": {"error": "Lambda.ServiceException", "cause": "busy"}}, {"return": {"Payload": {"created": true}}}]}""");

    assertThat(code).isZero();
    assertThat(LocalJson.parse(out())).isEqualTo(LocalJson.parse("{\"created\":true}"));
  }

  @Test
  void jsonModeReportsTransitionsAndVirtualSeconds() throws IOException {
    int code = run(RETRYING, "{}", """
        {"Create model": [{"throw": {"error": "Lambda.ServiceException", "cause": "busy"}}, {"return": {"Payload": 1}}]}""",
        "--json");

    assertThat(code).isZero();
    assertThat(LocalJson.parse(out())).isEqualTo(LocalJson.parse(
        "{\"status\":\"SUCCEEDED\",\"output\":1,\"stateTransitions\":3,\"virtualSeconds\":3602}"));
  }

  @Test
  void aFailedRunPrintsErrorAndCauseAndExitsOne() throws IOException {
    int code = run(RETRYING, "{}", """
        {"Create model": [{"throw": {"error": "java.lang.IllegalStateException", "cause": "bad"}}]}""");

    assertThat(code).isEqualTo(1);
    assertThat(LocalJson.parse(out())).isEqualTo(LocalJson.parse(
        "{\"status\":\"FAILED\",\"error\":\"java.lang.IllegalStateException\",\"cause\":\"bad\"}"));
  }

  @Test
  void aTaskWithoutAMockFailsNamingTheState() throws IOException {
    int code = run(RETRYING, "{}", "{}");

    assertThat(code).isEqualTo(1);
    assertThat(out()).contains("States.Runtime").contains("No mock for Task state 'Create model'");
  }

  @Test
  void aCallbackMockReturnIsTheSendTaskSuccessOutput() throws IOException {
    int code = run("""
        {"QueryLanguage": "JSONata", "StartAt": "Approve", "States": {"Approve": {"Type": "Task",
          "Resource": "arn:aws:states:::aws-sdk:sqs:sendMessage.waitForTaskToken",
          "Arguments": {"QueueUrl": "q", "MessageBody": "{% $states.context.Task.Token %}"}, "End": true}}}""",
        "{}", "{\"Approve\": [{\"return\": {\"approved\": true}}]}");

    assertThat(code).isZero();
    assertThat(LocalJson.parse(out())).isEqualTo(LocalJson.parse("{\"approved\":true}"));
  }

  @Test
  void anInvalidDefinitionExitsTwoWithEveryProblem() throws IOException {
    int code = run("""
        {"QueryLanguage": "JSONata", "StartAt": "Shift traffic", "States": {
          "Shift traffic": {"Type": "Pass", "Next": "Bake"},
          "Orphan": {"Type": "Pass", "TimeoutSeconds": 5, "End": true}}}""", "{}", null);

    assertThat(code).isEqualTo(2);
    String errors = err.toString(StandardCharsets.UTF_8);
    assertThat(errors).contains("/States/Shift traffic/Next: Missing 'Next' target: Bake")
        .contains("/States/Orphan: Field 'TimeoutSeconds' is not supported");
  }

  @Test
  void badArgumentsExitTwoWithUsage() {
    int code = Main.run(new String[] {"asl", "--definition"}, new PrintStream(out), new PrintStream(err));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: poolshift asl");
  }
}
