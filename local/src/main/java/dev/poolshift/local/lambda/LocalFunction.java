package dev.poolshift.local.lambda;

import dev.poolshift.local.template.FunctionDef;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One deployed function of the {@link LambdaService}: its definition, its warm execution
 * environments (one handler object each), its faults and its virtual-time costs.
 */
public final class LocalFunction {
  private final LambdaService service;
  private final FunctionDef definition;
  private final LambdaFaults faults = new LambdaFaults();
  private final Map<String, Deque<Environment>> idle = new HashMap<>();
  private Duration initDuration;
  private Duration invokeDuration;
  private int inFlight;
  private int coldStarts;
  private HandlerAdapter adapter;

  LocalFunction(LambdaService service, FunctionDef definition) {
    this.service = service;
    this.definition = definition;
  }

  public FunctionDef definition() {
    return definition;
  }

  public String name() {
    return definition.name();
  }

  public LambdaFaults faults() {
    return faults;
  }

  /** Overrides the cold-start cost for this function (null restores the service default). */
  public synchronized LocalFunction initDuration(Duration d) {
    this.initDuration = d;
    return this;
  }

  /** Overrides the per-invocation cost for this function (null restores the service default). */
  public synchronized LocalFunction invokeDuration(Duration d) {
    this.invokeDuration = d;
    return this;
  }

  synchronized Duration initDurationOr(Duration fallback) {
    return initDuration == null ? fallback : initDuration;
  }

  synchronized Duration invokeDurationOr(Duration fallback) {
    return invokeDuration == null ? fallback : invokeDuration;
  }

  /** How many execution environments were initialised (cold starts), failed initialisations included. */
  public synchronized int coldStarts() {
    return coldStarts;
  }

  /** Invocations running right now (they count against {@code ReservedConcurrentExecutions}). */
  public synchronized int inFlight() {
    return inFlight;
  }

  /** Warm execution environments waiting for work, all versions together. */
  public synchronized int warmEnvironments() {
    return idle.values().stream().mapToInt(Deque::size).sum();
  }

  /** Every log line of this function, in order. */
  public List<LogLine> logs() {
    return service.logs().stream().filter(l -> l.functionName().equals(definition.name())).toList();
  }

  public List<Invocation> invocations() {
    return service.invocations().stream().filter(i -> i.functionName().equals(definition.name())).toList();
  }

  /**
   * Reserves one unit of concurrency and takes a warm environment if there is one. Returns null
   * when the reservation is refused.
   */
  synchronized Slot acquire(String version) {
    Integer reserved = definition.reservedConcurrentExecutions();
    if (reserved != null && inFlight >= reserved) {
      return null;
    }
    inFlight++;
    Deque<Environment> pool = idle.get(version);
    Environment env = pool == null ? null : pool.pollFirst();
    if (env == null) {
      coldStarts++;
    }
    return new Slot(env);
  }

  /** Counts a pre-initialised environment as in use, so {@link #release} can put it in the pool. */
  synchronized Environment adoptWarm(Environment env) {
    inFlight++;
    return env;
  }

  /** Ends an invocation; {@code keep} returns its environment to the warm pool. */
  synchronized void release(Environment env, boolean keep) {
    inFlight--;
    if (env != null && keep) {
      idle.computeIfAbsent(env.version(), v -> new ArrayDeque<>()).addFirst(env);
    }
  }

  synchronized HandlerAdapter adapter() throws ReflectiveOperationException {
    if (adapter == null) {
      adapter = HandlerAdapter.resolve(definition.handler(), LocalFunction.class.getClassLoader());
    }
    return adapter;
  }

  record Slot(Environment warm) {}

  /** One execution environment: the handler object and what Lambda told it about itself. */
  record Environment(String version, Object handler, HandlerAdapter adapter, String logStream) {}
}
