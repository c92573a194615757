package dev.poolshift.aws;

import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.ServiceCallException;
import dev.poolshift.rollout.ServiceThrottledException;
import dev.poolshift.rollout.TransientServiceException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * SDK exceptions of the coordination services (DynamoDB, CloudWatch, SNS, Step Functions) →
 * Poolshift exceptions: no answer and 5xx are {@link TransientServiceException} (the workflow
 * retries them with back-off), throttling {@link ServiceThrottledException} (retried longer), the rest {@link ServiceCallException} with the service's
 * code. Adapters catch the specific outcomes they understand (a failed condition, an unknown
 * token) before this.
 */
final class AwsErrors {
  private static final Set<String> THROTTLING_CODES = Set.of("ThrottlingException", "Throttling",
      "ThrottledException", "RequestLimitExceeded", "TooManyRequestsException",
      "ProvisionedThroughputExceededException", "RequestThrottledException");
  private static final Set<String> TRANSIENT_CODES = Set.of(
      "TransactionConflictException", "InternalFailure",
      "InternalServerError", "InternalServiceError", "InternalServiceFault", "ServiceUnavailable",
      "ServiceUnavailableException", "RequestTimeout", "RequestTimeoutException",
      // Application Auto Scaling: another change to the same target is still pending.
      "ConcurrentUpdateException");

  private AwsErrors() {}

  static RolloutException translate(String call, SdkException e) {
    if (e instanceof SdkClientException) {
      return new TransientServiceException(call + ": " + e.getMessage(), e);
    }
    if (e instanceof AwsServiceException ase) {
      String code = code(ase);
      String text = call + ": " + (code == null ? "" : code + ": ") + message(ase);
      // Set.of(...).contains(null) throws: an answer without an error code (a bare 4xx/5xx) is possible.
      if (ase.isThrottlingException() || (code != null && THROTTLING_CODES.contains(code))) {
        return new ServiceThrottledException(text, e);
      }
      if (ase.statusCode() >= 500 || (code != null && TRANSIENT_CODES.contains(code))) {
        return new TransientServiceException(text, e);
      }
      return new ServiceCallException(text, e);
    }
    return new ServiceCallException(call + ": " + e.getMessage(), e);
  }

  static String code(AwsServiceException e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  static String message(AwsServiceException e) {
    return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
        ? e.awsErrorDetails().errorMessage() : String.valueOf(e.getMessage());
  }
}
