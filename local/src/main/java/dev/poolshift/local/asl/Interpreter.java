package dev.poolshift.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.asl.Definition.Catcher;
import dev.poolshift.local.asl.Definition.ChoiceRule;
import dev.poolshift.local.asl.Definition.ChoiceState;
import dev.poolshift.local.asl.Definition.Container;
import dev.poolshift.local.asl.Definition.FailState;
import dev.poolshift.local.asl.Definition.MapState;
import dev.poolshift.local.asl.Definition.ParallelState;
import dev.poolshift.local.asl.Definition.Recovering;
import dev.poolshift.local.asl.Definition.Retrier;
import dev.poolshift.local.asl.Definition.State;
import dev.poolshift.local.asl.Definition.TaskState;
import dev.poolshift.local.asl.Definition.WaitState;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sim.Activity;
import dev.poolshift.local.sim.ActivityCancelledException;
import dev.poolshift.local.sim.Mailbox;
import dev.poolshift.local.sim.Simulation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one execution of a {@link Definition} on the simulation: the states, their data flow
 * (JSONata {@code Arguments}/{@code Output}/{@code Assign}), Retry and Catch, timeouts, callback
 * tokens, Parallel branches and Map iterations (child activities), and the history.
 *
 * <p>The execution's terminal event (succeeded, failed, aborted, timed out) is not written here:
 * the owner of the execution's status writes it, so that StopExecution from another thread and
 * the execution finishing cannot both win.
 */
public final class Interpreter {
  /** Payload limit for inputs, outputs, results and one variable (DG:service-quotas). */
  static final int MAX_PAYLOAD_BYTES = 262_144;
  static final long MAX_VARIABLES_BYTES = 10L * 1024 * 1024;
  /** Longest delay a Wait accepts before failing with States.Runtime (REC: about 24,855 days). */
  private static final Duration MAX_WAIT = Duration.ofDays(24_855);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Definition definition;
  private final ExecutionInfo info;
  private final Simulation sim;
  private final History history;
  private final TaskTokens tokens;
  private final String region;
  private final AtomicLong transitions = new AtomicLong();
  private final AtomicLong variableBytes = new AtomicLong();
  private final Set<Activity> activities = ConcurrentHashMap.newKeySet();
  private volatile boolean cancelled;

  public Interpreter(Definition definition, ExecutionInfo info, Simulation sim, History history, TaskTokens tokens,
      String region) {
    this.definition = definition;
    this.info = info;
    this.sim = sim;
    this.history = history;
    this.tokens = tokens;
    this.region = region;
  }

  /** State transitions so far: one per state entered plus one per retry attempt (how AWS bills). */
  public long stateTransitions() {
    return transitions.get();
  }

  public History history() {
    return history;
  }

  /**
   * Runs the machine on the calling activity; returns the execution output.
   *
   * @throws ExecutionFailure the execution failed with an error/cause
   * @throws ActivityCancelledException the execution was stopped ({@link #cancel})
   */
  public JsonNode run() throws ExecutionFailure {
    Activity self = Simulation.currentActivity();
    if (self != null) {
      register(self);
    }
    try {
      return runContainer(definition.root(), info.input(), new VarScope(null), new Cursor(0));
    } catch (StateError e) {
      throw new ExecutionFailure(e.error(), e.cause());
    }
  }

  /** Cancels every activity of the execution (StopExecution, execution timeout). */
  public void cancel() {
    synchronized (activities) {
      cancelled = true;
      for (Activity a : activities) {
        a.cancel();
      }
    }
    tokens.closeAll(info.executionArn());
  }

  /** The execution failed; error and cause may be null (a Fail state without them). */
  public static final class ExecutionFailure extends Exception {
    private final String error;
    private final String cause;

    ExecutionFailure(String error, String cause) {
      super(error + ": " + cause, null, false, false);
      this.error = error;
      this.cause = cause;
    }

    public String error() {
      return error;
    }

    public String cause() {
      return cause;
    }
  }

  // ------------------------------------------------------------------ plumbing

  /** The previous event id of one thread of control (the execution, a branch, an iteration). */
  private static final class Cursor {
    long last;

    Cursor(long last) {
      this.last = last;
    }
  }

  private long event(Cursor cursor, String type, ObjectNode details) {
    long id = history.append(cursor.last, sim.now(), type, details);
    if (id > 0) {
      cursor.last = id;
    }
    return id;
  }

  private void register(Activity activity) {
    synchronized (activities) {
      activities.add(activity);
      if (cancelled) {
        activity.cancel();
      }
    }
  }

  private Activity spawnChild(String name, Runnable body) {
    synchronized (activities) {
      Activity child = sim.spawn(info.name() + "/" + name, body);
      register(child);
      return child;
    }
  }

  private static void checkCancelled() {
    Activity self = Simulation.currentActivity();
    if (self != null && self.isCancelled()) {
      throw new ActivityCancelledException(self.name());
    }
  }

  private static String text(JsonNode node) {
    return LocalJson.write(node);
  }

  private static int size(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  private static ObjectNode truncatedFalse() {
    return NODES.objectNode().put("truncated", false);
  }

  private record Step(String next, JsonNode output) {}

  // ------------------------------------------------------------------ containers and states

  private JsonNode runContainer(Container container, JsonNode input, VarScope scope, Cursor cursor) throws StateError {
    String name = container.startAt();
    JsonNode data = input;
    while (true) {
      checkCancelled();
      State state = container.states().get(name);
      Step step = runState(state, data, scope, cursor);
      if (step.next() == null) {
        return step.output();
      }
      name = step.next();
      data = step.output();
    }
  }

  private Step runState(State state, JsonNode input, VarScope scope, Cursor cursor) throws StateError {
    transitions.incrementAndGet();
    Instant entered = sim.now();
    ObjectNode details = NODES.objectNode().put("name", state.name).put("input", text(input));
    details.set("inputDetails", truncatedFalse());
    long enteredId = event(cursor, state.type() + "StateEntered", details);
    Integer retryCount = state instanceof Recovering ? 0 : null;
    EvalContext ctx = new EvalContext(info, state.name, entered, enteredId, retryCount, input, scope, sim.now().toEpochMilli());
    try {
      return switch (state.type()) {
        case Pass -> exit(state, ctx, cursor, scope, state.output, state.assign, input, state.next);
        case Succeed -> exit(state, ctx, cursor, scope, state.output, null, input, null);
        case Fail -> throw fail((FailState) state, ctx, cursor);
        case Choice -> choose((ChoiceState) state, ctx, cursor, scope);
        case Wait -> waitState((WaitState) state, ctx, cursor, scope);
        case Task, Parallel, Map -> recovering(state, ctx, cursor, scope, entered, enteredId);
      };
    } catch (ActivityCancelledException e) {
      switch (state.type()) {
        case Task, Wait, Map, Parallel -> event(cursor, state.type() + "StateAborted", null);
        default -> {
          // Pass, Choice, Succeed and Fail have no aborted event type.
        }
      }
      throw e;
    }
  }

  /** Records an EvaluationFailed event for a query error, then passes the error on. */
  private StateError evaluationFailed(StateError e, String stateName, Cursor cursor) {
    if (StateError.QUERY_EVALUATION.equals(e.error()) && e.location() != null) {
      ObjectNode details = NODES.objectNode().put("error", e.error()).put("cause", e.cause())
          .put("location", e.location()).put("state", stateName);
      event(cursor, "EvaluationFailed", details);
    }
    return e;
  }

  /**
   * The success path's last steps: evaluate {@code Assign} and {@code Output} against the values
   * on entry (neither sees the other's result), commit the assignment, write the exit event.
   */
  private Step exit(State state, EvalContext ctx, Cursor cursor, VarScope scope, JsonataTemplate outputTemplate,
      Map<String, JsonataTemplate> assign, JsonNode defaultOutput, String next) throws StateError {
    Map<String, JsonNode> assigned;
    JsonNode output;
    try {
      assigned = evaluateAssign(assign, ctx);
      output = outputTemplate == null ? defaultOutput : outputTemplate.evaluate(ctx);
    } catch (StateError e) {
      throw evaluationFailed(e, state.name, cursor);
    }
    commitAndExit(state, cursor, scope, assigned, output);
    return new Step(state.end ? null : next, output);
  }

  private static StateError dataLimit(String stateName) {
    return new StateError(StateError.DATA_LIMIT, "The state/task '" + stateName
        + "' returned a result with a size exceeding the maximum number of bytes service limit.");
  }

  private static Map<String, JsonNode> evaluateAssign(Map<String, JsonataTemplate> assign, EvalContext ctx) throws StateError {
    if (assign == null || assign.isEmpty()) {
      return Map.of();
    }
    Map<String, JsonNode> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonataTemplate> e : assign.entrySet()) {
      values.put(e.getKey(), e.getValue().evaluate(ctx));
    }
    return values;
  }

  /** Stores an Assign's values all at once, after the size checks (DG:workflow-variables limits). */
  private ObjectNode commit(String stateName, VarScope scope, Map<String, JsonNode> assigned) throws StateError {
    if (assigned.isEmpty()) {
      return null;
    }
    ObjectNode shown = NODES.objectNode();
    Map<String, Integer> sizes = new LinkedHashMap<>();
    long total = 0;
    for (Map.Entry<String, JsonNode> e : assigned.entrySet()) {
      String t = text(e.getValue());
      int n = size(t);
      if (n > MAX_PAYLOAD_BYTES) {
        throw new StateError(StateError.DATA_LIMIT, "The variable '" + e.getKey() + "' assigned by state '" + stateName
            + "' exceeds the maximum size of " + MAX_PAYLOAD_BYTES + " bytes.");
      }
      total += n;
      sizes.put(e.getKey(), n);
      shown.put(e.getKey(), t);
    }
    if (total > MAX_PAYLOAD_BYTES) {
      throw new StateError(StateError.DATA_LIMIT, "The variables assigned by state '" + stateName
          + "' exceed the maximum combined size of " + MAX_PAYLOAD_BYTES + " bytes.");
    }
    long delta = 0;
    for (Map.Entry<String, JsonNode> e : assigned.entrySet()) {
      int n = sizes.get(e.getKey());
      delta += n - scope.store(e.getKey(), e.getValue(), n);
    }
    if (variableBytes.addAndGet(delta) > MAX_VARIABLES_BYTES) {
      throw new StateError(StateError.DATA_LIMIT, "The variables of the execution exceed the maximum total size of "
          + MAX_VARIABLES_BYTES + " bytes.");
    }
    return shown;
  }

  // ------------------------------------------------------------------ Fail, Choice, Wait

  private StateError fail(FailState state, EvalContext ctx, Cursor cursor) {
    try {
      String error = stringField(state.error, ctx, "Error");
      String cause = stringField(state.cause, ctx, "Cause");
      return new StateError(error, cause);
    } catch (StateError e) {
      return evaluationFailed(e, state.name, cursor);
    }
  }

  private static String stringField(JsonataTemplate template, EvalContext ctx, String field) throws StateError {
    if (template == null) {
      return null;
    }
    JsonNode value = template.evaluate(ctx);
    if (!value.isTextual()) {
      throw unexpectedType(ctx, template, field, "string", value);
    }
    return value.textValue();
  }

  private static StateError unexpectedType(EvalContext ctx, JsonataTemplate template, String field, String expected,
      JsonNode value) {
    String expr = template instanceof JsonataTemplate.Expression e ? e.expression().text() : text(value);
    return ctx.queryError(field, "The JSONata expression '" + expr + "' specified for the field '" + field
        + "' returned an unexpected result type. Expected '" + expected + "', but was '" + JsonataValues.typeName(value)
        + "' for value: " + text(value));
  }

  private Step choose(ChoiceState state, EvalContext ctx, Cursor cursor, VarScope scope) throws StateError {
    for (ChoiceRule rule : state.choices) {
      String field = "Choices[" + rule.index() + "]/Condition";
      JsonNode value;
      try {
        value = rule.condition().evaluate(ctx);
        if (!value.isBoolean()) {
          throw unexpectedType(ctx, rule.condition(), field, "boolean", value);
        }
      } catch (StateError e) {
        throw evaluationFailed(e, state.name, cursor);
      }
      if (value.booleanValue()) {
        return exit(state, ctx, cursor, scope, rule.output(), rule.assign(), ctx.input(), rule.next());
      }
    }
    if (state.defaultNext != null) {
      return exit(state, ctx, cursor, scope, state.output, state.assign, ctx.input(), state.defaultNext);
    }
    throw new StateError(StateError.NO_CHOICE, "No Matches!");
  }

  private Step waitState(WaitState state, EvalContext ctx, Cursor cursor, VarScope scope) throws StateError {
    Instant until;
    try {
      if (state.seconds != null) {
        long seconds = integerField(state.seconds, ctx, "Seconds", 0, 99_999_999L);
        until = sim.now().plusSeconds(seconds);
      } else {
        JsonNode value = state.timestamp.evaluate(ctx);
        if (!value.isTextual()) {
          throw unexpectedType(ctx, state.timestamp, "Timestamp", "string", value);
        }
        Optional<Instant> parsed = parseTimestamp(value.textValue());
        if (parsed.isEmpty()) {
          throw ctx.queryError("Timestamp", "The Timestamp field cannot be parsed as an ISO-8601 extended offset "
              + "date-time format string: " + value.textValue());
        }
        until = parsed.get();
      }
    } catch (StateError e) {
      throw evaluationFailed(e, state.name, cursor);
    }
    if (until.isAfter(sim.now().plus(MAX_WAIT))) {
      throw new StateError(StateError.RUNTIME, "Wait state delay is too long.");
    }
    if (until.isAfter(sim.now())) {
      sim.sleepUntil(until);
    }
    EvalContext after = ctx.withResult(null, sim.now().toEpochMilli());
    return exit(state, after, cursor, scope, state.output, state.assign, ctx.input(), state.next);
  }

  /**
   * RFC 3339 with an upper-case {@code T} and a zone ({@code Z} or an offset); fractional seconds
   * are accepted and truncated (DG:state-wait).
   */
  static Optional<Instant> parseTimestamp(String text) {
    if (text.length() < 20 || text.charAt(10) != 'T' || text.endsWith("z")) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
          .truncatedTo(ChronoUnit.SECONDS));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** An integer-valued field (literal or JSONata) within [min, max]. */
  private static long integerField(JsonataTemplate template, EvalContext ctx, String field, long min, long max)
      throws StateError {
    JsonNode value = template.evaluate(ctx);
    if (!value.isNumber() || !isWhole(value)) {
      throw unexpectedType(ctx, template, field, "integer", value);
    }
    long v = value.asLong();
    if (v < min || v > max) {
      String expr = template instanceof JsonataTemplate.Expression e ? e.expression().text() : text(value);
      throw ctx.queryError(field, "The JSONata expression '" + expr + "' specified for the field '" + field
          + "' returned an out-of-range value. Expected an integer in [" + min + ", " + max + "], but was: " + v);
    }
    return v;
  }

  private static boolean isWhole(JsonNode number) {
    if (number.isIntegralNumber()) {
      return true;
    }
    double d = number.doubleValue();
    return d == Math.rint(d) && !Double.isInfinite(d);
  }

  // ------------------------------------------------------------------ Task, Parallel, Map: Retry and Catch

  private Step recovering(State state, EvalContext entryContext, Cursor cursor, VarScope scope, Instant entered,
      long enteredId) throws StateError {
    Recovering recovering = (Recovering) state;
    int[] attempts = new int[recovering.retry().size()];
    int retryCount = 0;
    EvalContext ctx = entryContext;
    while (true) {
      try {
        JsonNode result = switch (state.type()) {
          case Task -> task((TaskState) state, ctx, cursor);
          case Parallel -> parallel((ParallelState) state, ctx, cursor, scope);
          case Map -> map((MapState) state, ctx, cursor, scope);
          default -> throw new IllegalStateException(state.type().name());
        };
        EvalContext done = ctx.withResult(result, sim.now().toEpochMilli());
        return exit(state, done, cursor, scope, state.output, state.assign, result, state.next);
      } catch (StateError error) {
        Retrier retrier = null;
        int index = -1;
        for (int i = 0; i < recovering.retry().size() && retrier == null; i++) {
          Retrier r = recovering.retry().get(i);
          if (r.errorEquals().stream().anyMatch(error::matches)) {
            retrier = r;
            index = i;
          }
        }
        if (retrier != null && attempts[index] < retrier.maxAttempts()) {
          attempts[index]++;
          sim.sleep(retryDelay(retrier, attempts[index], jitterDraw(state.name, index, attempts[index])));
          retryCount++;
          transitions.incrementAndGet();
          ctx = new EvalContext(info, state.name, entered, enteredId, retryCount, entryContext.input(), scope,
              sim.now().toEpochMilli());
          continue;
        }
        for (Catcher catcher : recovering.catchers()) {
          if (catcher.errorEquals().stream().anyMatch(error::matches)) {
            return caught(state, catcher, error, ctx, cursor, scope);
          }
        }
        throw error;
      }
    }
  }

  /**
   * The k-th retry's delay (k from 1): interval x rate^(k-1), capped, optionally full jitter,
   * scaled by {@code draw} in [0, 1).
   */
  static Duration retryDelay(Retrier retrier, int k, double draw) {
    double seconds = retrier.intervalSeconds() * Math.pow(retrier.backoffRate(), k - 1);
    if (retrier.maxDelaySeconds() != null) {
      seconds = Math.min(seconds, retrier.maxDelaySeconds());
    }
    if (retrier.fullJitter()) {
      seconds *= draw;
    }
    return Duration.ofNanos((long) Math.min(seconds * 1e9, Long.MAX_VALUE));
  }

  /**
   * The jitter of one retry, from the execution, the state, the retrier and the attempt: a run
   * with the same inputs retries at the same virtual instants, so a rehearsal is reproducible
   * (AWS draws at random; any draw in [0, 1) is one AWS could make).
   */
  private double jitterDraw(String stateName, int retrierIndex, int attempt) {
    long seed = ((long) info.executionArn().hashCode() << 32) ^ stateName.hashCode();
    seed = seed * 31 + retrierIndex * 1_000_003L + attempt;
    return new java.util.SplittableRandom(seed).nextDouble();
  }

  /** Checks the output's size, commits the assignment and writes the StateExited event. */
  private void commitAndExit(State state, Cursor cursor, VarScope scope, Map<String, JsonNode> assigned,
      JsonNode output) throws StateError {
    String outputText = text(output);
    if (size(outputText) > MAX_PAYLOAD_BYTES) {
      throw dataLimit(state.name);
    }
    ObjectNode exitedVariables = commit(state.name, scope, assigned);
    ObjectNode details = NODES.objectNode().put("name", state.name).put("output", outputText);
    details.set("outputDetails", truncatedFalse());
    if (exitedVariables != null) {
      details.set("assignedVariables", exitedVariables);
      details.set("assignedVariablesDetails", truncatedFalse());
    }
    event(cursor, state.type() + "StateExited", details);
  }

  private Step caught(State state, Catcher catcher, StateError error, EvalContext ctx, Cursor cursor, VarScope scope)
      throws StateError {
    ObjectNode errorOutput = error.errorOutput();
    EvalContext onError = ctx.withErrorOutput(errorOutput, sim.now().toEpochMilli());
    String prefix = "Catch[" + catcher.index() + "]/";
    Map<String, JsonNode> assigned;
    JsonNode output;
    try {
      assigned = evaluateAssign(catcher.assign(), onError);
      output = catcher.output() == null ? errorOutput : catcher.output().evaluate(onError);
    } catch (StateError e) {
      // A catcher's own failure is not matched against the catchers again (SPEC, MEAS).
      StateError located = StateError.query(prefix + e.location(), e.cause().replace(
          "for the field '" + e.location() + "'", "for the field '" + prefix + e.location() + "'"));
      throw evaluationFailed(located, state.name, cursor);
    }
    commitAndExit(state, cursor, scope, assigned, output);
    return new Step(catcher.next(), output);
  }

  // ------------------------------------------------------------------ Task

  private record CallDone(JsonNode result, TaskFailure failure, RuntimeException bug) {}

  private JsonNode task(TaskState state, EvalContext ctx, Cursor cursor) throws StateError {
    ResourceNaming naming = state.implementation.naming(state.resource);
    Mailbox<Object> mailbox = new Mailbox<>(sim);
    String token = state.waitForTaskToken ? tokens.issue(info.executionArn(), state.name, mailbox) : null;
    try {
      EvalContext callCtx = token == null ? ctx : ctx.withTaskToken(token);
      JsonNode arguments;
      Long timeout;
      Long heartbeat;
      JsonNode credentials;
      try {
        arguments = state.arguments == null ? ctx.input() : state.arguments.evaluate(callCtx);
        timeout = state.timeoutSeconds == null ? null
            : integerField(state.timeoutSeconds, ctx, "TimeoutSeconds", 1, 99_999_999L);
        heartbeat = state.heartbeatSeconds == null ? null
            : integerField(state.heartbeatSeconds, ctx, "HeartbeatSeconds", 1, 99_999_999L);
        if (timeout != null && heartbeat != null && heartbeat >= timeout) {
          throw ctx.queryError("HeartbeatSeconds", "The value of the field 'HeartbeatSeconds' (" + heartbeat
              + ") must be smaller than the value of the field 'TimeoutSeconds' (" + timeout + ").");
        }
        credentials = state.credentials == null ? null : state.credentials.evaluate(ctx);
      } catch (StateError e) {
        throw evaluationFailed(e, state.name, cursor);
      }
      String argumentsText = text(arguments);
      if (size(argumentsText) > MAX_PAYLOAD_BYTES) {
        throw dataLimit(state.name);
      }
      boolean direct = naming.directLambda();
      if (direct) {
        ObjectNode scheduled = NODES.objectNode().put("resource", state.resource).put("input", argumentsText);
        scheduled.set("inputDetails", truncatedFalse());
        if (timeout != null) {
          scheduled.put("timeoutInSeconds", timeout);
        }
        event(cursor, "LambdaFunctionScheduled", scheduled);
        event(cursor, "LambdaFunctionStarted", null);
      } else {
        ObjectNode scheduled = resourceDetails(naming).put("region", region).put("parameters", argumentsText);
        if (timeout != null) {
          scheduled.put("timeoutInSeconds", timeout);
        }
        if (heartbeat != null) {
          scheduled.put("heartbeatInSeconds", heartbeat);
        }
        if (credentials != null && credentials.hasNonNull("RoleArn")) {
          scheduled.putObject("taskCredentials").put("roleArn", credentials.get("RoleArn").asText());
        }
        event(cursor, "TaskScheduled", scheduled);
        event(cursor, "TaskStarted", resourceDetails(naming));
      }
      Instant deadline = timeout == null ? null : sim.now().plusSeconds(timeout);
      TaskContext taskContext = new TaskContext(info.executionArn(), state.name,
          timeout == null ? null : Duration.ofSeconds(timeout), sim, token, tokens);
      List<TaskTokens.Signal> early = new ArrayList<>();
      CallDone done = call(state, arguments, taskContext, mailbox, deadline, early);
      if (done == null) {
        throw timedOut(naming, direct, cursor, false);
      }
      if (done.bug() != null) {
        throw done.bug();
      }
      if (done.failure() != null) {
        throw taskFailed(naming, direct, cursor, done.failure().error(), done.failure().cause());
      }
      JsonNode result = done.result() == null ? NODES.nullNode() : done.result();
      if (!state.waitForTaskToken) {
        return succeeded(state, naming, direct, cursor, result);
      }
      ObjectNode submitted = resourceDetails(naming).put("output", text(result));
      submitted.set("outputDetails", truncatedFalse());
      event(cursor, "TaskSubmitted", submitted);
      Instant heartbeatDeadline = heartbeat == null ? null : sim.now().plusSeconds(heartbeat);
      while (true) {
        TaskTokens.Signal signal;
        if (!early.isEmpty()) {
          signal = early.remove(0);
        } else {
          Instant wake = earliest(deadline, heartbeatDeadline);
          Optional<Object> message = mailbox.take(wake);
          if (message.isEmpty()) {
            boolean heartbeatExpired = heartbeatDeadline != null && !sim.now().isBefore(heartbeatDeadline)
                && (deadline == null || heartbeatDeadline.isBefore(deadline));
            throw timedOut(naming, false, cursor, heartbeatExpired);
          }
          if (!(message.get() instanceof TaskTokens.Signal s)) {
            continue; // a late CallDone from an earlier wait cannot happen; ignore anything else
          }
          signal = s;
        }
        switch (signal) {
          case TaskTokens.Success s -> {
            return succeeded(state, naming, false, cursor, s.output());
          }
          case TaskTokens.Failure f -> throw taskFailed(naming, false, cursor, f.error(), f.cause());
          case TaskTokens.Heartbeat h -> heartbeatDeadline = heartbeat == null ? null : sim.now().plusSeconds(heartbeat);
        }
      }
    } finally {
      if (token != null) {
        tokens.close(token);
      }
    }
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isBefore(b) ? a : b;
  }

  /**
   * Calls the resource. Without a timeout the call runs on this activity; with one it runs on a
   * child activity so that the timeout can fire while the resource is still busy (AWS does not stop
   * a running function either; its late result is ignored). Returns null on timeout.
   */
  private CallDone call(TaskState state, JsonNode arguments, TaskContext context, Mailbox<Object> mailbox,
      Instant deadline, List<TaskTokens.Signal> early) {
    if (deadline == null) {
      return invoke(state, arguments, context);
    }
    Mailbox<Object> callBox = new Mailbox<>(sim);
    spawnChild(state.name + "/call", () -> callBox.offer(invoke(state, arguments, context)));
    Optional<Object> done = callBox.take(deadline);
    // Signals sent while the call ran (a function completing its own token) wait in the task mailbox.
    for (Optional<Object> m = mailbox.poll(); m.isPresent(); m = mailbox.poll()) {
      if (m.get() instanceof TaskTokens.Signal s) {
        early.add(s);
      }
    }
    return done.map(CallDone.class::cast).orElse(null);
  }

  private static CallDone invoke(TaskState state, JsonNode arguments, TaskContext context) {
    try {
      return new CallDone(state.implementation.call(state.baseResource, arguments, context), null, null);
    } catch (TaskFailure f) {
      return new CallDone(null, f, null);
    } catch (ActivityCancelledException e) {
      throw e;
    } catch (RuntimeException e) {
      return new CallDone(null, null, e);
    }
  }

  private static ObjectNode resourceDetails(ResourceNaming naming) {
    return NODES.objectNode().put("resourceType", naming.resourceType()).put("resource", naming.resource());
  }

  private JsonNode succeeded(TaskState state, ResourceNaming naming, boolean direct, Cursor cursor, JsonNode result)
      throws StateError {
    String resultText = text(result);
    if (size(resultText) > MAX_PAYLOAD_BYTES) {
      String who = direct ? state.resource : naming.resourceType();
      StateError e = new StateError(StateError.DATA_LIMIT, "The state/task '" + who
          + "' returned a result with a size exceeding the maximum number of bytes service limit.");
      throw taskFailed(naming, direct, cursor, e.error(), e.cause());
    }
    ObjectNode details = direct ? NODES.objectNode() : resourceDetails(naming);
    details.put("output", resultText);
    details.set("outputDetails", truncatedFalse());
    event(cursor, direct ? "LambdaFunctionSucceeded" : "TaskSucceeded", details);
    return result;
  }

  private StateError taskFailed(ResourceNaming naming, boolean direct, Cursor cursor, String error, String cause) {
    ObjectNode details = direct ? NODES.objectNode() : resourceDetails(naming);
    if (error != null) {
      details.put("error", error);
    }
    if (cause != null) {
      details.put("cause", cause);
    }
    event(cursor, direct ? "LambdaFunctionFailed" : "TaskFailed", details);
    return new StateError(error, cause);
  }

  private StateError timedOut(ResourceNaming naming, boolean direct, Cursor cursor, boolean heartbeat) {
    ObjectNode details = direct ? NODES.objectNode() : resourceDetails(naming);
    details.put("error", StateError.TIMEOUT);
    event(cursor, direct ? "LambdaFunctionTimedOut" : "TaskTimedOut", details);
    return heartbeat ? StateError.heartbeatTimeout() : new StateError(StateError.TIMEOUT, null);
  }

  // ------------------------------------------------------------------ Parallel and Map

  /** The end of one branch or iteration, reported to the parent. */
  private record ChildDone(int index, JsonNode output, StateError error, boolean aborted, RuntimeException bug) {}

  private JsonNode parallel(ParallelState state, EvalContext ctx, Cursor cursor, VarScope scope) throws StateError {
    JsonNode input;
    try {
      input = state.arguments == null ? ctx.input() : state.arguments.evaluate(ctx);
    } catch (StateError e) {
      throw evaluationFailed(e, state.name, cursor);
    }
    long started = event(cursor, "ParallelStateStarted", null);
    Mailbox<ChildDone> done = new Mailbox<>(sim);
    List<Activity> children = new ArrayList<>();
    for (int i = 0; i < state.branches.size(); i++) {
      int index = i;
      Container branch = state.branches.get(i);
      children.add(spawnChild(state.name + "/branch-" + i, () -> runChild(done, index, () ->
          runContainer(branch, input, new VarScope(scope), new Cursor(started)))));
    }
    JsonNode[] outputs = new JsonNode[children.size()];
    StateError failure = null;
    int remaining = children.size();
    try {
      while (remaining > 0) {
        ChildDone d = done.take();
        remaining--;
        if (d.bug() != null) {
          cancelAll(children);
          throw d.bug();
        }
        if (d.error() != null && failure == null) {
          failure = d.error();
          cancelAll(children);
        } else if (!d.aborted() && d.error() == null) {
          outputs[d.index()] = d.output();
        }
      }
    } catch (ActivityCancelledException e) {
      cancelAll(children);
      throw e;
    }
    cursor.last = history.lastId();
    if (failure != null) {
      event(cursor, "ParallelStateFailed", null);
      throw failure;
    }
    event(cursor, "ParallelStateSucceeded", null);
    ArrayNode result = NODES.arrayNode(outputs.length);
    for (JsonNode o : outputs) {
      result.add(o);
    }
    return result;
  }

  private interface ChildBody {
    JsonNode run() throws StateError;
  }

  private void runChild(Mailbox<ChildDone> done, int index, ChildBody body) {
    ChildDone outcome;
    try {
      outcome = new ChildDone(index, body.run(), null, false, null);
    } catch (StateError e) {
      outcome = new ChildDone(index, null, e, false, null);
    } catch (ActivityCancelledException e) {
      outcome = new ChildDone(index, null, null, true, null);
    } catch (RuntimeException e) {
      outcome = new ChildDone(index, null, null, false, e);
    }
    done.offer(outcome);
  }

  private static void cancelAll(List<Activity> children) {
    for (Activity a : children) {
      a.cancel();
    }
  }

  private JsonNode map(MapState state, EvalContext ctx, Cursor cursor, VarScope scope) throws StateError {
    ArrayNode items;
    int maxConcurrency;
    Long toleratedCount;
    Double toleratedPercentage;
    try {
      if (state.items != null) {
        JsonNode value = state.items.evaluate(ctx);
        if (!value.isArray()) {
          throw unexpectedType(ctx, state.items, "Items", "array", value);
        }
        items = (ArrayNode) value;
      } else {
        if (!ctx.input().isArray()) {
          throw ctx.queryError("Items", "Map state input must be an array but was: " + text(ctx.input()));
        }
        items = (ArrayNode) ctx.input();
      }
      maxConcurrency = state.maxConcurrency == null ? 0
          : (int) integerField(state.maxConcurrency, ctx, "MaxConcurrency", 0, Integer.MAX_VALUE);
      toleratedCount = state.toleratedFailureCount == null ? null
          : integerField(state.toleratedFailureCount, ctx, "ToleratedFailureCount", 0, Integer.MAX_VALUE);
      toleratedPercentage = state.toleratedFailurePercentage == null ? null
          : percentage(state.toleratedFailurePercentage, ctx);
    } catch (StateError e) {
      throw evaluationFailed(e, state.name, cursor);
    }
    long started = event(cursor, "MapStateStarted", NODES.objectNode().put("length", items.size()));
    int total = items.size();
    int limit = maxConcurrency == 0 ? Math.max(1, total) : maxConcurrency;
    boolean tolerant = toleratedCount != null || toleratedPercentage != null;
    Mailbox<ChildDone> done = new Mailbox<>(sim);
    Map<Integer, Activity> running = new LinkedHashMap<>();
    JsonNode[] outputs = new JsonNode[total];
    int nextIndex = 0;
    int failed = 0;
    StateError failure = null;
    try {
      while (failure == null && (nextIndex < total || !running.isEmpty())) {
        while (failure == null && nextIndex < total && running.size() < limit) {
          int index = nextIndex++;
          JsonNode iterationInput;
          try {
            iterationInput = state.itemSelector == null ? items.get(index)
                : state.itemSelector.evaluate(ctx.withMapItem(index, items.get(index)));
          } catch (StateError e) {
            failure = evaluationFailed(e, state.name, cursor);
            break;
          }
          long iterationStarted = history.append(started, sim.now(), "MapIterationStarted", iterationDetails(state, index));
          JsonNode in = iterationInput;
          running.put(index, spawnChild(state.name + "/" + index, () -> runChild(done, index, () -> {
            Cursor c = new Cursor(iterationStarted);
            JsonNode out = runContainer(state.processor, in, new VarScope(scope), c);
            event(c, "MapIterationSucceeded", iterationDetails(state, index));
            return out;
          })));
        }
        if (running.isEmpty()) {
          break;
        }
        ChildDone d = done.take();
        running.remove(d.index());
        if (d.bug() != null) {
          cancelAll(List.copyOf(running.values()));
          throw d.bug();
        }
        if (d.error() != null) {
          history.append(history.lastId(), sim.now(), "MapIterationFailed", iterationDetails(state, d.index()));
          failed++;
          if (!tolerant) {
            failure = d.error();
          } else if (exceeds(failed, total, toleratedCount, toleratedPercentage)) {
            failure = new StateError(StateError.TOLERATED_FAILURE,
                "The specified tolerated failure threshold was exceeded");
          } else {
            outputs[d.index()] = d.error().errorOutput();
          }
        } else if (!d.aborted()) {
          outputs[d.index()] = d.output();
        }
      }
      if (failure != null) {
        List<Integer> aborted = new ArrayList<>(running.keySet());
        cancelAll(List.copyOf(running.values()));
        while (!running.isEmpty()) {
          ChildDone d = done.take();
          running.remove(d.index());
        }
        for (int index : aborted) {
          history.append(history.lastId(), sim.now(), "MapIterationAborted", iterationDetails(state, index));
        }
      }
    } catch (ActivityCancelledException e) {
      cancelAll(List.copyOf(running.values()));
      throw e;
    }
    cursor.last = history.lastId();
    if (failure != null) {
      event(cursor, "MapStateFailed", null);
      throw failure;
    }
    event(cursor, "MapStateSucceeded", null);
    ArrayNode result = NODES.arrayNode(total);
    for (JsonNode o : outputs) {
      result.add(o);
    }
    return result;
  }

  private static ObjectNode iterationDetails(MapState state, int index) {
    return NODES.objectNode().put("name", state.name).put("index", index);
  }

  private static boolean exceeds(int failed, int total, Long count, Double percentage) {
    if (count != null && failed > count) {
      return true;
    }
    return percentage != null && total > 0 && failed * 100.0 / total > percentage;
  }

  private static double percentage(JsonataTemplate template, EvalContext ctx) throws StateError {
    JsonNode value = template.evaluate(ctx);
    if (!value.isNumber()) {
      throw unexpectedType(ctx, template, "ToleratedFailurePercentage", "number", value);
    }
    double p = value.doubleValue();
    if (p < 0 || p > 100) {
      throw ctx.queryError("ToleratedFailurePercentage", "The value of the field 'ToleratedFailurePercentage' must be "
          + "between 0 and 100, but was: " + text(value));
    }
    return p;
  }
}
