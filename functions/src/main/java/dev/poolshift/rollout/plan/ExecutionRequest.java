package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.Trigger;
import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.JsonFields;
import dev.poolshift.rollout.JsonValues;
import dev.poolshift.rollout.SageMakerNames;
import dev.poolshift.rollout.endpoint.ModelPackageArn;
import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.profile.PoolPreference;
import dev.poolshift.rollout.profile.Thresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rollout workflow's input, from the approval intake or pasted by a person in the console
 * (schema: {@code schemas/execution-input.schema.json}; one example per action under
 * {@code events/console/}):
 * <pre>{"action": "deploy"|"plan"|"migrate"|"rollback"|"promote"|"continue"|"abort",
 *  "endpointName": "...", "modelPackageArn": "...", "modelName": "...",
 *  "instancePools": [...], "provisionTimeoutSeconds": n, "canarySteps": [...], "bakeSeconds": n,
 *  "thresholds": {"max5xxRate": x, "p99LatencyMs": n},
 *  "executionName": "...", "reason": "...",
 *  "trigger": {"source": "...", "by": "...", "eventId": "..."}}</pre>
 * Unknown fields are rejected, not ignored ({@code "skipAlarmCheck": true} must not look
 * accepted), and so are fields the action does not use (a {@code modelPackageArn} on an
 * {@code abort} must not look like it chose anything). A person names the endpoint they mean to
 * change: {@code endpointName} is required unless the registry approval started the rollout (the
 * profile names the endpoint then). Every problem is collected before failing.
 *
 * <p>{@code modelName} is a migrate's alternative to {@code modelPackageArn} for a model that did
 * not come from the Model Registry; a migrate names at most one of the two (neither: what the
 * endpoint serves).
 */
public record ExecutionRequest(
    String action,
    ModelPackageArn modelPackageArn,
    String modelName,
    String endpointName,
    Overrides overrides,
    String executionName,
    String reason,
    Trigger trigger) {

  public static final String DEPLOY = "deploy";
  public static final String PLAN = "plan";
  public static final String MIGRATE = "migrate";
  public static final String ROLLBACK = "rollback";
  public static final String PROMOTE = "promote";
  /** Argo Rollouts' step-wise promote: a step held for a person goes on to the next step. */
  public static final String CONTINUE = "continue";
  public static final String ABORT = "abort";
  public static final List<String> ACTIONS =
      List.of(DEPLOY, PLAN, MIGRATE, ROLLBACK, PROMOTE, CONTINUE, ABORT);
  public static final String REGISTRY_APPROVAL = "registry-approval";
  /**
   * A version the endpoint serves was rejected in the Model Registry: a rollback whose
   * {@code modelPackageArn} names the rejected version to leave.
   */
  public static final String REGISTRY_REJECTION = "registry-rejection";
  public static final String CONSOLE = "console";
  /**
   * Far above any real console input (five pools and a reason are well under 2 KB); far below
   * Step Functions' 256 KiB, so an input pasted by mistake (a whole profile, a log) is named.
   */
  public static final int MAX_INPUT_BYTES = 8 * 1024;
  public static final int MAX_REASON_LENGTH = 1024;

  static final Set<String> OVERRIDE_FIELDS = Set.of("instancePools", "provisionTimeoutSeconds",
      "canarySteps", "bakeSeconds", "thresholds");
  private static final Set<String> FIELDS = Set.of("action", "modelPackageArn", "modelName",
      "endpointName",
      "instancePools", "provisionTimeoutSeconds", "canarySteps", "bakeSeconds", "thresholds",
      "executionName", "reason", "trigger");
  private static final Set<String> TRIGGER_FIELDS = Set.of("source", "by", "eventId");
  private static final Set<String> THRESHOLD_FIELDS = Set.of("max5xxRate", "p99LatencyMs");
  private static final Pattern SOURCE = Pattern.compile("[a-z][a-z0-9-]{0,63}");
  /** Step Functions execution names as Poolshift and the console make them. */
  private static final Pattern EXECUTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");

  /**
   * The profile's defaults a deploy, plan or migrate may override for this one rollout; null
   * fields keep the profile's value. Pools given here are used exactly as ranked: the profile's
   * {@code keepCurrentTypeFirst} and {@code overrideExistingPools} do not apply to them.
   */
  public record Overrides(List<PoolPreference> instancePools, Integer provisionTimeoutSeconds,
      List<Integer> canarySteps, Integer bakeSeconds, Double max5xxRate, Integer p99LatencyMs) {

    public static final Overrides NONE = new Overrides(null, null, null, null, null, null);

    public Overrides {
      instancePools = instancePools == null ? null : List.copyOf(instancePools);
      canarySteps = canarySteps == null ? null : List.copyOf(canarySteps);
    }

    public boolean isEmpty() {
      return fields().isEmpty();
    }

    /** The input fields this rollout overrides, for the plan's risks and the ledger. */
    public List<String> fields() {
      List<String> out = new ArrayList<>();
      if (instancePools != null) {
        out.add("instancePools");
      }
      if (provisionTimeoutSeconds != null) {
        out.add("provisionTimeoutSeconds");
      }
      if (canarySteps != null) {
        out.add("canarySteps");
      }
      if (bakeSeconds != null) {
        out.add("bakeSeconds");
      }
      if (max5xxRate != null) {
        out.add("thresholds.max5xxRate");
      }
      if (p99LatencyMs != null) {
        out.add("thresholds.p99LatencyMs");
      }
      return out;
    }

    /**
     * The profile with these values in place. {@code migrate} replaces pools the endpoint
     * already runs on: moving it onto the profile's pools is the point of the action.
     */
    public DeploymentProfile applyTo(DeploymentProfile profile, boolean migrate) {
      DeploymentProfile.Builder b = profile.toBuilder();
      if (instancePools != null) {
        b.instancePools(instancePools).keepCurrentTypeFirst(false).overrideExistingPools(true);
      } else if (migrate) {
        b.overrideExistingPools(true);
      }
      if (provisionTimeoutSeconds != null) {
        b.provisionTimeoutSeconds(provisionTimeoutSeconds);
      }
      if (canarySteps != null) {
        b.canarySteps(canarySteps);
      }
      if (bakeSeconds != null) {
        b.bakeSeconds(bakeSeconds);
      }
      if (max5xxRate != null || p99LatencyMs != null) {
        Thresholds t = profile.thresholds();
        b.thresholds(new Thresholds(max5xxRate != null ? max5xxRate : t.max5xxRate(),
            p99LatencyMs != null ? p99LatencyMs : t.p99LatencyMs()));
      }
      return b.build();
    }
  }

  public ExecutionRequest {
    overrides = overrides == null ? Overrides.NONE : overrides;
  }

  public boolean dryRun() {
    return PLAN.equals(action);
  }

  /**
   * A rollback the Model Registry asked for: {@code modelPackageArn} was rejected while the
   * endpoint served it (or was about to return to it).
   */
  public boolean leavesRejectedVersion() {
    return ROLLBACK.equals(action) && trigger != null
        && REGISTRY_REJECTION.equals(trigger.source()) && modelPackageArn != null;
  }

  /**
   * {@code promote}, {@code continue} and {@code abort} act on a running rollout; they never take
   * the lock.
   */
  public boolean operatorAction() {
    return actsOnARunningRollout(action);
  }

  private static boolean actsOnARunningRollout(String action) {
    return PROMOTE.equals(action) || CONTINUE.equals(action) || ABORT.equals(action);
  }

  /** {@code deploy}, {@code plan} and {@code migrate} canary a package onto instance pools. */
  public boolean canaried() {
    return DEPLOY.equals(action) || PLAN.equals(action) || MIGRATE.equals(action);
  }

  /** @throws InvalidInputException naming every field that is wrong */
  public static ExecutionRequest parse(Object json) {
    String what = "rollout input";
    if (!(json instanceof Map<?, ?> root)) {
      throw new InvalidInputException(what, "(root)",
          "must be a JSON object (got " + JsonFields.typeName(json) + ")");
    }
    long size = JsonValues.encodedSize(root);
    if (size > MAX_INPUT_BYTES) {
      // Nothing else is read: an input this large is a paste gone wrong, not a request.
      throw new InvalidInputException(what, "(root)", "must be at most " + MAX_INPUT_BYTES
          + " bytes of JSON (got about " + size + ")");
    }
    FieldErrors errors = new FieldErrors();
    JsonFields f = new JsonFields(root, "", errors);
    f.rejectUnknown(FIELDS);
    String action = f.has("action") ? f.string("action", false) : DEPLOY;
    if (action != null && !ACTIONS.contains(action)) {
      errors.add("action", "must be one of " + String.join(", ", ACTIONS) + " (got "
          + SageMakerNames.quote(action) + ")");
      action = null;
    }
    Trigger trigger = trigger(f, errors);
    boolean approval = REGISTRY_APPROVAL.equals(trigger.source());
    if (approval && action != null && !DEPLOY.equals(action)) {
      errors.add("trigger.source", "registry-approval starts deploys only (got action " + action
          + ")");
    }

    boolean rejection = REGISTRY_REJECTION.equals(trigger.source());
    if (rejection && action != null && !ROLLBACK.equals(action)) {
      errors.add("trigger.source", "registry-rejection starts rollbacks only (got action "
          + action + ")");
    }

    ModelPackageArn arn = null;
    boolean needsPackage = DEPLOY.equals(action) || PLAN.equals(action)
        || (rejection && ROLLBACK.equals(action));
    boolean takesPackage = needsPackage || MIGRATE.equals(action) || action == null;
    if (takesPackage) {
      String rawArn = f.string("modelPackageArn", needsPackage);
      if (rawArn != null) {
        try {
          arn = ModelPackageArn.parse(rawArn);
        } catch (InvalidInputException e) {
          e.errors().forEach(err -> errors.add(err.path(), err.message()));
        }
      }
    } else {
      notUsed(f, errors, "modelPackageArn", action, ROLLBACK.equals(action)
          ? "it returns to the release before the current one, as the ledger records it (only"
              + " a registry-rejection rollback names the rejected version it leaves)"
          : "it acts on the rollout running on endpointName");
    }

    String modelName = null;
    if (MIGRATE.equals(action) || action == null) {
      modelName = f.string("modelName", false);
      if (modelName != null) {
        SageMakerNames.checkName(errors, "modelName", modelName);
        if (f.has("modelPackageArn")) {
          errors.add("modelName", "give the package the endpoint serves (modelPackageArn) or,"
              + " for a model that did not come from the Model Registry, the model (modelName),"
              + " not both");
        }
      }
    } else {
      notUsed(f, errors, "modelName", action, "only migrate names a model that did not come from"
          + " the Model Registry; deploy and plan ship a model package (modelPackageArn)");
    }

    String endpointName = f.string("endpointName", false);
    if (endpointName != null) {
      SageMakerNames.checkName(errors, "endpointName", endpointName);
    } else if (!f.has("endpointName") && !(approval && DEPLOY.equals(action))) {
      errors.add("endpointName", "required (name the endpoint this "
          + (action == null ? "action" : action) + " may change)");
    }

    Overrides overrides = Overrides.NONE;
    if (action == null || DEPLOY.equals(action) || PLAN.equals(action)
        || MIGRATE.equals(action)) {
      overrides = overrides(f, errors);
    } else {
      for (String field : OVERRIDE_FIELDS.stream().sorted().toList()) {
        notUsed(f, errors, field, action, "only deploy, plan and migrate take the profile's"
            + " overrides");
      }
    }

    String executionName = null;
    if (action == null || actsOnARunningRollout(action)) {
      executionName = f.string("executionName", false);
      if (executionName != null && !EXECUTION_NAME.matcher(executionName).matches()) {
        errors.add("executionName", "must be the name of the running rollout's execution:"
            + " 1–80 of A-Z a-z 0-9 _ - (got " + SageMakerNames.quote(executionName) + ")");
      }
    } else {
      notUsed(f, errors, "executionName", action,
          "only promote, continue and abort name the rollout they act on");
    }

    boolean needsReason = ROLLBACK.equals(action) || actsOnARunningRollout(action);
    String reason = f.string("reason", false);
    if (reason != null && (reason.isBlank() || reason.length() > MAX_REASON_LENGTH)) {
      errors.add("reason", "must be 1–" + MAX_REASON_LENGTH + " characters saying why (got "
          + (reason.isBlank() ? "a blank one" : reason.length() + "") + ")");
    } else if (needsReason && !f.has("reason")) {
      errors.add("reason", "required for " + action
          + " (say why: it goes to the ledger and the on-call notification)");
    }
    errors.throwIfAny(what);
    return new ExecutionRequest(action, arn, modelName, endpointName, overrides, executionName,
        reason, trigger);
  }

  private static Trigger trigger(JsonFields f, FieldErrors errors) {
    JsonFields t = f.object("trigger", false);
    if (t == null) {
      return new Trigger(CONSOLE, null, null);
    }
    t.rejectUnknown(TRIGGER_FIELDS);
    String source = t.string("source", true);
    if (source != null && !SOURCE.matcher(source).matches()) {
      errors.add("trigger.source", "must be 1–64 of a-z 0-9 -, starting with a letter (got "
          + SageMakerNames.quote(source) + ")");
    }
    String by = t.string("by", false);
    if (by != null && (by.isBlank() || by.length() > 512)) {
      errors.add("trigger.by", "must be 1–512 characters naming who started it (got "
          + by.length() + ")");
    }
    String eventId = t.string("eventId", false);
    if (eventId != null && eventId.length() > 128) {
      errors.add("trigger.eventId",
          "must be at most 128 characters (got " + eventId.length() + ")");
    }
    return new Trigger(source == null ? CONSOLE : source, by, eventId);
  }

  private static Overrides overrides(JsonFields f, FieldErrors errors) {
    List<PoolPreference> pools = pools(f, errors);
    if (pools != null) {
      DeploymentProfile.checkPools(errors, pools);
    }
    Integer timeout = ranged(f, errors, "provisionTimeoutSeconds",
        DeploymentProfile.MIN_PROVISION_TIMEOUT, DeploymentProfile.MAX_PROVISION_TIMEOUT);
    List<Integer> steps = steps(f, errors);
    if (steps != null) {
      DeploymentProfile.checkCanarySteps(errors, steps);
    }
    Integer bake = ranged(f, errors, "bakeSeconds", DeploymentProfile.MIN_BAKE_SECONDS,
        DeploymentProfile.MAX_BAKE_SECONDS);
    Double rate = null;
    Integer p99 = null;
    JsonFields t = f.object("thresholds", false);
    if (t != null) {
      t.rejectUnknown(THRESHOLD_FIELDS);
      rate = t.number("max5xxRate", false);
      if (rate != null && !(rate >= 0 && rate <= 1)) {
        errors.add("thresholds.max5xxRate", "must be a fraction 0–1, e.g. 0.001 for 0.1% (got "
            + rate + ")");
        rate = null;
      }
      Long p = t.integer("p99LatencyMs", false);
      if (p != null) {
        DeploymentProfile.checkRange(errors, "thresholds.p99LatencyMs", p, 1, 600_000);
        p99 = p >= 1 && p <= 600_000 ? p.intValue() : null;
      }
    }
    return new Overrides(pools, timeout, steps, bake, rate, p99);
  }

  private static Integer ranged(JsonFields f, FieldErrors errors, String key, int min, int max) {
    if (!f.has(key)) {
      return null;
    }
    Long v = f.integer(key, false);
    if (v == null) {
      return null;
    }
    if (v < min || v > max) {
      DeploymentProfile.checkRange(errors, key, v, min, max);
      return null;
    }
    return v.intValue();
  }

  private static List<PoolPreference> pools(JsonFields f, FieldErrors errors) {
    if (!f.has("instancePools")) {
      return null;
    }
    List<?> raw = f.list("instancePools", false);
    if (raw == null) {
      return null;
    }
    List<PoolPreference> pools = PoolPreference.parseAll(raw, errors);
    if (pools == null) {
      return null;
    }
    if (pools.isEmpty()) {
      errors.add("instancePools", "at least 1 entry (got 0)");
      return null;
    }
    return pools;
  }

  private static List<Integer> steps(JsonFields f, FieldErrors errors) {
    if (!f.has("canarySteps")) {
      return null;
    }
    List<?> raw = f.list("canarySteps", false);
    if (raw == null) {
      return null;
    }
    return JsonFields.clampedIntegers("canarySteps", raw, errors);
  }

  private static void notUsed(JsonFields f, FieldErrors errors, String field, String action,
      String why) {
    if (f.has(field)) {
      errors.add(field, "not used by action " + action + " (" + why + ")");
    }
  }
}
