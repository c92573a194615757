package dev.poolshift.local.lambda;

import dev.poolshift.local.aws.AwsServiceException;

/**
 * An error of the Lambda service itself (not of the function), as the Invoke API returns it: the
 * error code is the exception name the SDK and Step Functions see ({@code Lambda.<code>}).
 */
public final class LambdaServiceException extends AwsServiceException {
  private final String reason;

  public LambdaServiceException(int status, String code, String message, String reason) {
    super(status, code, message);
    this.reason = reason;
  }

  static LambdaServiceException notFound(String arn) {
    return new LambdaServiceException(404, "ResourceNotFoundException", "Function not found: " + arn, null);
  }

  static LambdaServiceException throttled(String reason) {
    return new LambdaServiceException(429, "TooManyRequestsException", "Rate Exceeded.", reason);
  }

  static LambdaServiceException serviceError() {
    return new LambdaServiceException(500, "ServiceException",
        "Lambda was unable to process the request due to an internal service error.", null);
  }

  static LambdaServiceException invalidContent(String message) {
    return new LambdaServiceException(400, "InvalidRequestContentException", message, null);
  }

  static LambdaServiceException tooLarge(int size, int limit) {
    return new LambdaServiceException(413, "RequestTooLargeException",
        "Request must be smaller than " + limit + " bytes for the InvokeFunction operation (got " + size + ")", null);
  }

  /** The {@code Reason} field AWS adds to throttles (e.g. {@code ReservedFunctionConcurrentInvocationLimitExceeded}), or null. */
  public String reason() {
    return reason;
  }

  /** Whether a caller such as Lambda's async queue or EventBridge retries this error. */
  public boolean retriable() {
    return status() == 429 || status() >= 500;
  }
}
