package dev.poolshift.rollout.port;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One line of a rollout's history, kept on its active-rollout record and copied into the ledger:
 * the evidence an operator reads. Stored as a JSON object whose {@code kind} names the record.
 * An entry of a kind this version does not know (written by another version mid-rollout) is read
 * as {@link Other}, keeping its time and kind; fields a kind does not know are ignored.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY,
    property = "kind", visible = true, defaultImpl = HistoryEntry.Other.class)
@JsonSubTypes({
    @JsonSubTypes.Type(value = HistoryEntry.Locked.class, name = "locked"),
    @JsonSubTypes.Type(value = HistoryEntry.FleetChecked.class, name = "fleet"),
    @JsonSubTypes.Type(value = HistoryEntry.Shifted.class, name = "shift"),
    @JsonSubTypes.Type(value = HistoryEntry.Judged.class, name = "verdict"),
    @JsonSubTypes.Type(value = HistoryEntry.PromotedFleet.class, name = "promoted-fleet"),
    @JsonSubTypes.Type(value = HistoryEntry.AlarmFired.class, name = "alarm"),
    @JsonSubTypes.Type(value = HistoryEntry.WeightsRestored.class, name = "weights-restored"),
    @JsonSubTypes.Type(value = HistoryEntry.Superseded.class, name = "superseded"),
    @JsonSubTypes.Type(value = HistoryEntry.OperatorAction.class, name = "operator"),
    @JsonSubTypes.Type(value = HistoryEntry.Restore.class, name = "restore"),
    @JsonSubTypes.Type(value = HistoryEntry.Verified.class, name = "verified"),
    @JsonSubTypes.Type(value = HistoryEntry.CleanupPending.class, name = "cleanup-pending"),
    @JsonSubTypes.Type(value = HistoryEntry.AutoscalingSuspended.class,
        name = "autoscaling-suspended")})
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public sealed interface HistoryEntry {
  Instant at();

  /**
   * The entry's name as stored and as operators read it in the ledger. A property of its own
   * (not only Jackson's type id), so an entry keeps it however it is serialised: inside the
   * ledger's untyped details too.
   */
  @JsonProperty("kind")
  default String kind() {
    return switch (this) {
      case Locked e -> "locked";
      case FleetChecked e -> "fleet";
      case Shifted e -> "shift";
      case Judged e -> "verdict";
      case PromotedFleet e -> "promoted-fleet";
      case AlarmFired e -> "alarm";
      case WeightsRestored e -> "weights-restored";
      case Superseded e -> "superseded";
      case OperatorAction e -> "operator";
      case Restore e -> "restore";
      case Verified e -> "verified";
      case CleanupPending e -> "cleanup-pending";
      case AutoscalingSuspended e -> "autoscaling-suspended";
      case Other e -> e.kind();
    };
  }

  /** The endpoint was locked for the rollout ({@code action}: deploy, migrate, rollback). */
  record Locked(Instant at, String action) implements HistoryEntry {
  }

  /** The canary fleet was checked: live or not, why, and the instances per type it runs on. */
  record FleetChecked(Instant at, boolean live, String reason, Map<String, Integer> poolMix)
      implements HistoryEntry {
  }

  /** A canary step's weights were set. */
  record Shifted(Instant at, int stepIndex, int percent, Map<String, Double> weights)
      implements HistoryEntry {
  }

  /** A canary step was judged, with the evidence. */
  record Judged(Instant at, int stepIndex, int percent, String verdict, String reason,
      long invocations, long errors5xx, Double p99LatencyMs, Map<String, String> alarms)
      implements HistoryEntry {
  }

  /** The promoted fleet was checked. */
  record PromotedFleet(Instant at, boolean live, String reason, Map<String, Integer> poolMix)
      implements HistoryEntry {
  }

  /**
   * A canary alarm went to ALARM; {@code weightsRestored}: the baseline weights were set at once;
   * {@code firstEvaluatedAt}: the start of the earliest period it evaluated (when the errors that
   * fired it can first have begun), null when the event did not say.
   */
  record AlarmFired(Instant at, String alarm, String reason, boolean weightsRestored,
      Instant firstEvaluatedAt) implements HistoryEntry {

    public AlarmFired(Instant at, String alarm, String reason, boolean weightsRestored) {
      this(at, alarm, reason, weightsRestored, null);
    }
  }

  /**
   * The baseline weights were set as soon as the endpoint accepted calls again, after a
   * turnaround ({@code why}) met it busy.
   */
  record WeightsRestored(Instant at, String why) implements HistoryEntry {
  }

  /** A newer rollout asked this one to return to its baseline. */
  record Superseded(Instant at, String by, String modelPackageArn) implements HistoryEntry {
  }

  /**
   * A console action reached the rollout. {@code stepIndex}: the held step a continue moved on.
   * {@code delivered}: what it reached (a parked wait, the next gate or step).
   */
  record OperatorAction(Instant at, String action, String by, String reason, String execution,
      Integer stepIndex, List<String> delivered) implements HistoryEntry {
  }

  /** A rollback to the previous release asked for the endpoint to go from one config to another. */
  record Restore(Instant at, String from, String to) implements HistoryEntry {
  }

  /** The return to the previous release was checked; instances per type, per variant. */
  record Verified(Instant at, boolean live, String reason,
      Map<String, Map<String, Integer>> poolMix) implements HistoryEntry {
  }

  /**
   * The endpoint could not return to its baseline config ({@code reason}: SageMaker's
   * FailureReason); all traffic stays on the baseline variant in the canary config. {@code by}:
   * the workflow (the first attempt) or the reconciler (each later one); {@code attempt}: 1, 2, …
   */
  record CleanupPending(Instant at, String by, int attempt, String reason)
      implements HistoryEntry {
  }

  /**
   * The baseline variant was taken out of Application Auto Scaling for the rollout: its bounds,
   * suspended state, and every policy and scheduled action (settings as JSON text), as kept.
   */
  record AutoscalingSuspended(Instant at, String resourceId, int minCapacity, int maxCapacity,
      Map<String, Object> suspendedState, List<KeptPolicy> policies,
      List<KeptAction> scheduledActions) implements HistoryEntry {
  }

  /** A scaling policy as kept while its variant is out of auto scaling. */
  record KeptPolicy(String policyName, String policyType, String settings) {
  }

  /** A scheduled action as kept while its variant is out of auto scaling. */
  record KeptAction(String scheduledActionName, String settings) {
  }

  /** An entry of a kind this version does not know: its time and kind are kept. */
  record Other(Instant at, String kind) implements HistoryEntry {
  }
}
