package dev.poolshift.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.json.LocalJson;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

class SageMakerThrottlingTest {
  /** Counts HTTP attempts, including the SDK's own retries. */
  private final List<String> attempts = new ArrayList<>();
  private final SageMakerFixture f = new SageMakerFixture(new ExecutionInterceptor() {
    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
      attempts.add(context.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("?"));
    }
  });

  @BeforeEach
  void endpoint() {
    f.seedChurnProd();
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void theSdkAbsorbsAShortBurstOfThrottling() {
    f.world.throttleNext("DescribeEndpoint", 2);

    String status = f.client.describeEndpoint(b -> b.endpointName("churn-prod")).endpointStatusAsString();

    assertThat(status).isEqualTo("InService");
    assertThat(attempts).containsExactly("SageMaker.DescribeEndpoint", "SageMaker.DescribeEndpoint",
        "SageMaker.DescribeEndpoint");
  }

  @Test
  void persistentThrottlingSurfacesAfterTheSdksFourAttempts() {
    f.world.throttle(ThrottleRule.of("UpdateEndpointWeightsAndCapacities", 1.0));

    assertThatThrownBy(() -> f.client.updateEndpointWeightsAndCapacities(b -> b.endpointName("churn-prod")
        .desiredWeightsAndCapacities(w -> w.variantName("primary").desiredWeight(0.5f))))
        .isInstanceOfSatisfying(SageMakerException.class, e -> {
          assertThat(e.isThrottlingException()).isTrue();
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
        });
    assertThat(attempts).hasSize(4);
    assertThat(f.world.mutations()).hasSize(4).allSatisfy(m -> assertThat(m.errorCode()).isEqualTo("ThrottlingException"));
    assertThat(f.world.requireEndpoint("churn-prod").status()).as("nothing changed").isEqualTo("InService");
    assertThat(f.client.describeEndpoint(b -> b.endpointName("churn-prod")).endpointStatusAsString())
        .as("other operations are not throttled").isEqualTo("InService");
  }

  @Test
  void rateBasedThrottlingIsTheSameForTheSameSeedAndOnlyInsideItsWindow() {
    List<Integer> first = throttledPattern(42);
    List<Integer> second = throttledPattern(42);

    assertThat(first).isEqualTo(second);
    assertThat(first).hasSizeBetween(5, 15).as("about half of 20 calls");
    f.world.clearThrottling();
    f.world.throttle(ThrottleRule.of(null, 1.0).between(SageMakerFixture.T0.plusSeconds(60), SageMakerFixture.T0.plusSeconds(120)));
    assertThat(f.call("DescribeEndpoint", LocalJson.object().put("EndpointName", "churn-prod")).status()).isEqualTo(200);
    f.sim.advance(java.time.Duration.ofSeconds(60));
    assertThat(f.call("DescribeEndpoint", LocalJson.object().put("EndpointName", "churn-prod")).errorCode())
        .isEqualTo("ThrottlingException");
    f.sim.advance(java.time.Duration.ofSeconds(60));
    assertThat(f.call("ListEndpoints", LocalJson.object()).status()).isEqualTo(200);
  }

  /** Indexes of throttled calls among 20 raw DescribeEndpoint calls at 50%, from a fresh seed. */
  private List<Integer> throttledPattern(long seed) {
    f.world.clearThrottling();
    f.world.setRandomSeed(seed);
    f.world.throttle(ThrottleRule.of("DescribeEndpoint", 0.5));
    List<Integer> throttled = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      SageMakerFixture.Raw r = f.call("DescribeEndpoint", LocalJson.object().put("EndpointName", "churn-prod"));
      if (r.status() == 400) {
        assertThat(r.errorCode()).isEqualTo("ThrottlingException");
        assertThat(r.message()).isEqualTo("Rate exceeded");
        throttled.add(i);
      }
    }
    return throttled;
  }
}
