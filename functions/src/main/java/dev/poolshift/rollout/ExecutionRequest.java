package dev.poolshift.rollout;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rollout workflow's input, from the approval intake or typed by a person in the console:
 * <pre>{"action": "deploy"|"plan", "modelPackageArn": "...", "endpointName": "...",
 *  "trigger": {"source": "...", "by": "...", "eventId": "..."}}</pre>
 * Unknown fields are rejected, not ignored ({@code "skipAlarmCheck": true} must not look
 * accepted). A person names the endpoint they mean to change: {@code endpointName} is required
 * unless the registry approval started the rollout (the profile names the endpoint then).
 */
public record ExecutionRequest(
    String action,
    ModelPackageArn modelPackageArn,
    String endpointName,
    Trigger trigger) {

  public static final String DEPLOY = "deploy";
  public static final String PLAN = "plan";
  public static final String REGISTRY_APPROVAL = "registry-approval";
  public static final String CONSOLE = "console";
  private static final Set<String> FIELDS =
      Set.of("action", "modelPackageArn", "endpointName", "trigger");
  private static final Set<String> TRIGGER_FIELDS = Set.of("source", "by", "eventId");
  private static final Pattern SOURCE = Pattern.compile("[a-z][a-z0-9-]{0,63}");

  /** Who or what started the rollout, for the ledger and notifications. */
  public record Trigger(String source, String by, String eventId) {
  }

  public boolean dryRun() {
    return PLAN.equals(action);
  }

  /** @throws InvalidInputException naming every field that is wrong */
  public static ExecutionRequest parse(Object json) {
    String what = "rollout input";
    if (!(json instanceof Map<?, ?> root)) {
      throw new InvalidInputException(what, "(root)",
          "must be a JSON object (got " + JsonFields.typeName(json) + ")");
    }
    FieldErrors errors = new FieldErrors();
    JsonFields f = new JsonFields(root, "", errors);
    f.rejectUnknown(FIELDS);
    String action = f.has("action") ? f.string("action", false) : DEPLOY;
    if (action != null && !DEPLOY.equals(action) && !PLAN.equals(action)) {
      errors.add("action", "must be deploy or plan (got " + SageMakerNames.quote(action) + ")");
    }
    ModelPackageArn arn = null;
    String rawArn = f.string("modelPackageArn", true);
    if (rawArn != null) {
      try {
        arn = ModelPackageArn.parse(rawArn);
      } catch (InvalidInputException e) {
        e.errors().forEach(err -> errors.add(err.path(), err.message()));
      }
    }
    Trigger trigger = new Trigger(CONSOLE, null, null);
    JsonFields t = f.object("trigger", false);
    if (t != null) {
      t.rejectUnknown(TRIGGER_FIELDS);
      String source = t.string("source", true);
      if (source != null && !SOURCE.matcher(source).matches()) {
        errors.add("trigger.source", "must be 1–64 of a-z 0-9 -, starting with a letter (got "
            + SageMakerNames.quote(source) + ")");
      }
      String by = t.string("by", false);
      if (by != null && by.length() > 512) {
        errors.add("trigger.by", "must be at most 512 characters (got " + by.length() + ")");
      }
      String eventId = t.string("eventId", false);
      if (eventId != null && eventId.length() > 128) {
        errors.add("trigger.eventId",
            "must be at most 128 characters (got " + eventId.length() + ")");
      }
      trigger = new Trigger(source, by, eventId);
    }
    String endpointName = f.string("endpointName", false);
    if (endpointName != null) {
      SageMakerNames.checkName(errors, "endpointName", endpointName);
    } else if (!f.has("endpointName") && !REGISTRY_APPROVAL.equals(trigger.source())) {
      errors.add("endpointName", "required (name the endpoint this rollout may change)");
    }
    errors.throwIfAny(what);
    return new ExecutionRequest(action, arn, endpointName, trigger);
  }
}
