package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.cloudwatch.AlarmStateValue;
import dev.poolshift.local.sagemaker.EndpointView;
import org.junit.jupiter.api.Test;

/**
 * The promoted fleet is guarded: it bakes under alarms of its own while SageMaker keeps the
 * canary fleet, and every instance type it lands on that the canary was never judged on is
 * judged before the rollout is PROMOTED.
 */
class GuardedPromotionTest {
  private static final String ENDPOINT = "fraud-scoring-prod";

  @Test
  void aPromotionLandingOnATypeTheCanaryNeverRanOnWhereTheModelFailsIsRolledBackNotPromoted() {
    try (Rehearsal r = Rehearsal.of("capacity-returns-bad-type.json", s -> { })) {
      r.runUntilState("Promote onto instance pools");
      assertThat(servingTypes(r)).as("the canary was judged on g6 only")
          .containsOnly("ml.g6.2xlarge");
      r.finish();

      JsonNode execution = r.onlyExecution();
      assertThat(execution.path("outcome").asText()).isEqualTo("ROLLED_BACK");
      assertThat(r.entered("Record the promotion")).isZero();
      assertThat(execution.path("cause").asText())
          .contains("alarm poolshift-fraud-scoring-prod-v2-promoted-5xx-rate is in ALARM");
      assertThat(r.runtime().cloudWatch().transitions()).as("the promoted fleet's alarm on the"
          + " type the canary never ran on").anySatisfy(t -> {
            assertThat(t.alarmName()).isEqualTo(
                "poolshift-fraud-scoring-prod-v2-promoted-5xx-rate-g5-2xlarge");
            assertThat(t.to()).isEqualTo(AlarmStateValue.ALARM);
          });
      r.assertInvariants();
    }
  }

  @Test
  void aModelThatGoesBadAfterThePromotionIsTakenBackWhileSageMakerStillKeepsTheCanaryFleet() {
    try (Rehearsal r = Rehearsal.of("bad-after-promotion.json", s -> { })) {
      r.finish();

      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("ROLLED_BACK");
      assertThat(r.entered("Record the promotion")).isZero();
      assertThat(r.runtime().sageMaker().requireEndpoint(ENDPOINT).configName())
          .isEqualTo("fraud-scoring-prod-config-initial");
      r.assertInvariants();
    }
  }

  @Test
  void aHealthyPromotionBakesUnderItsOwnAlarmsAndIsJudgedBeforeItIsPromoted() {
    try (Rehearsal r = Rehearsal.of("happy-path.json", s -> { })) {
      r.finish();

      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(r.entered("Judge the promoted fleet")).isEqualTo(1);
      assertThat(r.accepted("UpdateEndpoint")).hasSize(2);
      assertThat(r.runtime().cloudWatch().alarms()).as("the rollout's alarms are gone, the"
          + " profile's gate alarm stays").hasSize(1);
      r.assertInvariants();
    }
  }

  @Test
  void theTotalShortageRolloutJudgesThePromotedFleetsNewTypeOnItsOwnTrafficBeforePromoting() {
    try (Rehearsal r = Rehearsal.of("total-shortage.json", s -> { })) {
      r.finish();

      assertThat(r.onlyExecution().path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(r.logsContaining("RolloutStepsFunction", "promoted fleet judged"))
          .anySatisfy(l -> assertThat(l.text()).contains("judged on its own traffic"));
      r.assertInvariants();
    }
  }

  private static java.util.Set<String> servingTypes(Rehearsal r) {
    EndpointView e = r.runtime().sageMaker().requireEndpoint(ENDPOINT);
    java.util.Set<String> types = new java.util.TreeSet<>();
    e.variants().stream().filter(v -> v.name().startsWith("canary-"))
        .forEach(v -> types.addAll(v.servingByInstanceType().keySet()));
    return types;
  }

  @Test
  void aFallbackPoolWhoseLatencyRegressesIsRolledBackThoughNoRequestFails() {
    try (Rehearsal r = Rehearsal.of("fallback-latency-regression.json", s -> { })) {
      r.finish();

      JsonNode execution = r.onlyExecution();
      assertThat(execution.path("outcome").asText()).isEqualTo("ROLLED_BACK");
      assertThat(execution.path("cause").asText()).contains("p99-latency is in ALARM");
      assertThat(r.entered("Promote onto instance pools")).isZero();
      assertThat(r.onlyRollback().path("tActSeconds").asDouble()).isLessThan(5);
      r.assertInvariants();
    }
  }
}
