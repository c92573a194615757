package dev.poolshift.rollout.usecase.support;

import dev.poolshift.rollout.Outcome;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.PoolCount;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.plan.ExecutionRequest;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.Notification;
import dev.poolshift.rollout.component.ComponentPlan;
import dev.poolshift.rollout.component.ComponentSpecification;
import dev.poolshift.rollout.component.ComponentUpdate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The messages an on-call reads at 3 AM: which endpoint and package, where traffic is now (read
 * from DescribeEndpoint when the message is written, not assumed), why, and the one action that
 * puts it back. Subjects are ASCII and under 100 characters (SNS's rule for e-mail subjects).
 */
public final class Notifications {
  private static final int MAX_SUBJECT = 99;

  private Notifications() {}

  public static Notification promoted(PlanDocument plan, ExecutionRef exec, EndpointState now) {
    String subject = "Poolshift: " + plan.endpointName() + " now serves "
        + plan.modelPackageGroup() + " v" + plan.modelPackageVersion();
    if (plan.components() != null) {
      return new Notification(subject(subject), header(plan, exec)
          + "Outcome: PROMOTED. Every copy of the inference components "
          + plan.components().componentNames() + " runs the new version on instance pools.\n"
          + traffic(now) + componentsWayBack(plan));
    }
    String body = header(plan, exec)
        + "Outcome: PROMOTED. The new version serves the endpoint on instance pools.\n"
        + traffic(now)
        + "Before: endpoint config " + plan.baseline().endpointConfigName() + ".\n"
        + "Now:    endpoint config " + plan.finalConfigName() + ".\n\n"
        + "To put it back (the previous config and its models are kept):\n"
        + "  aws sagemaker update-endpoint --endpoint-name " + plan.endpointName()
        + " --endpoint-config-name " + plan.baseline().endpointConfigName()
        + " --retain-all-variant-properties\n";
    return new Notification(subject(subject), body);
  }

  /**
   * An inference-component rollout is put back on the components, not the endpoint config: one
   * UpdateInferenceComponent each with the specifications it ran before (their models are kept),
   * all copies at once; then, when the rollout moved the endpoint onto pools, the endpoint back
   * on its original config, for which those specifications were made.
   */
  private static String componentsWayBack(PlanDocument plan) {
    ComponentPlan c = plan.components();
    StringBuilder b = new StringBuilder("Before: ");
    c.restores().forEach(r -> b.append(r.inferenceComponentName()).append(" on ")
        .append(models(r)).append("; "));
    b.append("endpoint config ").append(plan.baseline().endpointConfigName()).append(".\n")
        .append("Now:    ");
    c.updates().forEach(u -> b.append(u.inferenceComponentName()).append(" on ")
        .append(models(u)).append("; "));
    b.append("endpoint config ").append(plan.finalConfigName()).append(".\n\n")
        .append("To put it back (the previous models").append(c.pooledConfig() == null ? ""
            : " and endpoint config").append(" are kept), for each component:\n");
    int n = 1;
    for (ComponentUpdate r : c.restores()) {
      b.append("  ").append(n++).append(". aws sagemaker update-inference-component")
          .append(" --inference-component-name ").append(r.inferenceComponentName())
          .append(wayBackSpecifications(r.specifications()))
          .append(" --deployment-config ").append(shellQuoted(json(Map.of(
              "RollingUpdatePolicy", Map.of("MaximumBatchSize", Map.of("Type",
                  "CAPACITY_PERCENT", "Value", r.batchPercent()), "WaitIntervalInSeconds",
                  r.waitIntervalSeconds(), "MaximumExecutionTimeoutInSeconds",
                  r.maximumExecutionTimeoutSeconds())))))
          .append("\n");
    }
    if (c.pooledConfig() != null) {
      b.append("  ").append(n).append(". when every component is InService again: aws sagemaker")
          .append(" update-endpoint --endpoint-name ").append(plan.endpointName())
          .append(" --endpoint-config-name ").append(plan.baseline().endpointConfigName())
          .append(" --retain-all-variant-properties\n");
    }
    return b.toString();
  }

  private static List<String> models(ComponentUpdate u) {
    return u.specifications().stream().map(s -> (s.instanceType() == null ? "every type"
        : s.instanceType()) + ": " + s.modelName()).toList();
  }

  /** One Specification for every type is given back in that form, as the component ran it. */
  private static String wayBackSpecifications(List<ComponentSpecification> specs) {
    return specs.size() == 1 && specs.getFirst().instanceType() == null
        ? " --specification " + shellQuoted(json(specs.getFirst().toWire()))
        : " --specifications " + shellQuoted(json(specs.stream()
            .map(ComponentSpecification::toWire).toList()));
  }

  /**
   * Compact JSON of the plain values a plan holds (maps, lists, strings, numbers, booleans),
   * keys sorted where the map does not keep an order, so a message reads the same every time.
   */
  static String json(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map<?, ?> m) {
      Map<?, ?> ordered = m instanceof LinkedHashMap<?, ?> ? m : new TreeMap<>(m);
      return ordered.entrySet().stream().map(e -> json(String.valueOf(e.getKey())) + ":"
          + json(e.getValue())).collect(Collectors.joining(",", "{", "}"));
    }
    if (value instanceof List<?> l) {
      return l.stream().map(Notifications::json).collect(Collectors.joining(",", "[", "]"));
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    StringBuilder b = new StringBuilder("\"");
    for (char ch : value.toString().toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (ch < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** For a POSIX shell: in single quotes, a quote inside closed, escaped and reopened. */
  private static String shellQuoted(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  public static Notification rolledBack(PlanDocument plan, ExecutionRef exec, Failure failure,
      EndpointState now) {
    String subject = "Poolshift: " + plan.endpointName() + " rolled back, "
        + plan.modelPackageGroup() + " v" + plan.modelPackageVersion() + " not deployed";
    String body = header(plan, exec)
        + "Outcome: ROLLED BACK. All traffic is back on the baseline, endpoint config "
        + plan.baseline().endpointConfigName() + ".\n"
        + "Why: " + why(failure) + "\n"
        + traffic(now)
        + "\nNothing to do to restore service. To try this version again, fix the cause and"
        + " start a rollout from the console with {\"action\": \"deploy\", \"modelPackageArn\": \""
        + plan.modelPackageArn() + "\", \"endpointName\": \"" + plan.endpointName() + "\"}.\n";
    return new Notification(subject(subject), body);
  }

  /**
   * Rolled back as far as traffic goes: every request is served by the baseline version, from
   * its copy in the canary config, because SageMaker could not provision the baseline config
   * again. The reconciler finishes (and says so) when capacity returns; the endpoint stays
   * locked until then.
   */
  public static Notification rolledBackCleanupPending(PlanDocument plan, ExecutionRef exec,
      Failure failure, EndpointState now) {
    String subject = "Poolshift: " + plan.endpointName() + " rolled back, cleanup pending ("
        + plan.modelPackageGroup() + " v" + plan.modelPackageVersion() + " not deployed)";
    String held = plan.heldReason(now);
    String body = header(plan, exec)
        + "Outcome: ROLLED BACK as far as traffic goes. "
        + Character.toUpperCase(held.charAt(0)) + held.substring(1) + ".\n"
        + "Why it rolled back: " + why(failure) + "\n"
        + traffic(now)
        + "\nNothing to do to restore service: the new version serves no request. The endpoint"
        + " stays locked (new rollouts wait) until the reconciler has moved it back to "
        + plan.baseline().endpointConfigName() + "; it tries every few minutes, backing off to"
        + " once an hour, and notifies when it is done. To end the wait sooner, add instance"
        + " pools to the baseline's profile or free capacity of its instance type.\n";
    return new Notification(subject(subject), body);
  }

  /**
   * The canary never served: its fleet did not come up (or came up where the fallback policy
   * refuses), no traffic moved, and the endpoint is back on its baseline.
   */
  public static Notification failedBeforeTraffic(PlanDocument plan, ExecutionRef exec,
      Failure failure, EndpointState now) {
    String subject = "Poolshift: " + plan.modelPackageGroup() + " v" + plan.modelPackageVersion()
        + " not deployed to " + plan.endpointName() + ", its canary never served";
    String body = header(plan, exec)
        + "Outcome: FAILED before any traffic moved: the canary fleet did not come up where the"
        + " profile allows, so no request reached the new version. The endpoint is back on its"
        + " baseline, endpoint config " + plan.baseline().endpointConfigName() + ".\n"
        + "Why: " + why(failure) + "\n"
        + traffic(now)
        + "\nNothing to do to restore service. To try again (for example once capacity is back),"
        + " start a rollout from the console with {\"action\": \"deploy\", \"modelPackageArn\": \""
        + plan.modelPackageArn() + "\", \"endpointName\": \"" + plan.endpointName() + "\"}.\n";
    return new Notification(subject(subject), body);
  }

  /**
   * A start refused (REJECTED) or failed (FAILED) before it held the endpoint. Says why, that
   * nothing changed, and how to try again from the console: the approval's own execution name
   * is taken, a console start is not.
   */
  public static Notification refused(Refusal r, ExecutionRef exec,
      Outcome outcome, Failure failure) {
    String what = (r.action() == null ? "rollout" : r.action())
        + (r.modelPackageArn() == null ? "" : " of " + shortPackage(r.modelPackageArn()))
        + (r.endpointName() == null ? "" : " to " + r.endpointName());
    String subject = "Poolshift: " + what + (outcome == Outcome.REJECTED
        ? " rejected" : " did not start");
    StringBuilder body = new StringBuilder()
        .append(r.endpointName() == null ? "" : "Endpoint: " + r.endpointName() + "\n")
        .append(r.modelPackageArn() == null ? "" : "Model package: " + r.modelPackageArn() + "\n")
        .append("Action: ").append(r.action())
        .append(r.reason() == null ? "" : " (" + r.reason() + ")").append("\n")
        .append("Triggered by: ").append(r.trigger().source())
        .append(r.trigger().by() == null ? "" : " (" + r.trigger().by() + ")").append("\n")
        .append("Execution: ").append(exec.name()).append("\n")
        .append(console(exec.id())).append("\n")
        .append("Outcome: ").append(outcome).append(outcome == Outcome
            .REJECTED ? ", refused before anything changed" : ", failed before the endpoint was"
                + " changed").append(".\n")
        .append("Why: ").append(why(failure)).append("\n");
    if (r.modelPackageArn() != null && r.endpointName() != null
        && !ExecutionRequest.ROLLBACK.equals(r.action())) {
      body.append("\nOnce the cause is fixed, start it again from the console with {\"action\": \"")
          .append(ExecutionRequest.MIGRATE.equals(r.action()) ? "migrate" : "deploy")
          .append("\", \"modelPackageArn\": \"").append(r.modelPackageArn())
          .append("\", \"endpointName\": \"").append(r.endpointName()).append("\"}.\n");
    }
    return new Notification(subject(subject), body.toString());
  }

  private static String shortPackage(String arn) {
    int slash = arn.indexOf("model-package/");
    return slash < 0 ? arn : arn.substring(slash + "model-package/".length()).replace('/', ' ')
        .replaceFirst(" (\\d+)$", " v$1");
  }

  public static Notification failedStart(PlanDocument plan, ExecutionRef exec, Failure failure) {
    String subject = "Poolshift: rollout of " + plan.modelPackageGroup() + " v"
        + plan.modelPackageVersion() + " to " + plan.endpointName() + " did not start";
    String body = header(plan, exec)
        + "Outcome: FAILED before the endpoint was changed; it still serves endpoint config "
        + plan.baseline().endpointConfigName() + ".\n"
        + "Why: " + why(failure) + "\n";
    return new Notification(subject(subject), body);
  }

  public static Notification needsAPerson(PlanDocument plan, ExecutionRef exec, Failure failure,
      String phase, EndpointState now, String stateTable) {
    String subject = "Poolshift ACTION NEEDED: " + plan.endpointName() + " needs a person";
    String body = header(plan, exec)
        + "Outcome: NEEDS A PERSON. The way back to the baseline failed or could not be verified"
        + (phase == null ? "" : " (while " + phase + ")") + ". Poolshift makes no further"
        + " changes and keeps the endpoint locked.\n"
        + "Why: " + why(failure) + "\n"
        + traffic(now)
        + (now != null && now.failureReason() != null
            ? "SageMaker FailureReason: " + now.failureReason() + "\n" : "")
        + "\nTo put traffic back on the baseline:\n"
        + putBack(plan.endpointName(), plan.baseline().variantName(),
            plan.baseline().weight(), plan.canaryVariantName(), plan.canaryConfigName(),
            plan.baseline().endpointConfigName(), now)
        + releaseLock(plan.endpointName(), stateTable);
    return new Notification(subject(subject), body);
  }

  public static Notification returnedToPrevious(PlanDocument plan, ExecutionRef exec,
      EndpointState now) {
    PlanDocument.Restore r = plan.restore();
    String subject = "Poolshift: " + plan.endpointName() + " rolled back to its previous release";
    String body = header(plan, exec)
        + "Outcome: ROLLED BACK to the previous release. The endpoint serves endpoint config "
        + r.endpointConfigName() + (r.modelPackageArn() == null ? ""
            : " (" + r.modelPackageArn() + ")") + " again, the release before "
        + plan.baseline().endpointConfigName() + " (" + plan.baseline().modelPackageArn()
        + ", promoted by " + r.undoesExecution() + ").\n"
        + "Why: " + (plan.reason() == null ? "not given" : plan.reason()) + "\n"
        + traffic(now)
        + "\nTo undo this, deploy the release you left: {\"action\": \"deploy\","
        + " \"endpointName\": \"" + plan.endpointName() + "\", \"modelPackageArn\": \""
        + plan.baseline().modelPackageArn() + "\"}. Rolling back again goes one release"
        + " further back.\n";
    return new Notification(subject(subject), body);
  }

  public static Notification returnFailed(PlanDocument plan, ExecutionRef exec, Failure failure,
      EndpointState now) {
    String subject = "Poolshift: rollback of " + plan.endpointName() + " did not take";
    String body = header(plan, exec)
        + "Outcome: FAILED. The endpoint did not come back on the previous release "
        + plan.restore().endpointConfigName() + "; SageMaker kept (or reverted to) "
        + plan.baseline().endpointConfigName() + ".\n"
        + "Why: " + why(failure) + "\n"
        + traffic(now)
        + (now != null && now.failureReason() != null
            ? "SageMaker FailureReason: " + now.failureReason() + "\n" : "")
        + "\nThe endpoint is released. Fix the cause (capacity for the previous release's"
        + " instance type, its models) and start the rollback again, or deploy a known"
        + " package.\n";
    return new Notification(subject(subject), body);
  }

  public static Notification returnNeedsAPerson(PlanDocument plan, ExecutionRef exec, Failure failure,
      EndpointState now, String stateTable) {
    String subject = "Poolshift ACTION NEEDED: " + plan.endpointName() + " needs a person";
    String body = header(plan, exec)
        + "Outcome: NEEDS A PERSON. The rollback to the previous release "
        + plan.restore().endpointConfigName() + " could not be verified. Poolshift makes no"
        + " further changes and keeps the endpoint locked.\n"
        + "Why: " + why(failure) + "\n"
        + traffic(now)
        + (now != null && now.failureReason() != null
            ? "SageMaker FailureReason: " + now.failureReason() + "\n" : "")
        + "\nTo put the previous release back by hand:\n"
        + putBack(plan.endpointName(), null, 0, null, null,
            plan.restore().endpointConfigName(), now)
        + releaseLock(plan.endpointName(), stateTable);
    return new Notification(subject(subject), body);
  }

  /** @param nextPercent the next step's canary percent; null when the held step is the last */
  public static Notification holding(PlanDocument plan, ExecutionRef exec, int percent,
      Integer nextPercent, String reason, int waitSeconds) {
    String subject = "Poolshift: " + plan.endpointName() + " holds at " + percent
        + "% canary, a person decides";
    String body = header(plan, exec)
        + "The canary of " + plan.modelPackageGroup() + " v" + plan.modelPackageVersion()
        + " serves " + percent + "% of " + plan.baseline().variantName() + "'s traffic and"
        + " holds there: the gate could not decide.\n"
        + "Why: " + reason + "\n\n"
        + "Decide within " + minutes(waitSeconds) + " by starting an execution of the rollout"
        + " state machine with one of these inputs (without a decision it rolls back):\n"
        + "  promote:  {\"action\": \"promote\", \"endpointName\": \"" + plan.endpointName()
        + "\", \"executionName\": \"" + exec.name() + "\", \"reason\": \"...\"}"
        + "  (skips every remaining step)\n"
        + "  continue: {\"action\": \"continue\", \"endpointName\": \"" + plan.endpointName()
        + "\", \"executionName\": \"" + exec.name() + "\", \"reason\": \"...\"}"
        + (nextPercent == null ? "  (the last step: promotes)\n"
            : "  (on to the next step only, " + nextPercent + "%)\n")
        + "  abort:    {\"action\": \"abort\", \"endpointName\": \"" + plan.endpointName()
        + "\", \"executionName\": \"" + exec.name() + "\", \"reason\": \"...\"}\n";
    return new Notification(subject(subject), body);
  }

  public static Notification reconciled(ActiveRollout rollout, String executionStatus,
      EndpointState now) {
    String subject = "Poolshift: " + rollout.endpointName() + " restored after its rollout ended "
        + executionStatus;
    String body = "Endpoint: " + rollout.endpointName() + "\n"
        + packageLine(rollout, "")
        + "Execution: " + rollout.executionName() + " (" + executionStatus + ")\n"
        + console(rollout.executionArn())
        + "\nThe rollout's execution ended " + executionStatus + " without cleaning up. The"
        + " reconciler put the endpoint back on its baseline config "
        + rollout.baselineConfigName() + " and released the lock.\n"
        + traffic(now);
    return new Notification(subject(subject), body);
  }

  /** A rollback's fleet is back on its baseline config: the endpoint is free again. */
  public static Notification cleanupFinished(ActiveRollout rollout, EndpointState now,
      int attempts) {
    String subject = "Poolshift: " + rollout.endpointName() + " back on its baseline config,"
        + " rollback cleanup finished";
    String body = "Endpoint: " + rollout.endpointName() + "\n"
        + packageLine(rollout, " (rolled back)")
        + "Execution: " + rollout.executionName() + "\n"
        + console(rollout.executionArn())
        + "\nThe rollback had put all traffic on the baseline variant, but the baseline config "
        + rollout.baselineConfigName() + " could not be provisioned then. The reconciler has now"
        + " moved the endpoint back to it (attempt " + attempts + "), removed the canary"
        + " variant with its config, and released the lock: new rollouts may start.\n"
        + traffic(now);
    return new Notification(subject(subject), body);
  }

  public static Notification reconcileNeedsAPerson(ActiveRollout rollout, String executionStatus,
      EndpointState now, String stateTable) {
    String subject = "Poolshift ACTION NEEDED: " + rollout.endpointName() + " needs a person";
    String body = "Endpoint: " + rollout.endpointName() + "\n"
        + packageLine(rollout, "")
        + "Execution: " + rollout.executionName() + " (" + executionStatus + ")\n"
        + console(rollout.executionArn())
        + "\nThe rollout's execution ended " + executionStatus + " and the endpoint is "
        + now.status() + ": the reconciler makes no changes to it.\n"
        + (now.failureReason() != null ? "SageMaker FailureReason: " + now.failureReason() + "\n"
            : "")
        + traffic(now)
        + "\nTo put traffic back on the baseline:\n"
        + putBack(rollout.endpointName(), rollout.baselineVariantName(),
            rollout.baselineWeight(), rollout.canaryVariantName(), rollout.canaryConfigName(),
            rollout.baselineConfigName(), now)
        + releaseLock(rollout.endpointName(), stateTable);
    return new Notification(subject(subject), body);
  }

  /**
   * The rollout ended (promoted, rolled back or failed) but the variant's auto scaling could not
   * be put back: the lock stays, the message carries the commands that re-apply it.
   */
  public static Notification scalingNotRestored(PlanDocument plan, ExecutionRef exec, Failure failure,
      EndpointState now, String stateTable) {
    String subject = "Poolshift ACTION NEEDED: " + plan.endpointName()
        + " auto scaling not restored";
    String body = header(plan, exec)
        + "Outcome: NEEDS A PERSON. The endpoint " + (now == null ? "state is unknown"
            : "is " + now.status() + " on " + now.endpointConfigName())
        + ", but its auto scaling, taken out for the rollout, was not put back. Poolshift makes"
        + " no further changes and keeps the endpoint locked.\n"
        + "Why: " + why(failure) + "\n"
        + traffic(now) + "\n"
        + releaseLock(plan.endpointName(), stateTable);
    return new Notification(subject(subject), body);
  }

  /** The reconciler put the endpoint back but not its auto scaling: the lock stays for a person. */
  public static Notification scalingNotRestored(ActiveRollout rollout, String executionStatus,
      EndpointState now, String problem, String stateTable) {
    String subject = "Poolshift ACTION NEEDED: " + rollout.endpointName()
        + " auto scaling not restored";
    String body = "Endpoint: " + rollout.endpointName() + "\n"
        + packageLine(rollout, "")
        + "Execution: " + rollout.executionName() + " (" + executionStatus + ")\n"
        + console(rollout.executionArn())
        + "\nThe endpoint is " + now.status() + " on " + now.endpointConfigName() + ", but "
        + problem + "\n"
        + releaseLock(rollout.endpointName(), stateTable);
    return new Notification(subject(subject), body);
  }

  /**
   * The package a rollout ships; a migrate of a model outside the registry has none, and names
   * the model copies it created instead.
   */
  private static String packageLine(ActiveRollout rollout, String note) {
    return rollout.modelPackageArn() != null
        ? "Model package" + note + ": " + rollout.modelPackageArn() + "\n"
        : "Model" + note + ": not from the Model Registry (copies " + rollout.models()
            + ")\n";
  }

  private static String header(PlanDocument plan, ExecutionRef exec) {
    return "Endpoint: " + plan.endpointName() + "\n"
        + (plan.modelPackageArn() == null ? "" : "Model package: " + plan.modelPackageArn()
            + "\n")
        + (plan.modelPackageArn() != null || plan.rollout() == null ? ""
            : "Model: " + plan.rollout().shipped().describe() + ", running on the pools as "
                + plan.models() + "\n")
        + "Action: " + plan.action() + (plan.reason() == null ? "" : " (" + plan.reason() + ")")
        + "\n"
        + "Triggered by: " + plan.trigger().source()
        + (plan.trigger().by() == null ? "" : " (" + plan.trigger().by() + ")") + "\n"
        + "Execution: " + exec.name() + "\n"
        + console(exec.id()) + "\n";
  }

  private static String console(String executionArn) {
    if (executionArn == null) {
      return "";
    }
    String[] parts = executionArn.split(":");
    if (parts.length < 4) {
      return "";
    }
    String region = parts[3];
    return "Console: https://" + region + ".console.aws.amazon.com/states/home?region=" + region
        + "#/v2/executions/details/" + executionArn + "\n";
  }

  /** Where traffic is, from DescribeEndpoint at the time of writing. */
  static String traffic(EndpointState now) {
    if (now == null) {
      return "Traffic: unknown (DescribeEndpoint failed while writing this message).\n";
    }
    double total = now.productionVariants().stream()
        .mapToDouble(v -> v.currentWeight() == null ? 0 : v.currentWeight()).sum();
    String shares = now.productionVariants().stream()
        .map(v -> v.variantName() + " " + share(v, total) + pools(v.instancePools()))
        .collect(Collectors.joining(", "));
    return "Traffic now: " + (shares.isEmpty() ? "no variants reported" : shares) + " (endpoint "
        + now.status() + ", config " + now.endpointConfigName()
        + (now.pendingConfigName() == null ? "" : ", deploying " + now.pendingConfigName())
        + ").\n";
  }

  private static String share(VariantState v, double total) {
    double w = v.currentWeight() == null ? 0 : v.currentWeight();
    return total > 0 ? String.format(Locale.ROOT, "%.0f%%", 100 * w / total) : "0%";
  }

  private static String pools(List<PoolCount> pools) {
    if (pools.isEmpty()) {
      return "";
    }
    return " on " + pools.stream().map(p -> p.currentInstanceCount() + "x " + p.instanceType())
        .collect(Collectors.joining(" + "));
  }

  private static String putBack(String endpoint, String baselineVariant, double baselineWeight,
      String canaryVariant, String canaryConfig, String baselineConfig, EndpointState now) {
    StringBuilder b = new StringBuilder();
    if (now != null && "Failed".equals(now.status())) {
      b.append("  The endpoint is Failed: SageMaker accepts only DeleteEndpoint on it. Recreate")
          .append(" it from endpoint config ").append(baselineConfig).append(".\n");
      return b.toString();
    }
    if (canaryConfig != null && (now == null || canaryConfig.equals(now.endpointConfigName()))) {
      b.append("  1. aws sagemaker update-endpoint-weights-and-capacities --endpoint-name ")
          .append(endpoint).append(" --desired-weights-and-capacities VariantName=")
          .append(baselineVariant).append(",DesiredWeight=").append(baselineWeight)
          .append(" VariantName=").append(canaryVariant).append(",DesiredWeight=0\n");
    }
    b.append("  ").append(b.isEmpty() ? "1" : "2").append(". when InService: aws sagemaker")
        .append(" update-endpoint --endpoint-name ").append(endpoint)
        .append(" --endpoint-config-name ").append(baselineConfig)
        .append(" --retain-all-variant-properties\n");
    return b.toString();
  }

  private static String releaseLock(String endpoint, String stateTable) {
    return "Then release the endpoint for the next rollout:\n"
        + "  aws dynamodb delete-item --table-name " + (stateTable == null ? "<StateTable>"
            : stateTable) + " --key '{\"pk\":{\"S\":\"ENDPOINT#" + endpoint
        + "\"},\"sk\":{\"S\":\"LOCK\"}}'\n";
  }

  private static String why(Failure failure) {
    if (failure == null) {
      return "not recorded";
    }
    return failure.shortError() + ": " + failure.message()
        + (failure.during() == null ? "" : " (during " + failure.during() + ")");
  }

  private static String minutes(int seconds) {
    return seconds % 60 == 0 ? seconds / 60 + " minutes" : seconds + " seconds";
  }

  /** ASCII only, one line, at most 99 characters. */
  static String subject(String text) {
    String ascii = text.replaceAll("[^\\x20-\\x7E]", "?");
    return ascii.length() <= MAX_SUBJECT ? ascii : ascii.substring(0, MAX_SUBJECT - 3) + "...";
  }
}
