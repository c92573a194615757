package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.rollout.EndpointNotFoundException;
import dev.poolshift.rollout.ServiceCallException;
import dev.poolshift.rollout.TransientServiceException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Error translation must never crash on an answer the service gave without an error code. */
class AwsErrorsTest {

  @Test
  void anErrorWithoutACodeIsAServiceCallErrorNotACrash() {
    AwsServiceException bare = AwsServiceException.builder().statusCode(404).message("no such service")
        .awsErrorDetails(AwsErrorDetails.builder().errorMessage("no such service").build()).build();
    assertThat(AwsErrors.translate("sns:Publish", bare)).isInstanceOf(ServiceCallException.class)
        .hasMessageContaining("no such service");
    assertThat(SageMakerErrors.translate("DescribeEndpoint", bare, EndpointNotFoundException::new))
        .isNotInstanceOf(TransientServiceException.class);
  }

  @Test
  void aBareServerErrorIsTransient() {
    AwsServiceException bare = AwsServiceException.builder().statusCode(503).message("unavailable").build();
    assertThat(AwsErrors.translate("sns:Publish", bare)).isInstanceOf(TransientServiceException.class);
    assertThat(SageMakerErrors.translate("DescribeEndpoint", bare, EndpointNotFoundException::new))
        .isInstanceOf(TransientServiceException.class);
  }
}
