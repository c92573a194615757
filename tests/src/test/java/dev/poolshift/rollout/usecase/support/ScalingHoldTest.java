package dev.poolshift.rollout.usecase.support;

import dev.poolshift.rollout.usecase.FakePorts;
import dev.poolshift.rollout.usecase.InMemoryRolloutStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.rollout.EndpointLockedException;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.ScalingNotRestoredException;
import dev.poolshift.rollout.ServiceCallException;
import dev.poolshift.rollout.TransientServiceException;
import dev.poolshift.rollout.port.EndpointLock;
import dev.poolshift.rollout.port.ScalingTargets;
import dev.poolshift.rollout.port.ScalingTargets.ScalingPolicySetup;
import dev.poolshift.rollout.port.ScalingTargets.ScalingSetup;
import dev.poolshift.rollout.port.ScalingTargets.ScalingTarget;
import dev.poolshift.rollout.port.ScalingTargets.ScheduledActionSetup;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Taking a variant out of auto scaling for a rollout and putting it back (docs/situations.md,
 * "Autoscaled variants").
 */
class ScalingHoldTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:05:00Z");
  private static final ScalingSetup SETUP = new ScalingSetup("ep", "AllTraffic", 2, 6,
      Map.of("ScheduledScalingSuspended", true), List.of(new ScalingPolicySetup("weighted",
          "TargetTrackingScaling", Map.of("TargetTrackingScalingPolicyConfiguration",
              Map.of("TargetValue", 0.7, "ScaleInCooldown", 300)))));

  private final InMemoryRolloutStore store = new InMemoryRolloutStore();
  private final Registry registry = new Registry();
  private final FakePorts.InMemoryLedger ledger = new FakePorts.InMemoryLedger();
  private final FakePorts.RecordingNotifier notifier = new FakePorts.RecordingNotifier();
  private final ScalingHold hold = new ScalingHold(registry, store, ledger, notifier);
  /** A daily scale-up before the peak and a one-time action due during the rollout. */
  private static final ScheduledActionSetup DAILY = new ScheduledActionSetup("morning-peak", Map.of(
      "Schedule", "cron(0 8 * * ? *)", "Timezone", "Europe/Berlin", "StartTime", "2026-01-01T00:00:00Z",
      "ScalableTargetAction", Map.of("MinCapacity", 4, "MaxCapacity", 8)));
  private static final ScheduledActionSetup ONCE_AT_NOON_UTC = new ScheduledActionSetup("launch-day",
      Map.of("Schedule", "at(2026-06-01T12:30:00)", "ScalableTargetAction", Map.of("MinCapacity", 5)));

  @BeforeEach
  void lockedAndAutoscaled() {
    store.locks.put("ep", new EndpointLock("ep", "run-1", "arn:run-1", "arn:pkg", NOW));
    registry.targets.put("ep/AllTraffic", SETUP);
  }

  @Test
  void theSetupIsKeptOnTheLockAndTheVariantTakenOut() {
    Optional<dev.poolshift.rollout.port.HistoryEntry> entry = hold.suspend("ep", "run-1", "AllTraffic", NOW);

    assertThat(store.lockOf("ep").orElseThrow().scaling()).isEqualTo(SETUP);
    assertThat(registry.targets).isEmpty();
    assertThat(entry).hasValueSatisfying(e -> assertThat(dev.poolshift.rollout.usecase.RolloutWorld.json(e))
        .containsEntry("kind", "autoscaling-suspended")
        .containsEntry("minCapacity", 2).containsEntry("maxCapacity", 6));
  }

  @Test
  void aRetriedSuspendRemovesAgainButNeverReplacesWhatWasKept() {
    hold.suspend("ep", "run-1", "AllTraffic", NOW);

    Optional<dev.poolshift.rollout.port.HistoryEntry> again = hold.suspend("ep", "run-1", "AllTraffic", NOW);

    assertThat(again).as("recorded once").isEmpty();
    assertThat(registry.removals).isEqualTo(2);
    assertThat(store.lockOf("ep").orElseThrow().scaling()).isEqualTo(SETUP);
  }

  @Test
  void aVariantWithoutATargetIsLeftAlone() {
    registry.targets.clear();

    assertThat(hold.suspend("ep", "run-1", "AllTraffic", NOW)).isEmpty();
    assertThat(registry.removals).isZero();
    assertThat(store.lockOf("ep").orElseThrow().scaling()).isNull();
  }

  @Test
  void withoutTheLockNothingIsTakenOut() {
    assertThatThrownBy(() -> hold.suspend("ep", "run-2", "AllTraffic", NOW))
        .isInstanceOf(EndpointLockedException.class);
    assertThat(registry.targets).containsKey("ep/AllTraffic");
  }

  @Test
  void restoringTwiceLeavesTheSameSetup() {
    hold.suspend("ep", "run-1", "AllTraffic", NOW);

    hold.restore("ep", "run-1", NOW);
    hold.restore("ep", "run-1", NOW);

    assertThat(registry.targets).containsExactly(Map.entry("ep/AllTraffic", SETUP));
    assertThat(registry.applies).isEqualTo(2);
  }

  @Test
  void aPromotionWithWeightedAutoscalingReplacesOnlyTheTargetTrackingPolicies() {
    ScalingPolicySetup step = new ScalingPolicySetup("burst", "StepScaling",
        Map.of("StepScalingPolicyConfiguration", Map.of("AdjustmentType", "ChangeInCapacity")));
    ScalingSetup withStep = new ScalingSetup("ep", "AllTraffic", 2, 6, SETUP.suspendedState(),
        List.of(SETUP.policies().getFirst(), step), List.of(DAILY));
    registry.targets.put("ep/AllTraffic", withStep);
    ScalingPolicySetup weighted = new ScalingPolicySetup("poolshift-weighted-utilization",
        "TargetTrackingScaling", Map.of("TargetTrackingScalingPolicyConfiguration",
            Map.of("TargetValue", 0.6)));
    hold.suspend("ep", "run-1", "AllTraffic", NOW);

    hold.restore("ep", "run-1", NOW, weighted);

    ScalingSetup applied = registry.targets.get("ep/AllTraffic");
    assertThat(applied.policies()).containsExactly(step, weighted);
    assertThat(applied.minCapacity()).isEqualTo(2);
    assertThat(applied.maxCapacity()).isEqualTo(6);
    assertThat(applied.suspendedState()).isEqualTo(SETUP.suspendedState());
    assertThat(applied.scheduledActions()).containsExactly(DAILY);
  }

  @Test
  void withoutAPromotedPolicyTheKeptSetupComesBackExactly() {
    hold.suspend("ep", "run-1", "AllTraffic", NOW);

    hold.restore("ep", "run-1", NOW, null);

    assertThat(registry.targets).containsExactly(Map.entry("ep/AllTraffic", SETUP));
  }

  @Test
  void nothingKeptNothingRestored() {
    hold.restore("ep", "run-1", NOW);

    assertThat(registry.applies).isZero();
  }

  @Test
  void aRefusedRestoreSaysHowToReApplyTheSetup() {
    hold.suspend("ep", "run-1", "AllTraffic", NOW);
    registry.applyFails = new ServiceCallException("RegisterScalableTarget: ValidationException: no");

    assertThatThrownBy(() -> hold.restore("ep", "run-1", NOW)).isInstanceOf(ScalingNotRestoredException.class)
        .hasMessageContaining("ValidationException: no")
        .hasMessageContaining("aws application-autoscaling register-scalable-target --service-namespace sagemaker"
            + " --resource-id endpoint/ep/variant/AllTraffic --scalable-dimension sagemaker:variant:DesiredInstanceCount"
            + " --min-capacity 2 --max-capacity 6 --suspended-state '{\"ScheduledScalingSuspended\":true}'")
        .hasMessageContaining("put-scaling-policy")
        .hasMessageContaining("--policy-name 'weighted' --policy-type TargetTrackingScaling");
  }

  @Test
  void aTransientRestoreFailureIsLeftToTheRetry() {
    hold.suspend("ep", "run-1", "AllTraffic", NOW);
    registry.applyFails = new TransientServiceException("RegisterScalableTarget: ThrottlingException", null);

    assertThatThrownBy(() -> hold.restore("ep", "run-1", NOW)).isInstanceOf(TransientServiceException.class);
  }

  @Test
  void aPageThatLeavesTheEndpointToAPersonSaysTheAutoScalingIsStillOut() {
    var page = new dev.poolshift.rollout.port.Notification("needs a person", "The way back failed.\n");

    var withSetup = ScalingHold.withKeptSetup(page, SETUP);

    assertThat(withSetup.subject()).isEqualTo("needs a person");
    assertThat(withSetup.body()).startsWith("The way back failed.\n")
        .contains("Auto scaling of variant AllTraffic was taken out for the rollout and is still out")
        .contains("--min-capacity 2 --max-capacity 6");
    assertThat(ScalingHold.withKeptSetup(page, null)).isEqualTo(page);
  }

  @Test
  void scheduledActionsAreKeptWithTheSetupAndPutBackWithIt() {
    ScalingSetup withActions = SETUP.withScheduledActions(List.of(DAILY));
    registry.targets.put("ep/AllTraffic", withActions);

    Optional<dev.poolshift.rollout.port.HistoryEntry> entry = hold.suspend("ep", "run-1", "AllTraffic", NOW);
    hold.restore("ep", "run-1", NOW.plusSeconds(3600));

    assertThat(store.lockOf("ep").orElseThrow().scaling().scheduledActions()).containsExactly(DAILY);
    assertThat(registry.targets).containsExactly(Map.entry("ep/AllTraffic", withActions));
    assertThat(entry).hasValueSatisfying(e -> assertThat(dev.poolshift.rollout.usecase.RolloutWorld.json(e).get("scheduledActions").toString())
        .contains("morning-peak").contains("cron(0 8 * * ? *)"));
    assertThat(notifier.sent).as("nothing left out, nothing to tell").isEmpty();
  }

  @Test
  void aOneTimeActionWhoseTimePassedDuringTheRolloutIsLeftOutNotedAndTold() {
    registry.targets.put("ep/AllTraffic", SETUP.withScheduledActions(List.of(DAILY, ONCE_AT_NOON_UTC)));
    ledger.put(new dev.poolshift.rollout.port.LedgerRecord("ep", NOW, "run-1", "arn:run-1", dev.poolshift.rollout.Outcome.PROMOTED, "arn:pkg",
        "cfg-before", "cfg-after", NOW.plusSeconds(3600), Map.of("trigger", "approval")));
    hold.suspend("ep", "run-1", "AllTraffic", NOW);

    hold.restore("ep", "run-1", Instant.parse("2026-06-01T12:30:00Z"));

    assertThat(registry.targets.get("ep/AllTraffic").scheduledActions()).as("the rest is put back")
        .containsExactly(DAILY);
    assertThat(registry.targets.get("ep/AllTraffic").policies()).isEqualTo(SETUP.policies());
    assertThat(ledger.last().details()).containsEntry("trigger", "approval");
    assertThat(ledger.last().details().get("scheduledActionsNotRestored").toString())
        .contains("launch-day").contains("at(2026-06-01T12:30:00)");
    assertThat(notifier.last().subject()).contains("scheduled scaling not restored").contains("launch-day");
    assertThat(notifier.last().body()).contains("launch-day").contains("{\"MinCapacity\":5}")
        .contains("aws application-autoscaling put-scheduled-action --service-namespace sagemaker"
            + " --resource-id endpoint/ep/variant/AllTraffic")
        .doesNotContain("morning-peak");
  }

  @Test
  void aOneTimeActionStillAheadIsPutBackAndItsTimeIsReadInItsTimeZone() {
    // 13:00 in Berlin (summer) is 11:00 UTC: passed at 12:05 UTC though "13:00" reads as later.
    ScheduledActionSetup berlin = new ScheduledActionSetup("berlin-lunch", Map.of(
        "Schedule", "at(2026-06-01T13:00:00)", "Timezone", "Europe/Berlin"));
    ScheduledActionSetup ahead = new ScheduledActionSetup("tonight", Map.of("Schedule", "at(2026-06-01T20:00:00)"));
    registry.targets.put("ep/AllTraffic", SETUP.withScheduledActions(List.of(berlin, ahead)));
    hold.suspend("ep", "run-1", "AllTraffic", NOW);

    hold.restore("ep", "run-1", NOW);

    assertThat(registry.targets.get("ep/AllTraffic").scheduledActionNames()).containsExactly("tonight");
    assertThat(notifier.last().subject()).contains("berlin-lunch");
  }

  @Test
  void theReApplyCommandsIncludeEveryScheduledAction() {
    String commands = ScalingHold.commands(SETUP.withScheduledActions(List.of(DAILY)));

    assertThat(commands).contains("; aws application-autoscaling put-scheduled-action --service-namespace sagemaker"
        + " --resource-id endpoint/ep/variant/AllTraffic --scalable-dimension sagemaker:variant:DesiredInstanceCount"
        + " --scheduled-action-name 'morning-peak' --cli-input-json '")
        .contains("\"Schedule\":\"cron(0 8 * * ? *)\"").contains("\"Timezone\":\"Europe/Berlin\"");
  }

  /** Application Auto Scaling as the port sees it: setups by endpoint/variant. */
  static final class Registry implements ScalingTargets {
    final Map<String, ScalingSetup> targets = new LinkedHashMap<>();
    int removals;
    int applies;
    RolloutException applyFails;

    @Override
    public Optional<ScalingTarget> variant(String endpointName, String variantName) {
      return capture(endpointName, variantName).map(s -> new ScalingTarget(s.resourceId(), s.minCapacity(),
          s.maxCapacity(), s.policyNames()));
    }

    @Override
    public Optional<ScalingSetup> capture(String endpointName, String variantName) {
      return Optional.ofNullable(targets.get(endpointName + "/" + variantName));
    }

    @Override
    public void remove(ScalingSetup setup) {
      removals++;
      targets.remove(setup.endpointName() + "/" + setup.variantName());
    }

    @Override
    public void apply(ScalingSetup setup) {
      applies++;
      if (applyFails != null) {
        throw applyFails;
      }
      targets.put(setup.endpointName() + "/" + setup.variantName(), setup);
    }
  }
}
