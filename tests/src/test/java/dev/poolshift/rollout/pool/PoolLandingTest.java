package dev.poolshift.rollout.pool;

import dev.poolshift.rollout.canary.Verdict;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.PoolCount;
import dev.poolshift.rollout.profile.FallbackPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PoolLandingTest {
  private static final List<InstancePool> REQUESTED = List.of(
      new InstancePool("ml.g5.2xlarge", 1, null),
      new InstancePool("ml.g5.4xlarge", 2, null),
      new InstancePool("ml.g6.2xlarge", 3, "m-g6"));

  @Test
  void aFleetOnThePreferredPoolContinuesUnderAnyPolicy() {
    PoolLanding landing = new PoolLanding(REQUESTED, List.of(new PoolCount("ml.g5.2xlarge", 3)));

    for (FallbackPolicy policy : FallbackPolicy.values()) {
      assertThat(landing.judge(policy).verdict()).isEqualTo(Verdict.CONTINUE);
    }
  }

  @Test
  void aFallbackLandingIsRecordedAndJudgedByPolicy() {
    PoolLanding landing = new PoolLanding(REQUESTED, List.of(
        new PoolCount("ml.g5.2xlarge", 1), new PoolCount("ml.g6.2xlarge", 2)));

    assertThat(landing.fallbackTypes()).containsExactly("ml.g6.2xlarge");
    assertThat(landing.judge(FallbackPolicy.PROCEED).verdict()).isEqualTo(Verdict.CONTINUE);
    assertThat(landing.judge(FallbackPolicy.PAUSE).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(landing.judge(FallbackPolicy.FAIL).verdict()).isEqualTo(Verdict.ROLL_BACK);
    assertThat(landing.judge(FallbackPolicy.FAIL).reason()).contains("[ml.g6.2xlarge]");
  }

  @Test
  void noPerPoolCountsIsNotAPassWhenThePolicyCares() {
    PoolLanding landing = new PoolLanding(REQUESTED, List.of());

    assertThat(landing.judge(FallbackPolicy.FAIL).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
  }

  @Test
  void instancesOnATypeThatWasNotRequestedNeedAPerson() {
    PoolLanding landing = new PoolLanding(REQUESTED, List.of(new PoolCount("ml.p4d.24xlarge", 1)));

    assertThat(landing.judge(FallbackPolicy.PAUSE).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
  }
}
