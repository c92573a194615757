package dev.poolshift.rollout.usecase;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.ModelPackageNotFoundException;
import dev.poolshift.rollout.EndpointNotFoundException;
import dev.poolshift.rollout.PackageRejectedException;
import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.port.Ledger;
import dev.poolshift.rollout.port.LedgerRecord;
import dev.poolshift.rollout.port.Waiter;
import dev.poolshift.rollout.ProfileNotFoundException;
import dev.poolshift.rollout.TransientServiceException;
import dev.poolshift.rollout.endpoint.ModelPackage;
import dev.poolshift.rollout.endpoint.ModelPackageArn;
import dev.poolshift.rollout.event.ModelPackageStateChange;
import dev.poolshift.rollout.plan.ExecutionNames;
import dev.poolshift.rollout.plan.ExecutionRequest;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.ExecutionStarter;
import dev.poolshift.rollout.port.ModelRegistry;
import dev.poolshift.rollout.port.ProfileStore;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.port.StartResult;
import dev.poolshift.rollout.port.StopRequest;
import dev.poolshift.rollout.port.TaskCallbacks;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.usecase.support.TurnAround;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Model Registry events in. An approval starts exactly one rollout of exactly that package
 * version: the execution name is derived from the package ARN, so duplicates and redeliveries
 * meet the first execution. A rejection of a version whose canary is live turns that rollout
 * around. Everything that is not ours (another account, a group without a profile, an approval
 * the registry no longer confirms) is logged with its reason and left alone.
 */
public final class ApprovalIntake {
  private static final Logger LOG = LoggerFactory.getLogger(ApprovalIntake.class);

  /**
   * Where this stack runs; approvals from elsewhere are refused.
   *
   * @param stateMachineArn {@code STATE_MACHINE_ARN}: its account and Region are this stack's
   */
  public record Settings(String account, String region) {
    public static Settings fromStateMachineArn(String stateMachineArn) {
      String[] parts = stateMachineArn == null ? new String[0] : stateMachineArn.split(":");
      if (parts.length < 7 || !"states".equals(parts[2]) || !"stateMachine".equals(parts[5])) {
        throw new InvalidInputException("function environment", "STATE_MACHINE_ARN",
            "must be a state machine ARN arn:aws:states:<region>:<account>:stateMachine:<name>"
                + " (got " + stateMachineArn + ")");
      }
      return new Settings(parts[4], parts[3]);
    }
  }

  /** What the intake did with an event; also the function's output. */
  public record Result(String outcome, String reason, String executionName) {
  }

  public static final String STARTED = "STARTED";
  public static final String DUPLICATE = "DUPLICATE";
  public static final String IGNORED = "IGNORED";
  public static final String ROLLBACK_REQUESTED = "ROLLBACK_REQUESTED";
  /** The rejected version is the endpoint's release: a rollback execution was started. */
  public static final String ROLLBACK_STARTED = "ROLLBACK_STARTED";
  /** Executions of the rejected version queued for the endpoint were told to look again. */
  public static final String QUEUED_WOKEN = "QUEUED_WOKEN";
  /** How far back the ledger is read for the release an endpoint serves. */
  private static final int LEDGER_DEPTH = 100;

  private final Settings settings;
  private final ProfileStore profiles;
  private final ModelRegistry registry;
  private final ExecutionStarter starter;
  private final RolloutStore store;
  private final TaskCallbacks callbacks;
  private final Endpoints endpoints;
  private final Ledger ledger;

  public ApprovalIntake(Settings settings, ProfileStore profiles, ModelRegistry registry,
      ExecutionStarter starter, RolloutStore store, TaskCallbacks callbacks, Endpoints endpoints,
      Ledger ledger) {
    this.settings = settings;
    this.profiles = profiles;
    this.registry = registry;
    this.starter = starter;
    this.store = store;
    this.callbacks = callbacks;
    this.endpoints = endpoints;
    this.ledger = ledger;
  }

  /**
   * @throws InvalidInputException for a malformed event (not retryable: the function's dead
   *     letter queue gets it)
   */
  public Result handle(ModelPackageStateChange event) {
    MDC.put("eventId", event.envelope().id());
    MDC.put("modelPackageArn", event.modelPackageArn());
    ModelPackageArn arn = ModelPackageArn.parse("detail.ModelPackageArn", event.modelPackageArn());
    if (!arn.isIn(settings.account(), settings.region())
        || !settings.account().equals(event.envelope().account())
        || !settings.region().equals(event.envelope().region())) {
      LOG.warn("model package event from another account or Region refused", entry("security", true),
          entry("eventAccount", event.envelope().account()),
          entry("eventRegion", event.envelope().region()), entry("packageAccount", arn.account()),
          entry("packageRegion", arn.region()), entry("expectedAccount", settings.account()),
          entry("expectedRegion", settings.region()));
      return new Result(IGNORED, "event from account " + event.envelope().account() + " / "
          + event.envelope().region() + " for " + arn + "; this stack deploys only "
          + settings.account() + " / " + settings.region(), null);
    }
    return switch (event.approvalStatus()) {
      case ModelPackage.APPROVED -> approve(event, arn);
      case "Rejected" -> reject(event, arn);
      default -> ignored("ModelApprovalStatus " + event.approvalStatus() + " starts nothing");
    };
  }

  private Result approve(ModelPackageStateChange event, ModelPackageArn arn) {
    String name = ExecutionNames.forApproval(arn);
    MDC.put("executionName", name);
    if (!event.approvalChanged()) {
      return ignored("metadata-only update " + event.updatedFields() + " of an approved package");
    }
    if (event.packageStatus() != null && !ModelPackage.COMPLETED.equals(event.packageStatus())) {
      return ignored("ModelPackageStatus " + event.packageStatus() + " is not Completed");
    }
    try {
      MDC.put("endpointName", profiles.load(event.groupName()).endpointName());
    } catch (ProfileNotFoundException e) {
      return ignored("no deployment profile for model package group " + event.groupName());
    } catch (InvalidInputException e) {
      // The group is configured but its profile is wrong: start anyway, so the plan step
      // rejects it where people look (the execution), naming the fields.
      LOG.warn("deployment profile invalid; starting so the rollout is rejected visibly",
          entry("modelPackageGroup", event.groupName()), entry("profileErrors", e.getMessage()));
    }
    ModelPackage pkg;
    try {
      pkg = registry.describePackage(arn);
    } catch (ModelPackageNotFoundException e) {
      return notConfirmed(arn, "DescribeModelPackage does not find it");
    } catch (TransientServiceException e) {
      // Throttled or unanswered after the SDK's retries: the day a fleet is approved at once, the
      // account's SageMaker request rate runs out. Failing here leaves the approval to Lambda's
      // two retries and then the dead-letter queue (a person redrives it); starting the rollout
      // is safe instead, because its plan step confirms the approval again (Completed and
      // Approved) under the workflow's own, longer retries and refuses a package that is not.
      LOG.warn("approval not confirmed here (SageMaker did not answer); the plan step confirms it",
          entry("reason", e.getMessage()));
      pkg = null;
    }
    if (pkg != null && (!ModelPackage.APPROVED.equals(pkg.approvalStatus())
        || !ModelPackage.COMPLETED.equals(pkg.status()))) {
      return notConfirmed(arn, "DescribeModelPackage says " + pkg.approvalStatus() + " / "
          + pkg.status());
    }
    Map<String, Object> trigger = new LinkedHashMap<>();
    trigger.put("source", ExecutionRequest.REGISTRY_APPROVAL);
    trigger.put("eventId", event.envelope().id());
    if (event.by() != null) {
      trigger.put("by", event.by());
    }
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("action", ExecutionRequest.DEPLOY);
    input.put("modelPackageArn", arn.toString());
    input.put("trigger", trigger);
    // A copy of this event, or a redelivery, finds the execution it started. (StartExecution
    // alone cannot tell: the same name and input while the first still runs is a success.)
    Optional<String> existing = starter.statusOf(name);
    if (existing.isPresent()) {
      return duplicate(name, existing.get());
    }
    StartResult started = starter.start(name, input);
    if (started.started()) {
      LOG.info("rollout started for the approval", entry("executionArn", started.executionArn()),
          entry("approvedBy", event.by()));
      return new Result(STARTED, "rollout " + name + " started", name);
    }
    return duplicate(name, "ExecutionAlreadyExists");
  }

  private static Result duplicate(String name, String found) {
    LOG.info("duplicate approval: this version's rollout already exists; nothing started",
        entry("reason", found));
    return new Result(DUPLICATE, "execution " + name + " already exists (" + found + "; this"
        + " approval was handled before)", name);
  }

  private Result reject(ModelPackageStateChange event, ModelPackageArn arn) {
    if (!event.approvalChanged()) {
      return ignored("metadata-only update " + event.updatedFields() + " of a rejected package");
    }
    String endpoint;
    try {
      endpoint = profiles.load(event.groupName()).endpointName();
    } catch (ProfileNotFoundException | InvalidInputException e) {
      return ignored("no usable deployment profile for group " + event.groupName()
          + "; no rollout of it to stop");
    }
    MDC.put("endpointName", endpoint);
    Optional<ActiveRollout> live = store.rollout(endpoint)
        // A rollback to the previous release may not know its package: never a match.
        .filter(r -> r.modelPackageArn() != null
            && arn.canonical().equals(r.modelPackageArn().toLowerCase(java.util.Locale.ROOT)))
        .filter(r -> r.phase() != null && r.phase().forward());
    if (live.isEmpty()) {
      List<String> woken = wakeQueued(endpoint, arn);
      Optional<Result> rollback = rollBackIfServed(event, arn, endpoint);
      if (rollback.isPresent()) {
        return rollback.get();
      }
      if (!woken.isEmpty()) {
        return new Result(QUEUED_WOKEN, "queued rollout(s) " + woken + " of rejected " + arn
            + " woken: each plans again and is refused", woken.getFirst());
      }
      return ignored("no live canary of " + arn + " on " + endpoint + ", and it is not the"
          + " release the endpoint serves");
    }
    ActiveRollout rollout = live.get();
    MDC.put("executionName", rollout.executionName());
    StopRequest stop = new StopRequest(PackageRejectedException.class.getName(), "model package "
        + arn + " was rejected in the Model Registry" + (event.by() == null ? ""
            : " by " + event.by()) + " while its canary was live on " + endpoint,
        event.envelope().time());
    store.requestStop(endpoint, rollout.executionName(), stop);
    List<TokenKind> failed = TurnAround.failWaits(store, callbacks, rollout, stop);
    LOG.info("package rejected during its rollout; rollout asked to roll back",
        entry("waitsFailed", failed.stream().map(Enum::name).toList()),
        entry("phase", rollout.phase().wire()));
    return new Result(ROLLBACK_REQUESTED, stop.cause(), rollout.executionName());
  }

  /**
   * An execution of the rejected version queued for the endpoint (its approval's, by name)
   * would wait its whole bound for a version nobody wants: it is woken now, plans again, and
   * the plan refuses the rejected package, with a notification and a ledger entry.
   */
  private List<String> wakeQueued(String endpoint, ModelPackageArn arn) {
    String name = ExecutionNames.forApproval(arn);
    List<String> woken = new java.util.ArrayList<>();
    for (Waiter w : store.waiters(endpoint)) {
      if (Waiter.FOR_LOCK.equals(w.purpose()) && w.owner().equals(name)) {
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("endpointName", endpoint);
        output.put("releasedBy", "model package " + arn + " rejected");
        callbacks.succeed(w.token(), output);
        store.deregisterWaiter(endpoint, w.owner());
        woken.add(w.owner());
      }
    }
    if (!woken.isEmpty()) {
      LOG.info("queued rollout of the rejected package woken to plan again",
          entry("woken", woken));
    }
    return woken;
  }

  /**
   * When the rejected version is the endpoint's release (what it serves, or the baseline a
   * running rollout returns to), a rollback to the release before it starts: deterministic name,
   * so a redelivered rejection finds it. The rollback skips releases rejected since, queues
   * behind a rollout holding the endpoint, and changes nothing if the endpoint no longer serves
   * the version by the time it plans.
   */
  private Optional<Result> rollBackIfServed(ModelPackageStateChange event, ModelPackageArn arn,
      String endpoint) {
    String config;
    Optional<ActiveRollout> running = store.rollout(endpoint);
    if (running.isPresent()) {
      config = running.get().baselineConfigName();
    } else {
      try {
        config = endpoints.describe(endpoint).endpointConfigName();
      } catch (EndpointNotFoundException e) {
        return Optional.empty();
      }
    }
    Optional<LedgerRecord> release = ledger.latest(endpoint, LEDGER_DEPTH).stream()
        .filter(r -> r.outcome() == dev.poolshift.rollout.Outcome.PROMOTED
            && config != null && config.equals(r.configAfter()))
        .findFirst();
    if (release.isEmpty() || release.get().modelPackageArn() == null
        || !arn.canonical().equals(release.get().modelPackageArn()
            .toLowerCase(java.util.Locale.ROOT))) {
      return Optional.empty();
    }
    String name = ExecutionNames.forRejection(arn);
    MDC.put("executionName", name);
    Map<String, Object> trigger = new LinkedHashMap<>();
    trigger.put("source", ExecutionRequest.REGISTRY_REJECTION);
    trigger.put("eventId", event.envelope().id());
    if (event.by() != null) {
      trigger.put("by", event.by());
    }
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("action", ExecutionRequest.ROLLBACK);
    input.put("endpointName", endpoint);
    input.put("modelPackageArn", arn.toString());
    input.put("reason", "model package " + arn + " was rejected in the Model Registry"
        + (event.by() == null ? "" : " by " + event.by()) + " while " + endpoint
        + " served it (release " + release.get().executionName() + ")");
    input.put("trigger", trigger);
    Optional<String> existing = starter.statusOf(name);
    if (existing.isPresent()) {
      return Optional.of(duplicate(name, existing.get()));
    }
    StartResult started = starter.start(name, input);
    if (!started.started()) {
      return Optional.of(duplicate(name, "ExecutionAlreadyExists"));
    }
    LOG.info("served version rejected; rollback to the release before it started",
        entry("executionArn", started.executionArn()),
        entry("release", release.get().executionName()), entry("rejectedBy", event.by()));
    return Optional.of(new Result(ROLLBACK_STARTED, "rollback " + name + " started: " + endpoint
        + " served rejected " + arn, name));
  }

  private static Result notConfirmed(ModelPackageArn arn, String why) {
    return ignored("approval not confirmed by DescribeModelPackage: " + why + " (" + arn + ")");
  }

  private static Result ignored(String reason) {
    LOG.info("model package event ignored", entry("outcome", IGNORED), entry("reason", reason));
    return new Result(IGNORED, reason, null);
  }
}
