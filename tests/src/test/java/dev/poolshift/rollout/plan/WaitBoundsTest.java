package dev.poolshift.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WaitBoundsTest {
  @Test
  void theFleetBoundCoversCapacityDownloadAndHealthCheckOfTheSlowestVariant() {
    RolloutPlan plan = RolloutPlannerTest.plan(RolloutPlannerTest.profile()
        .provisionTimeoutSeconds(1200).build());

    // Canary variant: 1200 s pools + 900 s download (default) + 900 s health check (carried).
    assertThat(WaitBounds.fleetSeconds(plan)).isEqualTo(1200 + 900 + 900 + 600);
  }
}
