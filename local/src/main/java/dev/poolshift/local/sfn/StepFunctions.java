package dev.poolshift.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.asl.Definition;
import dev.poolshift.local.asl.DefinitionLoader;
import dev.poolshift.local.asl.ExecutionInfo;
import dev.poolshift.local.asl.History;
import dev.poolshift.local.asl.HistoryEvent;
import dev.poolshift.local.asl.InvalidDefinitionException;
import dev.poolshift.local.asl.Interpreter;
import dev.poolshift.local.asl.TaskResources;
import dev.poolshift.local.asl.TaskTokens;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.aws.EventPublisher;
import dev.poolshift.local.aws.InjectedErrors;
import dev.poolshift.local.aws.ServiceEvent;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.observe.RuntimeEvent;
import dev.poolshift.local.observe.RuntimeEvents;
import dev.poolshift.local.sim.ActivityCancelledException;
import dev.poolshift.local.sim.Simulation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The local Step Functions service (Standard workflows, JSONata): state machines registered from
 * the template, executions running on the {@link Simulation}, the execution APIs with AWS's rules
 * and errors, callback tokens, and the "Step Functions Execution Status Change" events.
 *
 * <p>Every method may be called from any thread: an execution always runs as its own simulation
 * activity, so {@link #startExecution} returns at once. API errors are thrown as {@link
 * AwsServiceException} with the Step Functions error code ({@code ExecutionAlreadyExists}, ...).
 */
public final class StepFunctions {
  private final InjectedErrors faults = new InjectedErrors();
  static final int MAX_INPUT_BYTES = 262_144;
  /** An execution name stays taken for 90 days after its execution closed (API:StartExecution). */
  static final Duration NAME_RETENTION = Duration.ofDays(90);
  /** Size above which status-change events drop input/output (DG:eventbridge-integration). */
  static final int EVENT_DATA_LIMIT = 248 * 1024;
  static final String DETAIL_TYPE = "Step Functions Execution Status Change";

  private final Simulation sim;
  private final DefinitionLoader loader;
  private final EventPublisher events;
  private final AwsContext aws;
  private final RuntimeEvents watchers;
  private final TaskTokens tokens = new TaskTokens();
  private final Map<String, StateMachine> machines = new LinkedHashMap<>();
  private final Map<String, Execution> executions = new LinkedHashMap<>();
  private final List<HistoryListener> historyListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Told of every history event of every execution, as it is written. */
  @FunctionalInterface
  public interface HistoryListener {
    /**
     * Called on the thread that wrote the event, right after it is stored (sometimes under the
     * execution's lock): it must be quick and must never wait on the simulation.
     */
    void appended(String executionArn, String executionName, HistoryEvent event);
  }

  public StepFunctions(Simulation sim, TaskResources resources, EventPublisher events, AwsContext aws) {
    this(sim, resources, events, aws, new RuntimeEvents());
  }

  /** As the four-argument constructor, telling {@code watchers} each execution's start, states and end. */
  public StepFunctions(Simulation sim, TaskResources resources, EventPublisher events, AwsContext aws,
      RuntimeEvents watchers) {
    this.sim = sim;
    this.loader = new DefinitionLoader(resources);
    this.events = events;
    this.aws = aws;
    this.watchers = watchers;
  }

  public Simulation simulation() {
    return sim;
  }

  public AwsContext aws() {
    return aws;
  }

  /** The callback tokens of every execution (SendTask* go through here too). */
  /** Errors the API answers on purpose (wire calls only: the engine's own callers are unaffected). */
  public InjectedErrors faults() {
    return faults;
  }

  public TaskTokens tokens() {
    return tokens;
  }

  /**
   * Adds a listener for the history events of executions started from now on, e.g. a rehearsal
   * whose timeline entry waits for "the first time any execution enters state X".
   */
  public void onHistoryEvent(HistoryListener listener) {
    historyListeners.add(listener);
  }

  // ---------------------------------------------------------------- state machines

  /**
   * Registers a Standard state machine, as the template's {@code AWS::Serverless::StateMachine}
   * would create it. Registering the same name again with the same definition and role returns the
   * existing machine (CreateStateMachine is idempotent that way); anything else under a taken name
   * is {@code StateMachineAlreadyExists}.
   *
   * @throws InvalidDefinitionException with every validation problem of the definition
   */
  public StateMachine registerStateMachine(String name, String definition, String roleArn)
      throws InvalidDefinitionException {
    if (!SfnNameRules.isValid(name)) {
      throw AwsServiceException.client("InvalidName", "Invalid Name: '" + name + "'");
    }
    Definition compiled = loader.load(definition);
    String arn = aws.arn("states", "stateMachine:" + name);
    synchronized (this) {
      StateMachine existing = machines.get(arn);
      if (existing != null) {
        if (existing.definition().text().equals(definition) && Objects.equals(existing.roleArn(), roleArn)) {
          return existing;
        }
        throw AwsServiceException.client("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
      }
      StateMachine machine = new StateMachine(name, arn, roleArn, compiled, sim.now());
      machines.put(arn, machine);
      return machine;
    }
  }

  public synchronized Optional<StateMachine> stateMachine(String arn) {
    return Optional.ofNullable(machines.get(arn));
  }

  public synchronized List<StateMachine> stateMachines() {
    return List.copyOf(machines.values());
  }

  // ---------------------------------------------------------------- executions

  /** StartExecution's response. */
  public record Started(String executionArn, Instant startDate) {}

  /**
   * StartExecution: validates the name and input, applies the 90-day name rule with
   * its idempotency (same name and same input while RUNNING returns the running execution), and
   * starts the execution as a new activity.
   *
   * @param name null for a generated one
   * @param input JSON text, null for {@code "{}"}
   */
  public Started startExecution(String stateMachineArn, String name, String input) {
    if (stateMachineArn == null || !stateMachineArn.startsWith("arn:" + aws.partition() + ":states:")) {
      throw AwsServiceException.client("InvalidArn", "Invalid Arn: '" + stateMachineArn + "'");
    }
    String executionName = name == null ? UUID.randomUUID().toString() : name;
    if (!SfnNameRules.isValid(executionName)) {
      throw AwsServiceException.client("InvalidName", "Invalid Name: '" + executionName + "'");
    }
    String inputText = input == null ? "{}" : input;
    if (inputText.getBytes(StandardCharsets.UTF_8).length > MAX_INPUT_BYTES) {
      throw AwsServiceException.client("InvalidExecutionInput", "Invalid State Machine Execution Input: 'input exceeds "
          + MAX_INPUT_BYTES + " bytes'");
    }
    JsonNode inputJson;
    try {
      inputJson = LocalJson.parse(inputText);
    } catch (IllegalArgumentException e) {
      throw AwsServiceException.client("InvalidExecutionInput", "Invalid State Machine Execution Input: '"
          + e.getMessage() + "'");
    }
    Execution execution;
    synchronized (this) {
      StateMachine machine = machines.get(stateMachineArn);
      if (machine == null) {
        throw AwsServiceException.client("StateMachineDoesNotExist", "State Machine Does Not Exist: '"
            + stateMachineArn + "'");
      }
      String arn = aws.arn("states", "execution:" + machine.name() + ":" + executionName);
      Execution existing = executions.get(arn);
      if (existing != null) {
        Execution.Snapshot s = existing.snapshot();
        if (s.status() == SfnExecutionStatus.RUNNING && s.input().equals(inputText)) {
          return new Started(arn, s.startDate());
        }
        boolean expired = s.stopDate() != null && !sim.now().isBefore(s.stopDate().plus(NAME_RETENTION));
        if (!expired) {
          throw AwsServiceException.client("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
        }
        executions.remove(arn);
      }
      History history = new History(event -> {
        historyListeners.forEach(l -> l.appended(arn, executionName, event));
        if (event.type().endsWith("StateEntered") && event.details() != null) {
          watchers.publish(new RuntimeEvent.StateEntered(event.timestamp(), arn, executionName,
              event.details().path("name").asText()));
        }
      });
      execution = new Execution(arn, machine, executionName, inputText, sim.now(), history);
      executions.put(arn, execution);
    }
    launch(execution, inputJson);
    return new Started(execution.arn(), execution.startDate());
  }

  private void launch(Execution execution, JsonNode input) {
    StateMachine machine = execution.stateMachine();
    ExecutionInfo info = new ExecutionInfo(execution.arn(), execution.name(), input, machine.roleArn(),
        execution.startDate(), machine.arn(), machine.name());
    Interpreter interpreter = new Interpreter(machine.definition(), info, sim, execution.historyLog(), tokens,
        aws.region());
    ObjectNode started = LocalJson.object().put("input", execution.input());
    started.putObject("inputDetails").put("truncated", false);
    if (machine.roleArn() != null) {
      started.put("roleArn", machine.roleArn());
    }
    execution.historyLog().executionStarted(execution.startDate(), started);
    Simulation.Timer timer = null;
    Integer timeout = machine.definition().timeoutSeconds();
    if (timeout != null) {
      timer = sim.at(execution.startDate().plusSeconds(timeout), execution.name() + "/timeout",
          () -> timeOut(execution));
    }
    execution.start(interpreter, timer);
    watchers.publish(new RuntimeEvent.ExecutionStarted(execution.startDate(), execution.arn(), execution.name(),
        machine.name(), execution.input()));
    publish(execution);
    sim.spawn("execution/" + machine.name() + "/" + execution.name(), () -> run(execution, interpreter));
  }

  private void run(Execution execution, Interpreter interpreter) {
    try {
      JsonNode output = interpreter.run();
      finish(execution, SfnExecutionStatus.SUCCEEDED, LocalJson.write(output), null, null);
    } catch (Interpreter.ExecutionFailure failure) {
      finish(execution, SfnExecutionStatus.FAILED, null, failure.error(), failure.cause());
    } catch (ActivityCancelledException stopped) {
      // StopExecution or the execution timeout closed it already.
    } catch (RuntimeException bug) {
      // A bug in the runtime or a task resource: the execution fails visibly, and the simulation
      // reports the exception to whoever drives it.
      finish(execution, SfnExecutionStatus.FAILED, null, "States.Runtime", "Internal error in the local runtime: " + bug);
      throw bug;
    }
  }

  private void finish(Execution execution, SfnExecutionStatus status, String output, String error, String cause) {
    Instant now = sim.now();
    ObjectNode details = LocalJson.object();
    String type;
    switch (status) {
      case SUCCEEDED -> {
        type = "ExecutionSucceeded";
        details.put("output", output);
        details.putObject("outputDetails").put("truncated", false);
      }
      case FAILED -> {
        type = "ExecutionFailed";
        putErrorCause(details, error, cause);
      }
      case ABORTED -> {
        type = "ExecutionAborted";
        putErrorCause(details, error, cause);
      }
      case TIMED_OUT -> {
        type = "ExecutionTimedOut";
        putErrorCause(details, error, cause);
      }
      default -> throw new IllegalArgumentException(status.name());
    }
    synchronized (execution) {
      if (!execution.close(status, now, output, error, cause)) {
        return;
      }
      execution.historyLog().close(now, type, details);
    }
    Simulation.Timer timer = execution.timeoutTimer();
    if (timer != null) {
      timer.cancel();
    }
    Interpreter interpreter = execution.interpreter();
    if (interpreter != null) {
      interpreter.cancel();
    }
    tokens.closeAll(execution.arn());
    watchers.publish(new RuntimeEvent.ExecutionEnded(now, execution.arn(), execution.name(), status.name(), output,
        error, cause));
    publish(execution);
  }

  private static void putErrorCause(ObjectNode details, String error, String cause) {
    if (error != null) {
      details.put("error", error);
    }
    if (cause != null) {
      details.put("cause", cause);
    }
  }

  private void timeOut(Execution execution) {
    // DescribeExecution of a timed-out execution shows no error or cause (REC test_global_timeout).
    finish(execution, SfnExecutionStatus.TIMED_OUT, null, null, null);
  }

  /**
   * StopExecution: the execution becomes ABORTED at once, its active states get no exit
   * event, no Retry or Catch runs, its callback tokens die. Stopping a closed execution returns its
   * stop date unchanged (AWS appears to succeed; unconfirmed).
   */
  public Instant stopExecution(String executionArn, String error, String cause) {
    Execution execution = execution(executionArn);
    if (error != null && error.length() > 256) {
      throw AwsServiceException.client("ValidationException", "1 validation error detected: Value at 'error' failed to "
          + "satisfy constraint: Member must have length less than or equal to 256");
    }
    if (cause != null && cause.length() > 32_768) {
      throw AwsServiceException.client("ValidationException", "1 validation error detected: Value at 'cause' failed to "
          + "satisfy constraint: Member must have length less than or equal to 32768");
    }
    finish(execution, SfnExecutionStatus.ABORTED, null, error, cause);
    return execution.stopDate();
  }

  /** The execution, or {@code ExecutionDoesNotExist}. */
  public synchronized Execution execution(String executionArn) {
    if (executionArn == null || !executionArn.startsWith("arn:" + aws.partition() + ":states:")) {
      throw AwsServiceException.client("InvalidArn", "Invalid Arn: '" + executionArn + "'");
    }
    Execution e = executions.get(executionArn);
    if (e == null) {
      throw AwsServiceException.client("ExecutionDoesNotExist", "Execution Does Not Exist: '" + executionArn + "'");
    }
    return e;
  }

  /** Every execution so far, in start order. */
  public synchronized List<Execution> executions() {
    return List.copyOf(executions.values());
  }

  /** ListExecutions' filter: newest first, optionally by status. */
  public List<Execution.Snapshot> listExecutions(String stateMachineArn, SfnExecutionStatus statusFilter) {
    synchronized (this) {
      if (!machines.containsKey(stateMachineArn)) {
        throw AwsServiceException.client("StateMachineDoesNotExist", "State Machine Does Not Exist: '"
            + stateMachineArn + "'");
      }
    }
    List<Execution.Snapshot> out = new ArrayList<>();
    for (Execution e : executions()) {
      if (e.stateMachine().arn().equals(stateMachineArn)) {
        Execution.Snapshot s = e.snapshot();
        if (statusFilter == null || s.status() == statusFilter) {
          out.add(s);
        }
      }
    }
    out.sort(Comparator.comparing(Execution.Snapshot::startDate).reversed());
    return out;
  }

  /** Whether no execution is RUNNING (drive tests with {@code sim.runUntil(sfn::allExecutionsEnded, ...)}). */
  public boolean allExecutionsEnded() {
    return executions().stream().noneMatch(e -> e.status() == SfnExecutionStatus.RUNNING);
  }

  /** Executions still RUNNING. */
  public List<Execution> runningExecutions() {
    return executions().stream().filter(e -> e.status() == SfnExecutionStatus.RUNNING).toList();
  }

  /** Live callback tokens across all executions (a finished run should have none). */
  public int outstandingTaskTokens() {
    return tokens.outstanding();
  }

  public List<HistoryEvent> history(String executionArn) {
    return execution(executionArn).history();
  }

  // ---------------------------------------------------------------- callbacks

  public void sendTaskSuccess(String token, String output) {
    try {
      tokens.sendSuccess(token, output);
    } catch (TaskTokens.TokenException e) {
      throw AwsServiceException.client(e.code(), e.getMessage());
    }
  }

  public void sendTaskFailure(String token, String error, String cause) {
    try {
      tokens.sendFailure(token, error, cause);
    } catch (TaskTokens.TokenException e) {
      throw AwsServiceException.client(e.code(), e.getMessage());
    }
  }

  public void sendTaskHeartbeat(String token) {
    try {
      tokens.sendHeartbeat(token);
    } catch (TaskTokens.TokenException e) {
      throw AwsServiceException.client(e.code(), e.getMessage());
    }
  }

  // ---------------------------------------------------------------- events

  /** Emits "Step Functions Execution Status Change" for the execution's current status. */
  private void publish(Execution execution) {
    Execution.Snapshot s = execution.snapshot();
    ObjectNode detail = LocalJson.object();
    detail.put("executionArn", s.executionArn());
    detail.put("stateMachineArn", s.stateMachineArn());
    detail.put("name", s.name());
    detail.put("status", s.status().name());
    detail.put("startDate", s.startDate().toEpochMilli());
    if (s.stopDate() == null) {
      detail.putNull("stopDate");
    } else {
      detail.put("stopDate", s.stopDate().toEpochMilli());
    }
    String input = s.input();
    String output = s.output();
    int outputSize = output == null ? 0 : LocalJson.write(output).getBytes(StandardCharsets.UTF_8).length;
    int inputSize = LocalJson.write(input).getBytes(StandardCharsets.UTF_8).length;
    boolean includeOutput = output != null && outputSize <= EVENT_DATA_LIMIT;
    boolean includeInput = inputSize + (includeOutput ? outputSize : 0) <= EVENT_DATA_LIMIT;
    if (includeInput) {
      detail.put("input", input);
    } else {
      detail.putNull("input");
    }
    if (includeOutput) {
      detail.put("output", output);
    } else {
      detail.putNull("output");
    }
    detail.putObject("inputDetails").put("included", includeInput);
    if (output == null) {
      detail.putNull("outputDetails");
    } else {
      detail.putObject("outputDetails").put("included", includeOutput);
    }
    if (s.error() == null) {
      detail.putNull("error");
    } else {
      detail.put("error", s.error());
    }
    if (s.cause() == null) {
      detail.putNull("cause");
    } else {
      detail.put("cause", s.cause());
    }
    events.publish(new ServiceEvent("aws.states", DETAIL_TYPE, List.of(s.executionArn()), detail));
  }
}
