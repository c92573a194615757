package dev.poolshift.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.lambda.LambdaFaults.Fault;
import dev.poolshift.local.lambda.LocalFunction.Environment;
import dev.poolshift.local.lambda.LocalFunction.Slot;
import dev.poolshift.local.sim.Simulation;
import dev.poolshift.local.template.FunctionDef;
import dev.poolshift.local.template.SamTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * AWS Lambda, in process: every {@code AWS::Serverless::Function} of the template runs through
 * its {@code Handler} class, with Lambda's invocation semantics in virtual time.
 *
 * <p><b>Environment contract.</b> Java cannot give each function its own {@code System.getenv()}
 * inside one JVM. So when a handler class has a public constructor taking
 * {@code java.util.Map<String,String>}, each new execution environment calls it with the
 * function's full environment: the template's resolved {@code Environment.Variables} plus the
 * variables Lambda reserves ({@code AWS_REGION}, {@code AWS_DEFAULT_REGION},
 * {@code AWS_LAMBDA_FUNCTION_NAME}, {@code AWS_LAMBDA_FUNCTION_VERSION},
 * {@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE}, {@code AWS_LAMBDA_LOG_GROUP_NAME},
 * {@code AWS_LAMBDA_LOG_STREAM_NAME}, {@code AWS_LAMBDA_INITIALIZATION_TYPE},
 * {@code AWS_EXECUTION_ENV}, {@code _HANDLER}, {@code LAMBDA_TASK_ROOT}, ...). Otherwise the
 * public no-arg constructor runs. Handlers are written
 * {@code public XHandler() { this(System.getenv()); }} plus {@code public XHandler(Map<String,String> env)}.
 * Endpoint, Region and credentials for SDK clients are JVM-wide system properties set by the
 * runtime assembly ({@code aws.endpointUrl}, ...), which this class leaves alone.
 *
 * <p><b>Execution environments.</b> Each handler object is one warm container. A call that finds
 * no idle environment of the invoked version starts a new one (a cold start: the init cost, then
 * the constructor); concurrent calls get separate environments, as on AWS. A timeout or an init
 * failure discards the environment, so the next call is cold again. Static state is shared by all
 * environments of a JVM; handlers must not rely on it being per-container.
 *
 * <p><b>Virtual time.</b> The invoking activity sleeps the init cost on a cold start ({@link
 * LambdaSettings#snapStartRestore()} for a published version or alias of a SnapStart function,
 * else {@link LambdaSettings#onDemandInit()}), then the handler runs (instantly in virtual time:
 * its SDK calls happen at the start of the invocation), then the activity sleeps the invoke cost.
 * If the invoke cost exceeds the function's {@code Timeout}, or a timeout fault is set, the
 * invocation lasts exactly {@code Timeout} and fails with {@code Sandbox.Timedout}; the handler's
 * side effects have happened, as when a real function is cut off after its last call.
 *
 * <p><b>Results</b> are what the Invoke API returns: see {@link InvokeResult} and {@link
 * LambdaServiceException}. Asynchronous invocations ({@link #invokeAsync}) follow Lambda's retry
 * rules (see the method). Every attempt is recorded ({@link #invocations()}), with the caller's
 * {@link InvokeRequest#origin()}.
 */
public final class LambdaService {
  /** Variables Lambda sets itself; a template may not set them. */
  static final Set<String> RESERVED = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION",
      "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
      "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
      "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");

  private static final int SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
  private static final int ASYNC_PAYLOAD_LIMIT = 256 * 1024;
  private static final Duration MAX_THROTTLE_BACKOFF = Duration.ofMinutes(5);
  private static final DateTimeFormatter STREAM_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

  private final Simulation sim;
  private final AwsContext aws;
  private final LambdaSettings settings;
  private final Map<String, LocalFunction> byName = new LinkedHashMap<>();
  private final Map<String, LocalFunction> byLogicalId = new HashMap<>();
  /** Appended on every attempt: synchronized, not copy-on-write (a copy per append grew with the square of a fleet). */
  private final List<Invocation> invocations = java.util.Collections.synchronizedList(new ArrayList<>());
  /** Appended on every log line (hundreds of thousands in a fleet rehearsal): not copy-on-write. */
  private final List<LogLine> logs = new ArrayList<>();
  private final List<Consumer<LogLine>> logListeners = new CopyOnWriteArrayList<>();
  private final List<DeadLetterMessage> deadLetters = new CopyOnWriteArrayList<>();
  private final List<DestinationRecord> destinationRecords = new CopyOnWriteArrayList<>();
  private final Map<String, AsyncEvent> asyncEvents = new LinkedHashMap<>();
  private final Random random;
  private volatile Function<FunctionDef, LambdaSettings.Credentials> credentials;

  public LambdaService(Simulation sim, AwsContext aws, Collection<FunctionDef> functions, LambdaSettings settings) {
    LogCapture.install();
    this.sim = sim;
    this.aws = aws;
    this.settings = settings;
    this.random = new Random(settings.seed());
    for (FunctionDef f : functions) {
      Set<String> reserved = new TreeSet<>(f.environment().keySet());
      reserved.retainAll(RESERVED);
      if (!reserved.isEmpty()) {
        throw new IllegalArgumentException("function " + f.logicalId() + ": Lambda was unable to configure your "
            + "environment variables because the environment variables you have provided contains reserved keys "
            + "that are currently not supported for modification. Reserved keys used in this request: "
            + String.join(", ", reserved));
      }
      if (byName.containsKey(f.name())) {
        throw new IllegalArgumentException("functions " + byName.get(f.name()).definition().logicalId() + " and "
            + f.logicalId() + " have the same name " + f.name());
      }
      LocalFunction fn = new LocalFunction(this, f);
      byName.put(f.name(), fn);
      byLogicalId.put(f.logicalId(), fn);
    }
  }

  /** Every function of the template. */
  public static LambdaService fromTemplate(Simulation sim, SamTemplate template, LambdaSettings settings) {
    return new LambdaService(sim, template.aws(), template.functions().values(), settings);
  }

  public Simulation simulation() {
    return sim;
  }

  /**
   * Gives each function credentials of its own (its role's session), in place of
   * {@link LambdaSettings#credentials()}: what lets the gateway tell which function signed a
   * request. Applies to execution environments created from now on.
   */
  public void useCredentials(Function<FunctionDef, LambdaSettings.Credentials> perFunction) {
    this.credentials = perFunction;
  }

  // ------------------------------------------------------------------ functions

  /** A function by logical id, name or ARN (qualifier ignored). */
  public LocalFunction function(String idNameOrArn) {
    LocalFunction fn = byLogicalId.get(idNameOrArn);
    if (fn != null) {
      return fn;
    }
    try {
      return qualify(idNameOrArn, null).fn;
    } catch (LambdaServiceException e) {
      throw new IllegalArgumentException("no function '" + idNameOrArn + "' (have: " + String.join(", ",
          byName.keySet()) + ")");
    }
  }

  public Collection<LocalFunction> functions() {
    return List.copyOf(byName.values());
  }

  /** Whether a name or (qualified) ARN designates a function of this service. */
  public boolean exists(String nameOrArn) {
    try {
      qualify(nameOrArn, null);
      return true;
    } catch (LambdaServiceException e) {
      return false;
    }
  }

  /**
   * Loads every handler class and finds its method, as a deploy-time check: AWS itself only
   * notices a bad {@code Handler} at the first invocation. Returns one message per problem.
   */
  public List<String> verifyHandlers() {
    List<String> problems = new ArrayList<>();
    for (LocalFunction fn : byName.values()) {
      try {
        fn.adapter();
      } catch (ReflectiveOperationException | LinkageError e) {
        problems.add(fn.definition().logicalId() + " (Handler " + fn.definition().handler() + "): " + e.getMessage());
      }
    }
    return problems;
  }

  // ------------------------------------------------------------------ records

  public List<Invocation> invocations() {
    return List.copyOf(invocations);
  }

  /** The invocations made on behalf of one caller ({@link InvokeRequest#origin()}). */
  public List<Invocation> invocationsFrom(String origin) {
    synchronized (invocations) {
      return invocations.stream().filter(i -> origin.equals(i.origin())).toList();
    }
  }

  public List<LogLine> logs() {
    synchronized (logs) {
      return List.copyOf(logs);
    }
  }

  /**
   * Tells {@code listener} each log line as it is written, on the writing thread (an invocation's
   * activity): it must be quick and never wait on the simulation.
   */
  public void addLogListener(Consumer<LogLine> listener) {
    logListeners.add(listener);
  }

  private void log(LogLine line) {
    synchronized (logs) {
      logs.add(line);
    }
    logListeners.forEach(l -> l.accept(line));
  }

  public List<DeadLetterMessage> deadLetterMessages() {
    return List.copyOf(deadLetters);
  }

  public List<DestinationRecord> destinationRecords() {
    return List.copyOf(destinationRecords);
  }

  public synchronized List<AsyncEvent> asyncEvents() {
    return List.copyOf(asyncEvents.values());
  }

  // ------------------------------------------------------------------ synchronous invoke

  /**
   * {@code Invoke} with {@code InvocationType: RequestResponse}. Must be called from a simulation
   * activity (it sleeps the modeled duration).
   *
   * @throws LambdaServiceException {@code ResourceNotFoundException}, {@code TooManyRequestsException},
   *     {@code ServiceException}, {@code InvalidRequestContentException}, {@code RequestTooLargeException}
   */
  public InvokeResult invoke(InvokeRequest request) {
    Qualified q = qualify(request.functionName(), request.qualifier());
    byte[] payload = validatePayload(request.payload(), SYNC_PAYLOAD_LIMIT);
    Attempt a = attempt(q, payload, Invocation.Type.REQUEST_RESPONSE, 1, request.origin(), newRequestId(),
        request.logTail());
    if (a.error != null) {
      throw a.error;
    }
    return a.result;
  }

  // ------------------------------------------------------------------ asynchronous invoke

  /**
   * {@code Invoke} with {@code InvocationType: Event}: validates and queues the event, returns its
   * request id at once (the API's 202). Callable from any thread.
   *
   * <p>Then, as Lambda documents: the first attempt runs after {@link
   * LambdaSettings#asyncQueueDelay()}; a function error or timeout is retried after 1 minute and
   * again after 2 more, up to {@code EventInvokeConfig.MaximumRetryAttempts} (default 2); throttles
   * and service errors are retried with a back-off doubling from 1 second to at most 5 minutes,
   * without counting as retries, until the event is older than {@code MaximumEventAgeInSeconds}
   * (default 6 hours). An event given up on goes to the function's {@code DeadLetterQueue} and its
   * {@code OnFailure} destination if configured ({@link #deadLetterMessages()},
   * {@link #destinationRecords()}); a success goes to {@code OnSuccess}.
   *
   * @throws LambdaServiceException {@code ResourceNotFoundException}, {@code RequestTooLargeException},
   *     {@code InvalidRequestContentException}, or {@code TooManyRequestsException} from {@link
   *     LambdaFaults#rejectAsyncNext}
   */
  public String invokeAsync(InvokeRequest request) {
    Qualified q = qualify(request.functionName(), request.qualifier());
    if (q.fn.faults().isUnavailable()) {
      throw LambdaServiceException.notFound(q.invokedArn);
    }
    byte[] payload = validatePayload(request.payload(), ASYNC_PAYLOAD_LIMIT);
    if (q.fn.faults().takeAsyncRejection()) {
      throw LambdaServiceException.throttled("CallerRateLimitExceeded");
    }
    String requestId = newRequestId();
    Instant accepted = sim.now();
    synchronized (this) {
      asyncEvents.put(requestId, new AsyncEvent(requestId, q.fn.name(), request.origin(), accepted, 0,
          AsyncEvent.Status.QUEUED, null, null));
    }
    sim.after(settings.asyncQueueDelay(), "lambda-async " + q.fn.name() + " " + requestId,
        () -> runAsync(q, payload, requestId, request.origin(), accepted));
    return requestId;
  }

  private void runAsync(Qualified q, byte[] payload, String requestId, String origin, Instant accepted) {
    FunctionDef.AsyncInvokeConfig config = q.fn.definition().asyncConfig();
    Instant expires = accepted.plusSeconds(config.maximumEventAgeSeconds());
    int retriesLeft = config.maximumRetryAttempts();
    int functionErrors = 0;
    Duration throttleBackoff = Duration.ofSeconds(1);
    int attemptNo = 0;
    while (true) {
      attemptNo++;
      Attempt a = attempt(q, payload, Invocation.Type.EVENT, attemptNo, origin, requestId, false);
      updateAsync(requestId, attemptNo, AsyncEvent.Status.QUEUED, null);
      if (a.error == null && a.result.functionError() == null) {
        finishAsync(q, payload, requestId, attemptNo, a, "Success");
        return;
      }
      Duration delay;
      if (a.error != null) {
        if (!a.error.retriable()) {
          finishAsync(q, payload, requestId, attemptNo, a, "RetriesExhausted");
          return;
        }
        delay = throttleBackoff;
        throttleBackoff = min(throttleBackoff.multipliedBy(2), MAX_THROTTLE_BACKOFF);
      } else {
        if (retriesLeft == 0) {
          finishAsync(q, payload, requestId, attemptNo, a, "RetriesExhausted");
          return;
        }
        retriesLeft--;
        functionErrors++;
        delay = functionErrors == 1 ? Duration.ofMinutes(1) : Duration.ofMinutes(2);
      }
      if (sim.now().plus(delay).isAfter(expires)) {
        // The event expires in the queue before its next attempt.
        sim.sleepUntil(expires);
        finishAsync(q, payload, requestId, attemptNo, a, "EventAgeExceeded");
        return;
      }
      sim.sleep(delay);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private synchronized void updateAsync(String requestId, int attempts, AsyncEvent.Status status, String condition) {
    AsyncEvent e = asyncEvents.get(requestId);
    asyncEvents.put(requestId, new AsyncEvent(requestId, e.functionName(), e.origin(), e.acceptedAt(), attempts,
        status, condition, status == AsyncEvent.Status.QUEUED ? null : sim.now()));
  }

  private void finishAsync(Qualified q, byte[] payload, String requestId, int attempts, Attempt last,
      String condition) {
    boolean success = condition.equals("Success");
    updateAsync(requestId, attempts, success ? AsyncEvent.Status.SUCCEEDED : AsyncEvent.Status.FAILED,
        success ? null : condition);
    FunctionDef def = q.fn.definition();
    String destination = success ? def.asyncConfig().onSuccess() : def.asyncConfig().onFailure();
    if (destination != null) {
      destinationRecords.add(new DestinationRecord(destination, def.name(), condition,
          invocationRecord(q, payload, requestId, attempts, last, condition), sim.now()));
    }
    if (!success && def.deadLetterQueue() != null) {
      int status = last.error != null ? last.error.status() : 200;
      String message = last.error != null ? last.error.getMessage() : errorMessageOf(last.result.payload());
      byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
      if (bytes.length > 1024) {
        message = new String(bytes, 0, 1024, StandardCharsets.UTF_8);
      }
      deadLetters.add(new DeadLetterMessage(def.deadLetterQueue().targetArn(), def.deadLetterQueue().type(),
          def.name(), new String(payload, StandardCharsets.UTF_8),
          Map.of("RequestID", requestId, "ErrorCode", String.valueOf(status), "ErrorMessage", message), sim.now()));
    }
  }

  private static String errorMessageOf(byte[] errorPayload) {
    try {
      JsonNode node = LocalJson.parse(new String(errorPayload, StandardCharsets.UTF_8));
      return node.path("errorMessage").asText("");
    } catch (IllegalArgumentException e) {
      return new String(errorPayload, StandardCharsets.UTF_8);
    }
  }

  private ObjectNode invocationRecord(Qualified q, byte[] payload, String requestId, int attempts, Attempt last,
      String condition) {
    ObjectNode record = LocalJson.object();
    record.put("version", "1.0");
    record.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(sim.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
    ObjectNode context = record.putObject("requestContext");
    context.put("requestId", requestId);
    context.put("functionArn", q.fn.definition().arn() + ":" + q.version);
    context.put("condition", condition);
    context.put("approximateInvokeCount", attempts);
    record.set("requestPayload", jsonOrText(payload));
    ObjectNode response = record.putObject("responseContext");
    if (last.error != null) {
      response.put("statusCode", last.error.status());
      response.put("executedVersion", q.version);
      response.put("functionError", last.error.code());
      record.putNull("responsePayload");
    } else {
      response.put("statusCode", last.result.statusCode());
      response.put("executedVersion", last.result.executedVersion());
      if (last.result.functionError() != null) {
        response.put("functionError", last.result.functionError());
      }
      record.set("responsePayload", jsonOrText(last.result.payload()));
    }
    return record;
  }

  private static JsonNode jsonOrText(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.isEmpty()) {
      return LocalJson.NODES.nullNode();
    }
    try {
      return LocalJson.parse(text);
    } catch (IllegalArgumentException e) {
      return LocalJson.NODES.textNode(text);
    }
  }

  // ------------------------------------------------------------------ one attempt

  private record Attempt(InvokeResult result, LambdaServiceException error) {}

  private Attempt attempt(Qualified q, byte[] payload, Invocation.Type type, int attemptNo, String origin,
      String requestId, boolean logTail) {
    LocalFunction fn = q.fn;
    FunctionDef def = fn.definition();
    Instant start = sim.now();
    if (fn.faults().isUnavailable()) {
      record(requestId, q, type, attemptNo, origin, start, false, Invocation.Outcome.NOT_FOUND,
          "ResourceNotFoundException");
      return new Attempt(null, LambdaServiceException.notFound(q.invokedArn));
    }
    Fault fault = fn.faults().takeAttemptFault();
    if (fault == Fault.THROTTLE) {
      record(requestId, q, type, attemptNo, origin, start, false, Invocation.Outcome.THROTTLED,
          "TooManyRequestsException");
      return new Attempt(null, LambdaServiceException.throttled("ConcurrentInvocationLimitExceeded"));
    }
    if (fault == Fault.SERVICE_ERROR) {
      record(requestId, q, type, attemptNo, origin, start, false, Invocation.Outcome.SERVICE_ERROR,
          "ServiceException");
      return new Attempt(null, LambdaServiceException.serviceError());
    }
    Slot slot = fn.acquire(q.version);
    if (slot == null) {
      record(requestId, q, type, attemptNo, origin, start, false, Invocation.Outcome.THROTTLED,
          "TooManyRequestsException");
      return new Attempt(null, LambdaServiceException.throttled("ReservedFunctionConcurrentInvocationLimitExceeded"));
    }
    boolean cold = slot.warm() == null;
    Environment env = slot.warm();
    boolean keep = false;
    Invocation.Outcome outcome = Invocation.Outcome.FUNCTION_ERROR;
    String errorType = null;
    List<String> tail = new ArrayList<>();
    // A new environment gets its stream before INIT_START, which Lambda writes to that stream.
    String logStream = env != null ? env.logStream() : newLogStream(q.version);
    Consumer<String> log = line -> {
      log(new LogLine(sim.now(), def.name(), requestId, line, logStream));
      if (logTail) {
        tail.add(line);
      }
      if (settings.echoLogs()) {
        LogCapture.originalOut().println("[" + def.name() + "] " + line);
      }
    };
    try {
      Duration initCost = Duration.ZERO;
      Throwable initError = null;
      if (cold) {
        boolean snapStart = def.snapStart() && !q.version.equals("$LATEST");
        initCost = fn.initDurationOr(snapStart ? settings.snapStartRestore() : settings.onDemandInit());
        log.accept(snapStart ? "RESTORE_START Runtime Version: " + runtimeName(def) : "INIT_START Runtime Version: "
            + runtimeName(def));
        sleep(initCost);
        try {
          env = createEnvironment(fn, q.version, snapStart, log, logStream);
        } catch (Throwable t) {
          initError = t;
        }
      }
      log.accept("START RequestId: " + requestId + " Version: " + q.version);
      Instant invokeStart = sim.now();
      Instant deadline = invokeStart.plusSeconds(def.timeoutSeconds());
      byte[] response;
      String functionError = null;
      if (initError != null) {
        response = LocalJson.write(HandlerAdapter.errorDocument(initError)).getBytes(StandardCharsets.UTF_8);
        functionError = "Unhandled";
        errorType = initError.getClass().getName();
        sleep(fn.invokeDurationOr(settings.invoke()));
      } else {
        Throwable thrown = null;
        byte[] out = null;
        Environment e = env;
        LocalContext context = new LocalContext(requestId, def.name(), q.version, q.invokedArn, def.memorySizeMb(),
            e.logStream(), deadline, sim, log);
        try {
          out = LogCapture.capture(log, () -> {
            try {
              return e.adapter().invoke(e.handler(), payload, context);
            } catch (Exception | Error ex) {
              throw ex;
            } catch (Throwable t) {
              throw new RuntimeException(t);
            }
          });
        } catch (Throwable t) {
          thrown = t;
        }
        Duration cost = fn.invokeDurationOr(settings.invoke());
        // A handler whose own waits (its SDK clients' back-off on the virtual clock) ran past the
        // deadline timed out too: Lambda stops it there.
        if (fault == Fault.TIMEOUT || cost.compareTo(Duration.ofSeconds(def.timeoutSeconds())) > 0
            || sim.now().plus(cost).isAfter(deadline)) {
          sim.sleepUntil(deadline);
          String message = "Task timed out after " + String.format(Locale.ROOT, "%.2f", (double) def.timeoutSeconds())
              + " seconds";
          log.accept(DateTimeFormatter.ISO_INSTANT.format(sim.now()) + " " + requestId + " " + message);
          ObjectNode doc = LocalJson.object();
          doc.put("errorMessage", "RequestId: " + requestId + " Error: " + message);
          doc.put("errorType", "Sandbox.Timedout");
          response = LocalJson.write(doc).getBytes(StandardCharsets.UTF_8);
          functionError = "Unhandled";
          errorType = "Sandbox.Timedout";
          outcome = Invocation.Outcome.TIMEOUT;
        } else {
          sleep(cost);
          if (thrown != null) {
            response = LocalJson.write(HandlerAdapter.errorDocument(thrown)).getBytes(StandardCharsets.UTF_8);
            functionError = "Unhandled";
            errorType = thrown.getClass().getName();
            keep = !(thrown instanceof VirtualMachineError);
          } else {
            response = out;
            outcome = Invocation.Outcome.SUCCESS;
            keep = true;
          }
        }
      }
      Duration invokeTime = Duration.between(invokeStart, sim.now());
      log.accept("END RequestId: " + requestId);
      log.accept(report(requestId, def, invokeTime, cold ? initCost : null, def.snapStart() && !q.version.equals(
          "$LATEST")));
      String logResult = logTail ? tail(tail) : null;
      return new Attempt(new InvokeResult(200, response, functionError, q.version, requestId, logResult), null);
    } finally {
      fn.release(env, keep);
      record(requestId, q, type, attemptNo, origin, start, cold, outcome, errorType);
    }
  }

  private void sleep(Duration d) {
    if (!d.isZero()) {
      sim.sleep(d);
    }
  }

  private static String runtimeName(FunctionDef def) {
    return def.runtime() == null ? "java" : def.runtime();
  }

  private static String report(String requestId, FunctionDef def, Duration invoke, Duration init, boolean restore) {
    double ms = invoke.toNanos() / 1e6;
    String line = String.format(Locale.ROOT, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\t"
        + "Memory Size: %d MB", requestId, ms, (long) Math.ceil(ms), def.memorySizeMb());
    if (init != null) {
      line += String.format(Locale.ROOT, "\t%s Duration: %.2f ms", restore ? "Restore" : "Init",
          init.toNanos() / 1e6);
    }
    return line;
  }

  private static String tail(List<String> lines) {
    byte[] all = String.join("\n", lines).concat("\n").getBytes(StandardCharsets.UTF_8);
    int from = Math.max(0, all.length - 4096);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(all, from, all.length));
  }

  /**
   * Initialises one execution environment per function (for its published alias when it has one,
   * else $LATEST) before any event, as provisioned concurrency does. For {@code serve}: there a
   * handler's first-call class loading takes wall seconds, which a fast virtual clock would turn
   * into minutes of a scenario. Not counted as cold starts of invocations.
   */
  public void prewarm() {
    for (LocalFunction fn : functions()) {
      String version = fn.definition().autoPublishAlias() != null ? "1" : "$LATEST";
      boolean snapStart = fn.definition().snapStart() && !version.equals("$LATEST");
      String logStream = newLogStream(version);
      Consumer<String> log = line -> log(new LogLine(sim.now(), fn.definition().name(), "prewarm", line, logStream));
      try {
        fn.release(fn.adoptWarm(createEnvironment(fn, version, snapStart, log, logStream)), true);
      } catch (Throwable e) {
        throw new IllegalStateException("function " + fn.definition().name() + " failed to initialise: " + e, e);
      }
    }
  }

  private String newLogStream(String version) {
    return STREAM_DATE.format(sim.now()) + "/[" + version + "]" + hex32();
  }

  private Environment createEnvironment(LocalFunction fn, String version, boolean snapStart, Consumer<String> log,
      String logStream) throws Throwable {
    FunctionDef def = fn.definition();
    Map<String, String> env = new LinkedHashMap<>(def.environment());
    env.put("AWS_REGION", aws.region());
    env.put("AWS_DEFAULT_REGION", aws.region());
    env.put("AWS_LAMBDA_FUNCTION_NAME", def.name());
    env.put("AWS_LAMBDA_FUNCTION_VERSION", version);
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(def.memorySizeMb()));
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + def.name());
    env.put("AWS_LAMBDA_LOG_STREAM_NAME", logStream);
    env.put("AWS_LAMBDA_INITIALIZATION_TYPE", snapStart ? "snap-start" : "on-demand");
    env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + runtimeName(def));
    env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001");
    env.put("_HANDLER", def.handler());
    env.put("LAMBDA_TASK_ROOT", "/var/task");
    env.put("LAMBDA_RUNTIME_DIR", "/var/runtime");
    env.put("TZ", ":UTC");
    env.put("LANG", "en_US.UTF-8");
    env.put("PATH", "/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin");
    env.put("LD_LIBRARY_PATH", "/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib");
    // Lambda hands a SnapStart function's credentials to the Java runtime through the container
    // credentials endpoint instead; the environment variables carry the same role session.
    LambdaSettings.Credentials keys = credentials != null ? credentials.apply(def) : settings.credentials();
    if (keys != null) {
      env.put("AWS_ACCESS_KEY_ID", keys.accessKeyId());
      env.put("AWS_SECRET_ACCESS_KEY", keys.secretAccessKey());
      if (keys.sessionToken() != null) {
        env.put("AWS_SESSION_TOKEN", keys.sessionToken());
      }
    }
    HandlerAdapter adapter = fn.adapter();
    Map<String, String> frozen = Map.copyOf(env);
    Object handler = LogCapture.capture(log, () -> {
      try {
        return adapter.instantiate(frozen);
      } catch (Exception | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new RuntimeException(t);
      }
    });
    return new Environment(version, handler, adapter, logStream);
  }

  private void record(String requestId, Qualified q, Invocation.Type type, int attempt, String origin, Instant start,
      boolean cold, Invocation.Outcome outcome, String errorType) {
    invocations.add(new Invocation(requestId, q.fn.name(), q.version, type, attempt, origin, start, sim.now(), cold,
        outcome, errorType));
  }

  // ------------------------------------------------------------------ names and payloads

  private record Qualified(LocalFunction fn, String version, String invokedArn) {}

  /** Resolves a name, partial ARN or ARN (with optional qualifier) as the Invoke API does. */
  private Qualified qualify(String functionName, String qualifier) {
    String name = functionName;
    String fromName = null;
    if (name.startsWith("arn:")) {
      String[] p = name.split(":", -1);
      if (p.length < 7 || p.length > 8 || !p[2].equals("lambda") || !p[5].equals("function")) {
        throw LambdaServiceException.notFound(functionName);
      }
      if (!p[1].equals(aws.partition()) || !p[3].equals(aws.region()) || !p[4].equals(aws.accountId())) {
        throw LambdaServiceException.notFound(functionName);
      }
      name = p[6];
      fromName = p.length == 8 ? p[7] : null;
    } else if (name.matches("\\d{12}:function:.+")) {
      String[] p = name.split(":", -1);
      if (!p[0].equals(aws.accountId())) {
        throw LambdaServiceException.notFound(functionName);
      }
      name = p[2];
      fromName = p.length == 4 ? p[3] : null;
    } else if (name.contains(":")) {
      fromName = name.substring(name.indexOf(':') + 1);
      name = name.substring(0, name.indexOf(':'));
    }
    if (fromName != null && qualifier != null && !fromName.equals(qualifier)) {
      throw new LambdaServiceException(400, "InvalidParameterValueException",
          "The derived qualifier from the function name does not match the specified qualifier.", null);
    }
    String q = fromName != null ? fromName : qualifier;
    LocalFunction fn = byName.get(name);
    String arn = aws.arn("lambda", "function:" + name);
    if (fn == null) {
      throw LambdaServiceException.notFound(q == null ? arn : arn + ":" + q);
    }
    String alias = fn.definition().autoPublishAlias();
    String version;
    if (q == null || q.equals("$LATEST")) {
      version = "$LATEST";
    } else if (alias != null && (q.equals(alias) || q.equals("1"))) {
      // SAM's AutoPublishAlias publishes version 1 and points the alias at it.
      version = "1";
    } else {
      throw LambdaServiceException.notFound(arn + ":" + q);
    }
    return new Qualified(fn, version, q == null ? arn : arn + ":" + q);
  }

  private static byte[] validatePayload(byte[] payload, int limit) {
    if (payload.length > limit) {
      throw LambdaServiceException.tooLarge(payload.length, limit);
    }
    if (payload.length == 0) {
      return "{}".getBytes(StandardCharsets.UTF_8);
    }
    try {
      LocalJson.parse(new String(payload, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw LambdaServiceException.invalidContent("Could not parse request body into json: " + e.getMessage());
    }
    return payload;
  }

  private synchronized String newRequestId() {
    long msb = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  private synchronized String hex32() {
    return String.format("%016x%016x", random.nextLong(), random.nextLong());
  }
}
