package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.asl.HistoryEvent;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.lambda.Invocation;
import dev.poolshift.local.lambda.LogLine;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.SageMakerMutation;
import dev.poolshift.local.scenario.Scenario;
import dev.poolshift.local.scenario.ScenarioReport;
import dev.poolshift.local.scenario.ScenarioRunner;
import dev.poolshift.local.sfn.Execution;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A scenario from {@code events/scenarios/}, edited in code, on a fresh runtime that a test can
 * drive step by step (run until a state is entered, inject a fault, run on) and inspect after the
 * run has settled. Close it to release the runtime.
 */
final class Rehearsal implements AutoCloseable {
  static final Path ROOT = Path.of("").toAbsolutePath();
  static final String ENDPOINT = "fraud-scoring-prod";
  static final String V1 = "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/1";
  static final String V2 = "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/2";

  private final Scenario scenario;
  private final LocalRuntime runtime;
  private final ScenarioRunner.Playback playback;
  private final long wallStart = System.nanoTime();
  private ScenarioReport report;
  /** Application Auto Scaling as seeded, before anything ran. */
  private final JsonNode autoscalingBefore;

  private Rehearsal(Scenario scenario) {
    this.scenario = scenario;
    this.runtime = ScenarioRunner.start(scenario, LocalRuntime.Options.of(scenario.template()));
    this.autoscalingBefore = WorkflowInvariants.autoscaling(runtime);
    this.playback = ScenarioRunner.play(scenario, runtime);
  }

  JsonNode autoscalingBefore() {
    return autoscalingBefore;
  }

  /** Starts events/scenarios/{@code file}, edited by {@code edit}; the timeline is scheduled, nothing has run. */
  static Rehearsal of(String file, Consumer<ObjectNode> edit) {
    ObjectNode json = (ObjectNode) LocalJson.read(ROOT.resolve("events/scenarios").resolve(file));
    edit.accept(json);
    return new Rehearsal(Scenario.parse(json, file, ROOT));
  }

  LocalRuntime runtime() {
    return runtime;
  }

  Instant start() {
    return scenario.start();
  }

  Instant now() {
    return runtime.simulation().now();
  }

  /** Runs until {@code condition} holds; fails the test if it does not within {@code limit} of virtual time. */
  Rehearsal runUntil(String what, BooleanSupplier condition, Duration limit) {
    boolean reached = runtime.simulation().runUntil(condition, now().plus(limit));
    assertThat(reached).as("within %s of virtual time: %s", limit, what).isTrue();
    return this;
  }

  /** Runs until some execution has entered the state {@code name} (the n-th time, counting from 1). */
  Rehearsal runUntilState(String name, int visit) {
    return runUntil("state \"" + name + "\" entered " + visit + "x", () -> entered(name) >= visit, Duration.ofDays(2));
  }

  Rehearsal runUntilState(String name) {
    return runUntilState(name, 1);
  }

  /** Runs until a function wrote a log line containing {@code text}. */
  Rehearsal runUntilLogged(String text) {
    return runUntil("a log line containing \"" + text + "\"",
        () -> runtime.lambda().logs().stream().anyMatch(l -> l.text().contains(text)), Duration.ofDays(2));
  }

  /** Plays the rest of the timeline and runs until everything has settled; then reports. */
  ScenarioReport finish() {
    report = ScenarioRunner.finish(scenario, runtime, playback, wallStart);
    return report;
  }

  ScenarioReport report() {
    assertThat(report).as("finish() was called").isNotNull();
    return report;
  }

  /** Runs on after {@link #finish()} (the reconciler's sweeps) until the state table holds no lock. */
  Rehearsal runUntilUnlocked(Duration limit) {
    return runUntil("no lock left in the state table", () -> WorkflowInvariants.stateItems(runtime).stream()
        .noneMatch(i -> i.endsWith("/LOCK")), limit);
  }

  /** Reports the run as it is now (after running on past {@link #finish()}). */
  ScenarioReport reportAgain() {
    return finish();
  }

  void assertInvariants() {
    WorkflowInvariants.assertHold(runtime, report());
    WorkflowInvariants.assertAutoscalingAsBefore(runtime, autoscalingBefore);
  }

  /** {@link #assertInvariants()} for a rehearsal that declares a permission a role lacks. */
  void assertInvariantsDespiteDenials() {
    WorkflowInvariants.assertHoldDespiteDenials(runtime, report());
    WorkflowInvariants.assertAutoscalingAsBefore(runtime, autoscalingBefore);
  }

  // ---------------------------------------------------------------- reading the run

  JsonNode executions() {
    return report().json().path("executions");
  }

  JsonNode onlyExecution() {
    assertThat(executions()).as("executions").hasSize(1);
    return executions().get(0);
  }

  JsonNode onlyRollback() {
    JsonNode rollbacks = report().json().path("rollbacks");
    assertThat(rollbacks).as("rollbacks").hasSize(1);
    return rollbacks.get(0);
  }

  long entered(String state) {
    long n = 0;
    for (Execution e : runtime.stepFunctions().executions()) {
      n += e.history().stream().filter(h -> isEntered(h, state)).count();
    }
    return n;
  }

  List<Instant> enteredAt(String state) {
    return runtime.stepFunctions().executions().stream().flatMap(e -> e.history().stream())
        .filter(h -> isEntered(h, state)).map(HistoryEvent::timestamp).sorted().toList();
  }

  private static boolean isEntered(HistoryEvent h, String state) {
    return h.type().endsWith("StateEntered") && state.equals(h.details().path("name").asText());
  }

  /** Accepted SageMaker calls of {@code operation} (null: any mutating call). */
  List<SageMakerMutation> accepted(String operation) {
    return runtime.sageMaker().mutations().stream().filter(SageMakerMutation::accepted)
        .filter(m -> operation == null || m.operation().equals(operation)).toList();
  }

  List<SageMakerMutation> rejected(String errorCode) {
    return runtime.sageMaker().mutations().stream().filter(m -> errorCode.equals(m.errorCode())).toList();
  }

  List<LogLine> logs(String functionLogicalId) {
    return runtime.lambda().function(functionLogicalId).logs();
  }

  List<LogLine> logsContaining(String functionLogicalId, String text) {
    return logs(functionLogicalId).stream().filter(l -> l.text().contains(text)).toList();
  }

  List<Invocation> invocations(String functionLogicalId) {
    return runtime.lambda().function(functionLogicalId).invocations();
  }

  double seconds(Instant t) {
    return Duration.between(start(), t).toMillis() / 1000.0;
  }

  @Override
  public void close() {
    runtime.close();
  }

  // ---------------------------------------------------------------- editing the scenario

  /** The scenario's fraud-scoring profile, made inline so a test can change it. */
  static ObjectNode profile(ObjectNode scenario) {
    return RolloutScenarioTest.profile(scenario);
  }

  static ArrayNode timeline(ObjectNode scenario) {
    return (ArrayNode) scenario.withArray("timeline");
  }

  /** Appends {@code {"at": at, <action>: spec}} to the timeline. */
  static void at(ObjectNode scenario, double at, String action, JsonNode spec) {
    ObjectNode e = timeline(scenario).addObject();
    e.put("at", at);
    e.set(action, spec);
  }

  static ObjectNode fault(String service, String kind) {
    return LocalJson.object().put(service, kind);
  }

  static ObjectNode model(ObjectNode scenario, String version) {
    return (ObjectNode) scenario.with("traffic").with("models").with(version);
  }
}
