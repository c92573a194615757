package dev.poolshift.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.aws.EventPublisher;
import dev.poolshift.local.aws.ServiceEvent;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.lambda.InvokeRequest;
import dev.poolshift.local.lambda.LambdaService;
import dev.poolshift.local.lambda.LambdaServiceException;
import dev.poolshift.local.sim.Simulation;
import dev.poolshift.local.template.RuleDef;
import dev.poolshift.local.template.SamTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.event.ruler.GenericMachine;
import software.amazon.event.ruler.JsonRuleCompiler;

/**
 * Amazon EventBridge event buses: the template's rules, matched by {@code aws/event-ruler} (the
 * engine behind EventBridge's pattern language), delivered to their targets in virtual time.
 *
 * <p>Delivery follows EventBridge's documented semantics: every matching rule's every target gets
 * its own copy, asynchronously ({@link EventBusSettings#deliveryLatency()} later); Lambda targets
 * are invoked asynchronously through {@link LambdaService#invokeAsync}; Step Functions targets
 * through a {@link StateMachineStarter}; SNS/SQS targets are recorded ({@link #targetMessages()}).
 * A retriable failure (throttling, 5xx) is retried with exponential back-off and jitter until the
 * target's {@code RetryPolicy} limits ({@code MaximumRetryAttempts} default 185,
 * {@code MaximumEventAgeInSeconds} default 86,400); then, or at once for a non-retriable failure,
 * the event goes to the target's dead-letter queue ({@link #deadLetters()}) or is dropped.
 * {@link #faults()} adds duplicates, delays, reordering and lost events on purpose.
 *
 * <p>Scheduled rules fire on the virtual clock once {@link #startSchedules()} is called (a
 * recurring schedule keeps the simulation from ever being idle, so it is opt-in).
 *
 * <p>Everything random (event ids, jitter, duplicates, reordering) comes from the settings' seed.
 */
public final class EventBus implements EventPublisher {
  private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final int MAX_PATTERN_LENGTH = 4096;
  private static final int MAX_OR_COMBINATIONS = 1000;
  private static final int DEFAULT_MAX_RETRIES = 185;
  private static final int DEFAULT_MAX_AGE_SECONDS = 86_400;

  private final Simulation sim;
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
  private final AwsContext aws;
  private final EventBusSettings settings;
  private final LambdaService lambda;
  private final StateMachineStarter starter;
  // Replaced, never changed in place, once the bus is built: PutRule may add a rule while events
  // are matched on other threads, which iterate the map they read.
  private volatile Map<String, BusRule> rules = new LinkedHashMap<>();
  private final Map<String, GenericMachine<String>> machines = new java.util.concurrent.ConcurrentHashMap<>();
  private final Set<String> buses;
  private final EventFaults faults = new EventFaults();
  // Appended on every event and delivery: synchronized lists, read by copying (a copy per append
  // grew with the square of a fleet's size).
  private final List<BusEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<Delivery> deliveries = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<DeadLetterEntry> deadLetters = new CopyOnWriteArrayList<>();
  private final List<TargetMessage> targetMessages = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Random ids;
  private boolean schedulesStarted;

  private EventBus(Builder b) {
    this.sim = b.sim;
    this.aws = b.aws;
    this.settings = b.settings;
    this.lambda = b.lambda;
    this.starter = b.starter;
    this.ids = new Random(settings.seed());
    this.buses = new LinkedHashSet<>(b.buses);
    buses.add("default");
    for (RuleDef def : b.rules) {
      BusRule rule = new BusRule(def, load(def, b));
      rules.put(def.logicalId(), rule);
      buses.add(def.eventBusName());
      if (def.eventPattern() != null) {
        try {
          machines.computeIfAbsent(def.eventBusName(), n -> GenericMachine.<String>builder().build()).addRule(def.logicalId(),
              def.eventPattern());
        } catch (Exception e) {
          throw new IllegalArgumentException(def.path() + ": rule " + def.logicalId() + ": Event pattern is not valid. "
              + "Reason: " + firstLine(e.getMessage()), e);
        }
      }
    }
    validateSchedules();
  }

  /** Builds a bus from the template's rules; state machine targets go through {@code starter}. */
  public static EventBus fromTemplate(Simulation sim, SamTemplate template, LambdaService lambda,
      StateMachineStarter starter, EventBusSettings settings) {
    Builder b = builder(sim, template.aws()).settings(settings).lambda(lambda)
        .stateMachines(template.stateMachines().values().stream().map(s -> s.arn()).toList(), starter)
        .messageTargets(template.topics().values().stream().map(t -> t.arn()).toList())
        .messageTargets(template.queues().values().stream().map(q -> q.arn()).toList())
        .rules(template.rules().values());
    template.resourceTypes().forEach((id, type) -> {
      if (type.equals("AWS::Events::EventBus")) {
        b.eventBuses(List.of(String.valueOf(template.ref(id))));
      }
    });
    return b.build();
  }

  public static Builder builder(Simulation sim, AwsContext aws) {
    return new Builder(sim, aws);
  }

  /** Assembles a bus; every target ARN of every rule must be reachable through what is given here. */
  public static final class Builder {
    private final Simulation sim;
    private final AwsContext aws;
    private final List<RuleDef> rules = new ArrayList<>();
    private final Set<String> stateMachineArns = new HashSet<>();
    private final Set<String> messageTargetArns = new HashSet<>();
    private final Set<String> buses = new LinkedHashSet<>();
    private LambdaService lambda;
    private StateMachineStarter starter = StateMachineStarter.NONE;
    private EventBusSettings settings = EventBusSettings.DEFAULT;

    private Builder(Simulation sim, AwsContext aws) {
      this.sim = sim;
      this.aws = aws;
    }

    public Builder rules(Collection<RuleDef> defs) {
      rules.addAll(defs);
      return this;
    }

    public Builder lambda(LambdaService service) {
      this.lambda = service;
      return this;
    }

    public Builder stateMachines(Collection<String> arns, StateMachineStarter s) {
      stateMachineArns.addAll(arns);
      this.starter = s;
      return this;
    }

    /** SNS topic and SQS queue ARNs that may be targets (deliveries to them are recorded). */
    public Builder messageTargets(Collection<String> arns) {
      messageTargetArns.addAll(arns);
      return this;
    }

    public Builder eventBuses(Collection<String> names) {
      buses.addAll(names);
      return this;
    }

    public Builder settings(EventBusSettings s) {
      this.settings = s;
      return this;
    }

    public EventBus build() {
      return new EventBus(this);
    }
  }

  // ------------------------------------------------------------------ loading rules

  private enum Kind { LAMBDA, STATE_MACHINE, MESSAGE }

  private record BoundTarget(RuleDef.Target def, Kind kind, TargetInput input, int maxRetries, int maxAgeSeconds) {}

  private static final class BusRule {
    volatile RuleDef def;
    final List<BoundTarget> targets;
    volatile boolean enabled;
    ScheduleExpression schedule;

    BusRule(RuleDef def, List<BoundTarget> targets) {
      this.def = def;
      this.targets = targets;
      this.enabled = def.enabled();
    }
  }

  private List<BoundTarget> load(RuleDef def, Builder b) {
    String where = def.path() + ": rule " + def.logicalId();
    if (def.eventPattern() != null) {
      validatePattern(def.eventPattern(), where);
    }
    List<BoundTarget> out = new ArrayList<>();
    for (RuleDef.Target t : def.targets()) {
      String tw = where + ", target " + t.id();
      Kind kind;
      String arn = t.arn();
      if (arn.startsWith("arn:" + aws.partition() + ":lambda:")) {
        if (b.lambda == null || !b.lambda.exists(arn)) {
          throw new IllegalArgumentException(tw + ": " + arn + " is not a function of this template");
        }
        kind = Kind.LAMBDA;
      } else if (b.stateMachineArns.contains(arn)) {
        kind = Kind.STATE_MACHINE;
      } else if (b.messageTargetArns.contains(arn)) {
        kind = Kind.MESSAGE;
      } else {
        throw new IllegalArgumentException(tw + ": target " + arn + " is not a function, state machine, topic or "
            + "queue of this template");
      }
      TargetInput input;
      try {
        input = TargetInput.of(t);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(tw + ": " + e.getMessage(), e);
      }
      int retries = t.retryPolicy() == null || t.retryPolicy().maximumRetryAttempts() == null ? DEFAULT_MAX_RETRIES
          : t.retryPolicy().maximumRetryAttempts();
      int age = t.retryPolicy() == null || t.retryPolicy().maximumEventAgeInSeconds() == null ? DEFAULT_MAX_AGE_SECONDS
          : t.retryPolicy().maximumEventAgeInSeconds();
      out.add(new BoundTarget(t, kind, input, retries, age));
    }
    return out;
  }

  /**
   * Checks a pattern as {@code PutRule} does, with event-ruler's compiler; throws
   * {@link IllegalArgumentException} "Event pattern is not valid. Reason: ...".
   */
  static void validatePattern(String pattern, String where) {
    if (pattern.length() > MAX_PATTERN_LENGTH) {
      throw new IllegalArgumentException(where + ": Event pattern is not valid. Reason: the pattern is "
          + pattern.length() + " characters long; the limit is " + MAX_PATTERN_LENGTH);
    }
    String problem = JsonRuleCompiler.check(pattern);
    if (problem != null) {
      throw new IllegalArgumentException(where + ": Event pattern is not valid. Reason: " + firstLine(problem));
    }
    try {
      int combinations = JsonRuleCompiler.compile(pattern).size();
      if (combinations > MAX_OR_COMBINATIONS) {
        throw new IllegalArgumentException(where + ": Event pattern is not valid. Reason: the $or conditions combine "
            + "into " + combinations + " rules; the limit is " + MAX_OR_COMBINATIONS);
      }
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(where + ": Event pattern is not valid. Reason: " + firstLine(e.getMessage()), e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }

  // ------------------------------------------------------------------ inspection and control

  public EventFaults faults() {
    return faults;
  }

  /** Every event that reached a bus, and every schedule firing, in order. */
  public List<BusEvent> events() {
    return List.copyOf(events);
  }

  public List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  public List<DeadLetterEntry> deadLetters() {
    return List.copyOf(deadLetters);
  }

  public List<TargetMessage> targetMessages() {
    return List.copyOf(targetMessages);
  }

  /** The rules, by logical id. */
  public Map<String, RuleDef> rules() {
    Map<String, RuleDef> out = new LinkedHashMap<>();
    rules.forEach((id, r) -> out.put(id, r.def));
    return out;
  }

  /** {@code EnableRule}/{@code DisableRule}: by rule name or logical id. */
  public void setRuleEnabled(String nameOrId, boolean enabled) {
    rule(nameOrId).enabled = enabled;
  }

  public boolean isRuleEnabled(String nameOrId) {
    return rule(nameOrId).enabled;
  }

  private BusRule rule(String nameOrId) {
    BusRule r = rules.get(nameOrId);
    if (r == null) {
      r = rules.values().stream().filter(x -> x.def.name().equals(nameOrId)).findFirst().orElse(null);
    }
    if (r == null) {
      throw new IllegalArgumentException("no rule '" + nameOrId + "' (have: " + String.join(", ", rules.keySet()) + ")");
    }
    return r;
  }

  /**
   * {@code PutRule}: creates the rule {@code name} on {@code busName} with no targets, or changes
   * an existing rule's pattern, schedule and state (its targets stay). A new scheduled rule fires
   * from now on; a changed schedule applies from the rule's next firing. Returns the rule's ARN.
   * Arguments are validated by the caller ({@link EventsService}).
   */
  public synchronized String putRule(String name, String busName, String pattern, String scheduleExpression,
      boolean enabled) {
    RuleDef.Schedule schedule = scheduleExpression == null ? null
        : new RuleDef.Schedule(scheduleExpression, RuleDef.Schedule.Kind.EVENTBRIDGE_RULE, null, 0);
    BusRule existing = rules.values().stream()
        .filter(r -> r.def.name().equals(name) && r.def.eventBusName().equals(busName)).findFirst().orElse(null);
    BusRule rule;
    if (existing != null) {
      RuleDef old = existing.def;
      if (old.eventPattern() != null) {
        GenericMachine<String> machine = machines.get(busName);
        synchronized (machine) {
          try {
            machine.deleteRule(old.logicalId(), old.eventPattern());
          } catch (java.io.IOException e) {
            throw new IllegalStateException("the rule's own pattern no longer parses: " + e.getMessage(), e);
          }
        }
      }
      existing.def = new RuleDef(old.logicalId(), name, old.arn(), busName, pattern, schedule, enabled, old.targets(),
          old.path());
      existing.enabled = enabled;
      rule = existing;
    } else {
      String arn = aws.arn("events", "rule/" + (busName.equals("default") ? "" : busName + "/") + name);
      rule = new BusRule(new RuleDef("PutRule:" + busName + "/" + name, name, arn, busName, pattern, schedule, enabled,
          List.of(), "PutRule " + name), List.of());
      Map<String, BusRule> copy = new LinkedHashMap<>(rules);
      copy.put(rule.def.logicalId(), rule);
      rules = copy;
    }
    if (pattern != null) {
      GenericMachine<String> machine = machines.computeIfAbsent(busName, n -> GenericMachine.<String>builder().build());
      synchronized (machine) {
        try {
          machine.addRule(rule.def.logicalId(), pattern);
        } catch (Exception e) {
          throw new IllegalArgumentException("Event pattern is not valid. Reason: " + firstLine(e.getMessage()), e);
        }
      }
    }
    if (schedule == null) {
      rule.schedule = null;
    } else {
      boolean wasScheduled = rule.schedule != null;
      rule.schedule = ScheduleExpression.parse(schedule.expression(), null);
      if (schedulesStarted && !wasScheduled) {
        scheduleNext(rule, sim.now(), sim.now());
      }
    }
    return rule.def.arn();
  }

  /** The targets of a rule, as the template or PutRule set them. */
  List<RuleDef.Target> targets(RuleDef rule) {
    BusRule r = rules.get(rule.logicalId());
    return r == null ? List.of() : r.targets.stream().map(BoundTarget::def).toList();
  }

  /** The ARN of the event bus {@code name}. */
  String busArn(String name) {
    return aws.arn("events", "event-bus/" + name);
  }

  Set<String> busNames() {
    return Set.copyOf(buses);
  }

  RuleDef findRule(String name, String bus) {
    return rules.values().stream().filter(r -> r.def.name().equals(name) && r.def.eventBusName().equals(bus))
        .map(r -> r.def).findFirst().orElse(null);
  }

  // ------------------------------------------------------------------ putting events

  /** An AWS service's event, on the default bus. Callable from any thread; never waits. */
  @Override
  public void publish(ServiceEvent event) {
    ObjectNode envelope = envelope(event.detailType(), event.source(), sim.now(), event.resources(), event.detail());
    accept("default", envelope);
  }

  /**
   * {@code PutEvents}: validates each entry as EventBridge does ({@code aws.} sources are refused
   * with {@code NotAuthorizedForSourceException}) and puts the valid ones on their bus.
   */
  public List<PutEventsEntry.Result> putEvents(List<PutEventsEntry> entries) {
    List<PutEventsEntry.Result> results = new ArrayList<>();
    for (PutEventsEntry e : entries) {
      results.add(putOne(e));
    }
    return results;
  }

  private PutEventsEntry.Result putOne(PutEventsEntry e) {
    if (e.source() == null || e.source().isEmpty()) {
      return fail("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument.");
    }
    if (e.detailType() == null || e.detailType().isEmpty()) {
      return fail("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument.");
    }
    if (e.detail() == null || e.detail().isEmpty()) {
      return fail("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument.");
    }
    if (e.detailType().length() > 128) {
      return fail("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is longer than 128 "
          + "characters.");
    }
    if (e.source().startsWith("aws.")) {
      // Only AWS services may put events with an aws.* source (docs/situations.md: forged events).
      return fail("NotAuthorizedForSourceException", "Not authorized for the source.");
    }
    JsonNode detail;
    try {
      detail = LocalJson.parse(e.detail());
    } catch (IllegalArgumentException notJson) {
      return fail("MalformedDetail", "Detail is malformed.");
    }
    if (!detail.isObject()) {
      return fail("MalformedDetail", "Detail is malformed.");
    }
    String bus = e.eventBusName() == null || e.eventBusName().isEmpty() ? "default" : e.eventBusName();
    if (bus.startsWith("arn:")) {
      bus = bus.substring(bus.lastIndexOf('/') + 1);
    }
    if (!buses.contains(bus)) {
      return fail("ResourceNotFoundException", "Event bus " + bus + " does not exist.");
    }
    ObjectNode envelope = envelope(e.detailType(), e.source(), e.time() == null ? sim.now() : e.time(),
        e.resources() == null ? List.of() : e.resources(), detail);
    accept(bus, envelope);
    return new PutEventsEntry.Result(envelope.get("id").asText(), null, null);
  }

  /**
   * Puts a complete event on a bus as is, bypassing {@code PutEvents} validation: for AWS service
   * events that need envelope fields {@link ServiceEvent} cannot carry, for replays, and for
   * conformance tests. An event without {@code id} gets one. Returns the event id.
   */
  public String injectEvent(String busName, ObjectNode event) {
    if (!buses.contains(busName)) {
      throw new IllegalArgumentException("no event bus '" + busName + "'");
    }
    ObjectNode copy = event.deepCopy();
    if (!copy.hasNonNull("id")) {
      copy.put("id", newEventId());
    }
    accept(busName, copy);
    return copy.get("id").asText();
  }

  private static PutEventsEntry.Result fail(String code, String message) {
    return new PutEventsEntry.Result(null, code, message);
  }

  private ObjectNode envelope(String detailType, String source, Instant time, List<String> resources, JsonNode detail) {
    ObjectNode e = LocalJson.object();
    e.put("version", "0");
    e.put("id", newEventId());
    e.put("detail-type", detailType);
    e.put("source", source);
    e.put("account", aws.accountId());
    e.put("time", EVENT_TIME.format(time));
    e.put("region", aws.region());
    ArrayNode r = e.putArray("resources");
    resources.forEach(r::add);
    e.set("detail", detail == null ? LocalJson.object() : detail.deepCopy());
    return e;
  }

  private void accept(String bus, ObjectNode event) {
    Instant received = sim.now();
    List<String> matched = match(bus, event);
    events.add(new BusEvent(bus, event, received, matched));
    for (String id : matched) {
      BusRule rule = rules.get(id);
      if (!rule.enabled || faults.isDisabled(rule.def.name(), id)) {
        for (BoundTarget t : rule.targets) {
          deliveries.add(new Delivery(event.get("id").asText(), rule.def.name(), t.def.id(), t.def.arn(), 1, 0,
              received, Delivery.Outcome.RULE_DISABLED, null, null));
        }
        continue;
      }
      dispatch(rule, event, received);
    }
  }

  private List<String> match(String bus, ObjectNode event) {
    GenericMachine<String> machine = machines.get(bus);
    if (machine == null) {
      return List.of();
    }
    Set<String> found;
    synchronized (machine) {
      found = new HashSet<>(machine.rulesForJSONEvent(event));
    }
    // Declaration order, so runs are repeatable whatever order the engine returns.
    return rules.keySet().stream().filter(found::contains).toList();
  }

  private void dispatch(BusRule rule, ObjectNode event, Instant received) {
    String eventId = event.get("id").asText();
    EventFaults.Scope scope = faults.effective(rule.def.name(), rule.def.logicalId());
    for (BoundTarget target : rule.targets) {
      Duration delay = settings.deliveryLatency().plus(scope.extraDelay())
          .plus(fraction(scope.reorderWindow(), uniform(eventId, rule.def.logicalId(), target.def.id(), "reorder", 1)));
      schedule(rule, target, event, received, 1, delay);
      if (scope.duplicateProbability() > 0
          && uniform(eventId, rule.def.logicalId(), target.def.id(), "duplicate", 0) < scope.duplicateProbability()) {
        Duration second = delay.plus(scope.duplicateGap())
            .plus(fraction(scope.reorderWindow(), uniform(eventId, rule.def.logicalId(), target.def.id(), "reorder", 2)));
        schedule(rule, target, event, received, 2, second);
      }
    }
  }

  private void schedule(BusRule rule, BoundTarget target, ObjectNode event, Instant received, int copy, Duration delay) {
    String name = "events " + rule.def.logicalId() + "->" + target.def.id() + " " + event.get("id").asText() + "#" + copy;
    inFlight.incrementAndGet();
    sim.after(delay, name, () -> {
      try {
        deliver(rule, target, event, received, copy);
      } finally {
        inFlight.decrementAndGet();
      }
    });
  }

  /** Deliveries accepted by the bus that have not reached their final outcome yet. */
  public int inFlight() {
    return inFlight.get();
  }

  // ------------------------------------------------------------------ delivering

  private record Outcome(boolean ok, boolean retriable, String errorCode, String detail) {}

  private void deliver(BusRule rule, BoundTarget target, ObjectNode event, Instant received, int copy) {
    String eventId = event.get("id").asText();
    String payload = target.input.render(event, rule.def.arn(), rule.def.name(), EVENT_TIME.format(received));
    if ("aws.scheduler".equals(event.path("source").asText())) {
      payload = schedulerContext(payload, event, rule);
    }
    Instant expires = received.plusSeconds(target.maxAgeSeconds);
    int retries = 0;
    while (true) {
      Outcome o = send(rule, target, payload, eventId);
      if (o.ok) {
        record(eventId, rule, target, copy, retries + 1, Delivery.Outcome.DELIVERED, null, o.detail);
        return;
      }
      if (!o.retriable) {
        giveUp(rule, target, event, copy, retries, o, null);
        return;
      }
      if (retries >= target.maxRetries) {
        giveUp(rule, target, event, copy, retries, o, "MaximumRetryAttempts");
        return;
      }
      Duration backoff = backoff(retries + 1, eventId, rule, target, copy);
      if (sim.now().plus(backoff).isAfter(expires)) {
        record(eventId, rule, target, copy, retries + 1, Delivery.Outcome.RETRYING, o.errorCode, o.detail);
        if (expires.isAfter(sim.now())) {
          sim.sleepUntil(expires);
        }
        giveUp(rule, target, event, copy, retries, o, "MaximumEventAgeInSeconds");
        return;
      }
      record(eventId, rule, target, copy, retries + 1, Delivery.Outcome.RETRYING, o.errorCode, o.detail);
      sim.sleep(backoff);
      retries++;
    }
  }

  private Outcome send(BusRule rule, BoundTarget target, String payload, String eventId) {
    switch (target.kind) {
      case LAMBDA -> {
        try {
          String requestId = lambda.invokeAsync(new InvokeRequest(target.def.arn(), null,
              payload.getBytes(StandardCharsets.UTF_8), rule.def.arn(), false));
          return new Outcome(true, false, null, requestId);
        } catch (LambdaServiceException e) {
          return failure(e);
        }
      }
      case STATE_MACHINE -> {
        try {
          return new Outcome(true, false, null, starter.start(target.def.arn(), payload));
        } catch (AwsServiceException e) {
          return failure(e);
        }
      }
      default -> {
        targetMessages.add(new TargetMessage(target.def.arn(), rule.def.name(), eventId, payload, sim.now()));
        return new Outcome(true, false, null, null);
      }
    }
  }

  /** Maps a target's API error to EventBridge's retry decision and DLQ {@code ERROR_CODE}. */
  private static Outcome failure(AwsServiceException e) {
    String code = e.code();
    String message = code + ": " + e.getMessage();
    if (e.status() == 429 || code.equals("ThrottlingException") || code.equals("TooManyRequestsException")
        || code.equals("ExecutionLimitExceeded")) {
      return new Outcome(false, true, "THROTTLING", message);
    }
    if (e.status() >= 500) {
      // EventBridge's documented list has no code for a target's 5xx; INTERNAL_ERROR is our label.
      return new Outcome(false, true, "INTERNAL_ERROR", message);
    }
    return switch (code) {
      case "ResourceNotFoundException", "StateMachineDoesNotExist", "StateMachineDeleting" ->
          new Outcome(false, false, "NO_RESOURCE", message);
      case "AccessDeniedException", "AccessDenied", "UnauthorizedOperation" ->
          new Outcome(false, false, "NO_PERMISSIONS", message);
      case "ExecutionAlreadyExists" -> new Outcome(false, false, "RESOURCE_ALREADY_EXISTS", message);
      default -> new Outcome(false, false, "INVALID_PARAMETER", message);
    };
  }

  private void giveUp(BusRule rule, BoundTarget target, ObjectNode event, int copy, int retries, Outcome o,
      String exhausted) {
    String eventId = event.get("id").asText();
    String dlq = target.def.deadLetterArn();
    if (dlq == null) {
      record(eventId, rule, target, copy, retries + 1, Delivery.Outcome.DROPPED, o.errorCode, o.detail);
      return;
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("RULE_ARN", rule.def.arn());
    attributes.put("TARGET_ARN", target.def.arn());
    attributes.put("ERROR_CODE", o.errorCode);
    attributes.put("ERROR_MESSAGE", o.detail);
    if (exhausted != null) {
      attributes.put("EXHAUSTED_RETRY_CONDITION", exhausted);
    }
    attributes.put("RETRY_ATTEMPTS", String.valueOf(retries));
    deadLetters.add(new DeadLetterEntry(dlq, LocalJson.write(event), attributes, sim.now()));
    record(eventId, rule, target, copy, retries + 1, Delivery.Outcome.DEAD_LETTERED, o.errorCode, o.detail);
  }

  private void record(String eventId, BusRule rule, BoundTarget target, int copy, int attempt,
      Delivery.Outcome outcome, String errorCode, String detail) {
    deliveries.add(new Delivery(eventId, rule.def.name(), target.def.id(), target.def.arn(), copy, attempt, sim.now(),
        outcome, errorCode, detail));
  }

  private Duration backoff(int retry, String eventId, BusRule rule, BoundTarget target, int copy) {
    long base = settings.retryBase().toMillis();
    long cap = settings.retryCap().toMillis();
    long exp = retry >= 40 ? cap : Math.min(cap, base << Math.min(retry - 1, 40));
    double u = uniform(eventId, rule.def.logicalId(), target.def.id(), "retry" + copy, retry);
    return Duration.ofMillis(exp / 2 + Math.round(u * (exp - exp / 2)));
  }

  private static Duration fraction(Duration window, double u) {
    return window.isZero() ? Duration.ZERO : Duration.ofNanos(Math.round(window.toNanos() * u));
  }

  /** A repeatable number in [0, 1) from the seed and the given parts. */
  private double uniform(String eventId, String rule, String target, String purpose, int n) {
    long h = settings.seed() ^ 0xcbf29ce484222325L;
    for (String part : new String[] {eventId, rule, target, purpose, Integer.toString(n)}) {
      for (int i = 0; i < part.length(); i++) {
        h = (h ^ part.charAt(i)) * 0x100000001b3L;
      }
      h = (h ^ 0x1f) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (h >>> 11) * 0x1.0p-53;
  }

  private synchronized String newEventId() {
    long msb = (ids.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long lsb = (ids.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  // ------------------------------------------------------------------ schedules

  /**
   * Starts every scheduled rule on the virtual clock. An EventBridge rule sends the "Scheduled
   * Event" envelope ({@code source: aws.events}, {@code detail-type: Scheduled Event}, the rule ARN
   * in {@code resources}, {@code detail: {}}); an EventBridge Scheduler schedule sends its target's
   * {@code Input} (or {@code {}}) as is. A flexible time window fires at its end (the latest time
   * Scheduler allows, the harsher choice).
   */
  public synchronized void startSchedules() {
    if (schedulesStarted) {
      return;
    }
    schedulesStarted = true;
    Instant start = sim.now();
    for (BusRule rule : rules.values()) {
      RuleDef.Schedule s = rule.def.schedule();
      if (s == null) {
        continue;
      }
      try {
        rule.schedule = ScheduleExpression.parse(s.expression(), s.timezone());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(rule.def.path() + ": rule " + rule.def.logicalId() + ": " + e.getMessage(), e);
      }
      scheduleNext(rule, start, start);
    }
  }

  /** Parses every rule's schedule expression; throws naming the rule. Called at load time. */
  void validateSchedules() {
    for (BusRule rule : rules.values()) {
      if (rule.def.schedule() != null) {
        try {
          ScheduleExpression.parse(rule.def.schedule().expression(), rule.def.schedule().timezone());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(rule.def.path() + ": rule " + rule.def.logicalId() + ": "
              + e.getMessage(), e);
        }
      }
    }
  }

  private void scheduleNext(BusRule rule, Instant anchor, Instant after) {
    // PutRule may have turned a scheduled rule into a pattern rule: it stops firing.
    if (rule.schedule == null || rule.def.schedule() == null) {
      return;
    }
    Instant nominal = rule.schedule.nextAfter(anchor, after);
    if (nominal == null) {
      return;
    }
    Instant fireAt = nominal.plus(Duration.ofMinutes(rule.def.schedule().flexibleWindowMinutes()));
    sim.at(fireAt, "schedule " + rule.def.logicalId(), () -> {
      if (rule.def.schedule() == null) {
        return;
      }
      fire(rule, nominal);
      scheduleNext(rule, anchor, nominal);
    });
  }

  private void fire(BusRule rule, Instant nominal) {
    Instant now = sim.now();
    ObjectNode event;
    if (rule.def.schedule().kind() == RuleDef.Schedule.Kind.EVENTBRIDGE_RULE) {
      event = envelope("Scheduled Event", "aws.events", nominal.truncatedTo(ChronoUnit.SECONDS), List.of(rule.def.arn()),
          LocalJson.object());
    } else {
      event = envelope("Scheduled Event", "aws.scheduler", nominal, List.of(rule.def.arn()), LocalJson.object());
    }
    events.add(new BusEvent(rule.def.eventBusName(), event, now, List.of(rule.def.logicalId())));
    if (!rule.enabled || faults.isDisabled(rule.def.name(), rule.def.logicalId())) {
      for (BoundTarget t : rule.targets) {
        deliveries.add(new Delivery(event.get("id").asText(), rule.def.name(), t.def.id(), t.def.arn(), 1, 0, now,
            Delivery.Outcome.RULE_DISABLED, null, null));
      }
      return;
    }
    if (rule.def.schedule().kind() == RuleDef.Schedule.Kind.SCHEDULER) {
      for (BoundTarget t : rule.targets) {
        BoundTarget fixed = t.def.input() != null ? t : new BoundTarget(t.def, t.kind, constantEmpty(), t.maxRetries,
            t.maxAgeSeconds);
        schedule(rule, fixed, event, now, 1, Duration.ZERO);
      }
      return;
    }
    dispatch(rule, event, now);
  }

  /**
   * EventBridge Scheduler's context attributes in a target's Input: the schedule's ARN, the
   * time the invocation was scheduled for, a per-invocation id and the attempt number (retries are
   * attempts of the same invocation; the payload is rendered once per delivery here, so retries
   * still say 1).
   */
  private static String schedulerContext(String payload, ObjectNode event, BusRule rule) {
    return payload
        .replace("<aws.scheduler.schedule-arn>", rule.def.arn())
        .replace("<aws.scheduler.scheduled-time>", event.path("time").asText())
        .replace("<aws.scheduler.execution-id>", event.path("id").asText())
        .replace("<aws.scheduler.attempt-number>", "1");
  }

  /** EventBridge Scheduler's payload when the target has no Input (unconfirmed: "a default notification"). */
  private static TargetInput constantEmpty() {
    return TargetInput.of(new RuleDef.Target("scheduler", "n/a", "{}", null, null, null, null));
  }
}
