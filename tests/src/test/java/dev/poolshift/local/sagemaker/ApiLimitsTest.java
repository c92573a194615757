package dev.poolshift.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.json.LocalJson;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The account's request-rate limits: token buckets refilled on the virtual clock. */
class ApiLimitsTest {
  private final SageMakerFixture f = new SageMakerFixture();

  @BeforeEach
  void endpoint() {
    f.seedChurnProd();
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void aBurstIsServedAndTheNextCallIsThrottledUntilTheBucketRefillsOnTheVirtualClock() {
    f.world.setApiLimits(new ApiLimits(Map.of("DescribeEndpoint", new ApiLimits.Rate(2, 3)), null));

    for (int i = 0; i < 3; i++) {
      describe();
    }
    SageMakerFixture.Raw over = f.call("DescribeEndpoint", LocalJson.object().put("EndpointName", "churn-prod"));
    f.sim.advance(Duration.ofMillis(499));
    AwsServiceException stillOver = catchThrowableOfType(AwsServiceException.class, this::describe);
    f.sim.advance(Duration.ofMillis(1));
    describe();

    assertThat(over.status()).isEqualTo(400);
    assertThat(over.errorCode()).isEqualTo("ThrottlingException");
    assertThat(over.message()).isEqualTo("Rate exceeded");
    assertThat(stillOver).as("half a token after 499 ms at 2/s").isNotNull();
    assertThat(f.world.rateLimitedCalls()).isEqualTo(2);
  }

  @Test
  void theAccountBucketHoldsEveryOperationAndAThrottledCallTakesNoToken() {
    f.world.setApiLimits(new ApiLimits(Map.of("DescribeEndpoint", new ApiLimits.Rate(1, 1)),
        new ApiLimits.Rate(1, 2)));

    describe();
    AwsServiceException own = catchThrowableOfType(AwsServiceException.class, this::describe);
    listEndpoints();
    AwsServiceException account = catchThrowableOfType(AwsServiceException.class, this::listEndpoints);

    assertThat(own).as("DescribeEndpoint's own bucket is empty").isNotNull();
    assertThat(account).as("the account's two tokens went to the two served calls").isNotNull();
    assertThat(f.world.rateLimitedCalls()).isEqualTo(2);
  }

  @Test
  void theDefaultPresetLimitsEveryOperationTheSimulatorServes() {
    assertThat(ApiLimits.DEFAULT.operations().keySet()).containsExactlyInAnyOrderElementsOf(ApiLimits.OPERATIONS);
    assertThat(ApiLimits.DEFAULT.account()).isNotNull();
  }

  private void describe() {
    f.world.handleWire("DescribeEndpoint", LocalJson.object().put("EndpointName", "churn-prod"));
  }

  private void listEndpoints() {
    f.world.handleWire("ListEndpoints", LocalJson.object());
  }
}
