package dev.poolshift.aws;

import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.EndpointConfigNotFoundException;
import dev.poolshift.rollout.EndpointNotFoundException;
import dev.poolshift.rollout.ModelNotFoundException;
import dev.poolshift.rollout.ModelPackageNotFoundException;
import dev.poolshift.rollout.ResourceConflictException;
import dev.poolshift.rollout.ResourceLimitExceededException;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.ServiceCallException;
import dev.poolshift.rollout.ServiceThrottledException;
import dev.poolshift.rollout.TransientServiceException;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;

/**
 * SDK exceptions → Poolshift exceptions, at the adapter boundary. SageMaker reports most
 * conditions as a generic {@code ValidationException} (not-found included), so this matches the
 * error code and the message text. The message checks use {@code contains}, case-insensitively,
 * rather than the documented prefixes: the exact wording is partly unconfirmed, and matching
 * loosely errs toward the specific (retryable or not-found) outcome over a generic failure.
 */
final class SageMakerErrors {
  private static final Set<String> THROTTLING = Set.of("ThrottlingException", "Throttling",
      "ThrottledException", "RequestLimitExceeded", "TooManyRequestsException",
      "ProvisionedThroughputExceededException", "RequestThrottledException");
  private static final Set<String> TRANSIENT_CODES = Set.of("InternalFailure",
      "InternalServerError", "InternalServerErrorException", "ServiceUnavailable",
      "ServiceUnavailableException", "ConflictException", "RequestTimeout",
      "RequestTimeoutException");

  private SageMakerErrors() {}

  /** Is this the "name already taken" answer to a Create* call? */
  static boolean isAlreadyExists(SdkException e) {
    return e instanceof ResourceInUseException
        || e instanceof AwsServiceException ase && message(ase).contains("already exist");
  }

  /** Is this a "does not exist" answer, for deletes that treat gone as done? */
  static boolean isNotFound(SdkException e) {
    if (e instanceof ResourceNotFoundException) {
      return true;
    }
    if (!(e instanceof AwsServiceException ase)) {
      return false;
    }
    String m = message(ase);
    return m.contains("could not find") || m.contains("does not exist");
  }

  /** Is this IAM's refusal (AccessDenied / AccessDeniedException)? */
  static boolean isAccessDenied(SdkException e) {
    if (!(e instanceof AwsServiceException ase) || ase.awsErrorDetails() == null) {
      return false;
    }
    String code = ase.awsErrorDetails().errorCode();
    return "AccessDeniedException".equals(code) || "AccessDenied".equals(code)
        || ase.statusCode() == 403 && code == null;
  }

  /**
   * @param call what was attempted, e.g. {@code UpdateEndpoint fraud-scoring-prod}
   * @param notFound the exception for a "not found" this call cannot attribute by its message
   */
  static RolloutException translate(String call, SdkException e,
      BiFunction<String, Throwable, RolloutException> notFound) {
    if (e instanceof SdkClientException) {
      // No answer from the service (connection, timeout, interrupted): the call may be retried.
      return new TransientServiceException(call + ": " + e.getMessage(), e);
    }
    if (!(e instanceof AwsServiceException ase)) {
      return new ServiceCallException(call + ": " + e.getMessage(), e);
    }
    String code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
    String text = call + ": " + (code == null ? "" : code + ": ") + rawMessage(ase);
    String m = message(ase);
    // Set.of(...).contains(null) throws, and an error without a code is possible (a bare 4xx/5xx).
    if (ase.isThrottlingException() || (code != null && THROTTLING.contains(code))) {
      return new ServiceThrottledException(text, e);
    }
    if (ase.statusCode() >= 500 || (code != null && TRANSIENT_CODES.contains(code))) {
      return new TransientServiceException(text, e);
    }
    if (e instanceof software.amazon.awssdk.services.sagemaker.model.ResourceLimitExceededException
        || "ResourceLimitExceeded".equals(code)) {
      return new ResourceLimitExceededException(text, e);
    }
    if (m.contains("cannot update in-progress endpoint")) {
      return new EndpointBusyException(text, e);
    }
    if (m.contains("could not find endpoint configuration")
        || m.contains("could not find endpoint config")) {
      return new EndpointConfigNotFoundException(text, e);
    }
    if (m.contains("could not find endpoint")) {
      return new EndpointNotFoundException(text, e);
    }
    if (m.contains("could not find model package")) {
      return new ModelPackageNotFoundException(text, e);
    }
    if (m.contains("could not find model")) {
      return new ModelNotFoundException(text, e);
    }
    if (isNotFound(e)) {
      return notFound.apply(text, e);
    }
    if (e instanceof ResourceInUseException) {
      return new ResourceConflictException(text, e);
    }
    return new ServiceCallException(text, e);
  }

  static String rawMessage(AwsServiceException e) {
    if (e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null) {
      return e.awsErrorDetails().errorMessage();
    }
    return String.valueOf(e.getMessage());
  }

  private static String message(AwsServiceException e) {
    return rawMessage(e).toLowerCase(Locale.ROOT);
  }
}
