package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.local.servicequotas.QuotaFixture;
import dev.poolshift.rollout.port.InstanceUsage;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** Counting the instances every endpoint runs, against the local SageMaker over the wire. */
class SageMakerInstanceUsageTest {
  private final QuotaFixture f = new QuotaFixture();
  private final SageMakerClient sm = f.sageMaker(new InstancePoolsWirePatch());
  private final SageMakerInstanceUsage usage = new SageMakerInstanceUsage(sm, new SageMakerEndpoints(sm));

  @AfterEach
  void close() {
    sm.close();
    f.close();
  }

  @Test
  void countsSingleTypeVariantsAndEachPoolsCurrentInstancesOnEveryEndpoint() {
    f.singleType("churn-prod", "ml.g5.2xlarge", 2);
    f.singleType("fraud-prod", "ml.g5.2xlarge", 1);
    f.world.setCapacity("ml.g5.2xlarge", java.util.List.of(dev.poolshift.local.sagemaker.CapacityPoint.point(0, 4)));
    f.pooled("search-prod", 3, "ml.g5.2xlarge", "ml.g6.2xlarge");

    InstanceUsage.Usage u = usage.endpointInstances(100);

    assertThat(u.byType()).isEqualTo(Map.of("ml.g5.2xlarge", 4, "ml.g6.2xlarge", 2));
    assertThat(u.endpointsRead()).isEqualTo(3);
    assertThat(u.complete()).isTrue();
  }

  @Test
  void stopsAtTheBoundAndSaysTheCountIsPartial() {
    for (int i = 0; i < 4; i++) {
      f.singleType("ep-" + i, "ml.m5.xlarge", 1);
    }

    InstanceUsage.Usage u = usage.endpointInstances(3);

    assertThat(u.endpointsRead()).isEqualTo(3);
    assertThat(u.byType()).isEqualTo(Map.of("ml.m5.xlarge", 3));
    assertThat(u.complete()).isFalse();
  }

  @Test
  void anEndpointWhoseConfigWasDeletedMakesTheCountPartial() {
    f.singleType("churn-prod", "ml.g5.2xlarge", 2);
    f.singleType("fraud-prod", "ml.g5.2xlarge", 1);
    sm.deleteEndpointConfig(b -> b.endpointConfigName("fraud-prod-config"));

    InstanceUsage.Usage u = usage.endpointInstances(100);

    assertThat(u.byType()).isEqualTo(Map.of("ml.g5.2xlarge", 2));
    assertThat(u.complete()).isFalse();
  }

  @Test
  void anUpdateInFlightCountsTheOldFleetAndTheWholeNewOne() {
    f.singleType("churn-prod", "ml.g5.2xlarge", 2);
    sm.createEndpointConfig(b -> b.endpointConfigName("churn-v2").productionVariants(v -> v.variantName("primary")
        .modelName("churn-prod-model").instanceType("ml.g6.2xlarge").initialInstanceCount(2).initialVariantWeight(1f)));
    sm.updateEndpoint(b -> b.endpointName("churn-prod").endpointConfigName("churn-v2"));
    f.sim.advance(java.time.Duration.ofMinutes(6));

    InstanceUsage.Usage u = usage.endpointInstances(100);

    assertThat(f.world.requireEndpoint("churn-prod").status()).isEqualTo("Updating");
    assertThat(u.byType()).as("the new fleet is still launching: SageMaker holds its quota already")
        .isEqualTo(Map.of("ml.g5.2xlarge", 2, "ml.g6.2xlarge", 2));
    assertThat(u.complete()).isTrue();
  }
}
