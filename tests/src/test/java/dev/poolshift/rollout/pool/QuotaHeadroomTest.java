package dev.poolshift.rollout.pool;

import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.InstancePool;
import dev.poolshift.rollout.endpoint.VariantSpec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaHeadroomTest {
  private static final String G5 = "ml.g5.2xlarge";
  private static final String G5X4 = "ml.g5.4xlarge";
  private static final String G6 = "ml.g6.2xlarge";

  /** Today: 2 × g5.2xlarge. Canary config: that copy + a 2-instance canary on g5/g5.4x/g6 pools. */
  private final VariantSpec baseline = new VariantSpec("AllTraffic", "m1", 2, G5, List.of(), null, 1.0, Map.of());
  private final VariantSpec canary = new VariantSpec("canary-v2", "m2", 2, null, List.of(
      new InstancePool(G5, 1, null), new InstancePool(G5X4, 2, null), new InstancePool(G6, 3, null)),
      1200, 0.0, Map.of());
  private final EndpointConfigSpec canaryConfig = new EndpointConfigSpec("c", List.of(baseline, canary),
      Map.of(), Map.of());
  private final EndpointConfigSpec finalConfig = new EndpointConfigSpec("f",
      List.of(canary.withName("AllTraffic").withWeight(1.0)), Map.of(), Map.of());
  private final Map<String, Integer> serving = Map.of(G5, 2);

  private QuotaHeadroom headroom(Map<String, Integer> quotas, Map<String, Integer> inUse, boolean complete) {
    return new QuotaHeadroom(serving, canaryConfig, finalConfig, quotas, inUse, 3, complete);
  }

  @Test
  void theTypesARolloutMayProvisionAreEveryTypeAndPoolOfBothConfigs() {
    assertThat(QuotaHeadroom.types(canaryConfig, finalConfig)).containsExactly(G5, G5X4, G6);
  }

  @Test
  void aTypeWhoseCanaryAndBaselineCopyMayExceedTheHeadroomIsARiskWithItsNumbers() {
    QuotaHeadroom h = headroom(Map.of(G5, 5, G5X4, 8, G6, 8), Map.of(G5, 3), true);

    assertThat(h.risks()).contains("ml.g5.2xlarge: quota 5, in use 3, this rollout needs up to 4 more (while"
        + " moving onto the canary config): UpdateEndpoint fails with ResourceLimitExceeded and the endpoint"
        + " stays as it is; raise the quota in Service Quotas or free instances before deploying");
    assertThat(h.risks().getFirst()).startsWith("quota headroom for the second fleet")
        .contains("ml.g5.2xlarge quota 5, in use 3, needs up to 4 more; ml.g5.4xlarge quota 8, in use 0,"
            + " needs up to 4 more; ml.g6.2xlarge quota 8, in use 0, needs up to 4 more");
    assertThat(h.refusal()).as("the baseline copy's 2 fit in the headroom of 2").isEmpty();
  }

  @Test
  void aBlueGreenSwitchNeedsOnlyTheFinalFleetNextToTodaysNotACanaryConfig() {
    // An asynchronous endpoint is switched at once: no canary config, no baseline copy.
    QuotaHeadroom h = new QuotaHeadroom(serving, null, finalConfig, Map.of(G5, 4, G5X4, 0, G6, 0),
        Map.of(G5, 2), 3, true);

    assertThat(QuotaHeadroom.types(null, finalConfig)).containsExactly(G5, G5X4, G6);
    assertThat(h.risks().getFirst()).contains("ml.g5.2xlarge quota 4, in use 2, needs up to 2 more");
    assertThat(h.refusal()).as("the final fleet's 2 fit in the g5 headroom of 2").isEmpty();
    assertThat(new QuotaHeadroom(serving, null, finalConfig, Map.of(G5, 2, G5X4, 0, G6, 0),
        Map.of(G5, 2), 3, true).refusal()).hasValueSatisfying(r ->
        assertThat(r).startsWith("variant AllTraffic of the final config has no pool with quota headroom"));
  }

  @Test
  void enoughHeadroomEverywhereLeavesOnlyTheSummary() {
    QuotaHeadroom h = headroom(Map.of(G5, 8, G5X4, 4, G6, 4), Map.of(G5, 2), true);

    assertThat(h.risks()).singleElement().asString().startsWith("quota headroom for the second fleet");
    assertThat(h.refusal()).isEmpty();
  }

  @Test
  void aPooledOnlyTypeWithoutRoomSaysInstancesFallToOtherPools() {
    QuotaHeadroom h = headroom(Map.of(G5, 8, G5X4, 4, G6, 0), Map.of(G5, 2), true);

    assertThat(h.risks()).anySatisfy(r -> assertThat(r).startsWith("ml.g6.2xlarge: quota 0, in use 0, this"
        + " rollout needs up to 4 more").contains("go to the variant's lower-priority pools")
        .contains("may refuse the update outright"));
    assertThat(h.refusal()).as("a quota of 0 on one pool is a risk, not a certain failure").isEmpty();
  }

  @Test
  void aBaselineCopyThatCannotFitIsACertainFailure() {
    QuotaHeadroom h = headroom(Map.of(G5, 4, G5X4, 4, G6, 4), Map.of(G5, 3), true);

    assertThat(h.refusal()).hasValueSatisfying(r -> assertThat(r).contains("needs 2 × ml.g5.2xlarge")
        .contains("quota is 4 with 3 in use"));
  }

  @Test
  void aCanaryWithNoPoolThatHasRoomIsACertainFailure() {
    VariantSpec onM5 = new VariantSpec("AllTraffic", "m1", 1, "ml.m5.xlarge", List.of(), null, 1.0, Map.of());
    EndpointConfigSpec config = new EndpointConfigSpec("c", List.of(onM5, canary), Map.of(), Map.of());
    QuotaHeadroom h = new QuotaHeadroom(Map.of("ml.m5.xlarge", 1), config, finalConfig,
        Map.of("ml.m5.xlarge", 9, G5, 2, G5X4, 1, G6, 1), Map.of("ml.m5.xlarge", 1, G5, 2, G5X4, 1, G6, 1), 2, false);

    assertThat(h.refusal()).hasValueSatisfying(r -> assertThat(r).isEqualTo("variant canary-v2 of the canary"
        + " config has no pool with quota headroom: ml.g5.2xlarge (quota 2, in use 2), ml.g5.4xlarge (quota 1,"
        + " in use 1), ml.g6.2xlarge (quota 1, in use 1); SageMaker cannot place any of its instances"));
  }

  @Test
  void aPoolWithUnlistedQuotaIsNotCountedAsFull() {
    QuotaHeadroom h = headroom(Map.of(G5, 4, G5X4, 0), Map.of(G5, 2), true);

    assertThat(h.refusal()).isEmpty();
    assertThat(h.risks()).anySatisfy(r -> assertThat(r).startsWith("Service Quotas lists no applied \"for"
        + " endpoint usage\" quota for ml.g6.2xlarge: check them by hand"));
  }

  @Test
  void aPartialCountSaysTheRealHeadroomMayBeSmaller() {
    QuotaHeadroom h = headroom(Map.of(G5, 8, G5X4, 4, G6, 4), Map.of(G5, 2), false);

    assertThat(h.risks().getFirst()).contains("(in use counts 3 endpoints only: the account has more, or some"
        + " could not be read, so the real headroom may be smaller)");
  }

  @Test
  void promotingNeedsTheFinalFleetNextToTheCanaryConfigOnceTheOldFleetIsGone() {
    EndpointConfigSpec fin = new EndpointConfigSpec("f", List.of(new VariantSpec("AllTraffic", "m2", 6, G5,
        List.of(), null, 1.0, Map.of())), Map.of(), Map.of());
    QuotaHeadroom exact = new QuotaHeadroom(serving, canaryConfig, fin, Map.of(G5, 10, G5X4, 9, G6, 9),
        Map.of(G5, 2), 1, true);
    QuotaHeadroom oneShort = new QuotaHeadroom(serving, canaryConfig, fin, Map.of(G5, 9, G5X4, 9, G6, 9),
        Map.of(G5, 2), 1, true);

    assertThat(exact.needUpTo(G5)).as("canary 4, then 4 + 6 - 2 while promoting").isEqualTo(8);
    assertThat(exact.risks()).noneMatch(r -> r.startsWith("ml.g5.2xlarge:"));
    assertThat(oneShort.risks()).anySatisfy(r -> assertThat(r).startsWith("ml.g5.2xlarge: quota 9, in use 2, this"
        + " rollout needs up to 8 more (while promoting): UpdateEndpoint fails with ResourceLimitExceeded"));
  }

  @Test
  void unreadableQuotasSayWhyAndWhatTheyMustCover() {
    String line = QuotaHeadroom.unreadable("ListServiceQuotas sagemaker: AccessDeniedException: no", serving,
        canaryConfig, finalConfig);

    assertThat(line).contains("AccessDeniedException").contains("check ml.g5.2xlarge, ml.g5.4xlarge,"
        + " ml.g6.2xlarge by hand").contains("up to 6 × ml.g5.2xlarge while moving onto the canary config");
  }
}
