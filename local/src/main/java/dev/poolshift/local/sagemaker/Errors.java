package dev.poolshift.local.sagemaker;

import dev.poolshift.local.aws.AwsServiceException;

/**
 * The errors SageMaker returns, with the codes and message shapes it uses on the wire (see
 * docs/sagemaker.md, "Endpoint statuses and errors").
 * "Not found" for endpoints, configs and models is a {@code ValidationException} there, not
 * {@code ResourceNotFound}; constraint violations use the AWS "1 validation error detected" form,
 * which names the offending member.
 */
final class Errors {
  private Errors() {}

  static AwsServiceException validation(String message) {
    return AwsServiceException.client("ValidationException", message);
  }

  /** {@code 1 validation error detected: Value 'x' at 'path' failed to satisfy constraint: ...}. */
  static AwsServiceException constraint(String path, Object value, String constraint) {
    String shown = value == null ? "null" : "'" + value + "'";
    return validation("1 validation error detected: Value " + shown + " at '" + path
        + "' failed to satisfy constraint: " + constraint);
  }

  static AwsServiceException required(String path) {
    return constraint(path, null, "Member must not be null");
  }

  /** A member of the wrong JSON type: the JSON 1.1 front end rejects it before validation. */
  static AwsServiceException serialization(String path, String expected) {
    return AwsServiceException.client("SerializationException",
        "Cannot deserialize '" + path + "': expected " + expected);
  }

  static AwsServiceException resourceLimit(String message) {
    return AwsServiceException.client("ResourceLimitExceeded", message);
  }

  static AwsServiceException notFound(String message) {
    return AwsServiceException.client("ResourceNotFound", message);
  }

  static AwsServiceException throttling() {
    return AwsServiceException.client("ThrottlingException", "Rate exceeded");
  }

  static AwsServiceException alreadyExists(String what, String arn) {
    return validation("Cannot create already existing " + what + " \"" + arn + "\".");
  }
}
