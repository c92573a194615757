package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.cloudwatch.AlarmStateValue;
import dev.poolshift.local.cloudwatch.MetricKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An asynchronous endpoint publishes no {@code Invocations} and takes no weighted canary: the
 * rollout switches it blue/green, bakes the switch under failure-rate and backlog alarms, and
 * judges the whole promoted fleet on its failure rate.
 */
class AsyncEndpointRolloutTest {
  private static final String ENDPOINT = "doc-extract-async";
  private static final String BASELINE_CONFIG = ENDPOINT + "-config-initial";

  @Test
  void anAsyncEndpointIsSwitchedBlueGreenJudgedOnItsFailureRateAndPromoted() {
    try (Rehearsal r = Rehearsal.of("async-endpoint.json", s -> { })) {
      r.finish();

      JsonNode execution = r.onlyExecution();
      assertThat(execution.path("outcome").asText()).isEqualTo("PROMOTED");
      assertThat(r.entered("Create the canary endpoint config")).isZero();
      assertThat(r.entered("Shift traffic to the canary weight")).isZero();
      assertThat(r.entered("Judge the promoted fleet")).isPositive();
      assertThat(r.accepted("UpdateEndpoint")).as("one switch, no canary config").hasSize(1);
      assertThat(r.accepted("UpdateEndpointWeightsAndCapacities")).isEmpty();
      assertThat(r.logsContaining("RolloutStepsFunction", "promoted fleet judged"))
          .anySatisfy(l -> assertThat(l.text()).contains("failure rate"));

      JsonNode config = r.runtime().sageMaker().invoke("DescribeEndpointConfig",
          dev.poolshift.local.json.LocalJson.object().put("EndpointConfigName",
              r.runtime().sageMaker().requireEndpoint(ENDPOINT).configName()));
      assertThat(config.path("AsyncInferenceConfig").path("OutputConfig").path("S3FailurePath")
          .asText()).isEqualTo("s3://doc-extract-111122223333/async/failed/");
      assertThat(config.path("AsyncInferenceConfig").path("ClientConfig")
          .path("MaxConcurrentInvocationsPerInstance").asInt()).isEqualTo(4);
      JsonNode variant = config.path("ProductionVariants").get(0);
      assertThat(variant.path("VariantName").asText()).isEqualTo("AllTraffic");
      assertThat(variant.path("InstancePools")).extracting(p -> p.path("InstanceType").asText())
          .containsExactly("ml.g5.2xlarge", "ml.g6.2xlarge");

      JsonNode target = r.runtime().autoScaling().variantView(ENDPOINT, "AllTraffic")
          .orElseThrow();
      assertThat(target.path("minCapacity").asInt()).as("scale-from-zero survives")
          .isZero();
      assertThat(target.path("maxCapacity").asInt()).isEqualTo(4);
      assertThat(target.path("policies")).extracting(p -> p.path("policyName").asText())
          .containsExactly("doc-extract-async-backlog");
      r.assertInvariants();
    }
  }

  @Test
  void anAsyncEndpointPublishesTheAsyncMetricSetAndNeverInvocations() {
    try (Rehearsal r = Rehearsal.of("async-endpoint.json", s -> { })) {
      r.finish();

      List<MetricKey> published = r.runtime().cloudWatch().metrics()
          .metrics(Instant.EPOCH).stream()
          .filter(k -> ENDPOINT.equals(k.dimensionMap().get("EndpointName"))).toList();
      assertThat(published).extracting(MetricKey::metricName)
          .contains("InvocationsProcessed", "InvocationFailures", "Invocation5XXErrors",
              "ModelLatency", "ApproximateBacklogSize", "HasBacklogWithoutCapacity")
          .doesNotContain("Invocations", "InvocationsPerInstance");
      assertThat(published).filteredOn(k -> k.metricName().equals("HasBacklogWithoutCapacity"))
          .allSatisfy(k -> assertThat(k.dimensionMap()).containsOnlyKeys("EndpointName"));
    }
  }

  @Test
  void aBadAsyncModelIsTakenBackByTheFailureRateAlarmDuringTheSwitchBake() {
    try (Rehearsal r = Rehearsal.of("async-bad-model.json", s -> { })) {
      r.finish();

      JsonNode execution = r.onlyExecution();
      assertThat(execution.path("outcome").asText()).isEqualTo("ROLLED_BACK");
      assertThat(execution.path("cause").asText())
          .contains("alarm poolshift-doc-extract-async-v2-promoted-failure-rate is in ALARM");
      assertThat(r.entered("Record the promotion")).isZero();
      assertThat(r.runtime().sageMaker().requireEndpoint(ENDPOINT).configName())
          .isEqualTo(BASELINE_CONFIG);
      assertThat(r.runtime().cloudWatch().transitions()).anySatisfy(t -> {
        assertThat(t.alarmName()).isEqualTo(
            "poolshift-doc-extract-async-v2-promoted-failure-rate");
        assertThat(t.to()).isEqualTo(AlarmStateValue.ALARM);
      });
      JsonNode target = r.runtime().autoScaling().variantView(ENDPOINT, "AllTraffic")
          .orElseThrow();
      assertThat(target.path("minCapacity").asInt()).isZero();
      r.assertInvariants();
    }
  }
}
