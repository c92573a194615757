package dev.poolshift.local.cloudwatch;

import dev.poolshift.local.aws.AwsServiceException;
import java.util.Collection;

/** CloudWatch's client errors, with the codes and message shapes the service uses. */
final class Validation {
  private Validation() {}

  /** {@code ValidationError}: the generic 400 CloudWatch answers for invalid input. */
  static AwsServiceException error(String message) {
    return AwsServiceException.client("ValidationError", message);
  }

  /** The model-constraint message AWS's request validation produces. */
  static AwsServiceException constraint(String member, Object value, String constraint) {
    return error("1 validation error detected: Value " + (value == null ? "null" : "'" + value + "'") + " at '"
        + member + "' failed to satisfy constraint: " + constraint);
  }

  static <T> T required(String member, T value) {
    if (value == null) {
      throw constraint(member, null, "Member must not be null");
    }
    return value;
  }

  static String length(String member, String value, int min, int max) {
    if (value != null && (value.length() < min || value.length() > max)) {
      throw constraint(member, value, "Member must have length " + (value.length() < min
          ? "greater than or equal to " + min : "less than or equal to " + max));
    }
    return value;
  }

  static Integer atLeast(String member, Integer value, int min) {
    if (value != null && value < min) {
      throw constraint(member, value, "Member must have value greater than or equal to " + min);
    }
    return value;
  }

  static String oneOf(String member, String value, Collection<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      throw constraint(member, value, "Member must satisfy enum value set: " + allowed);
    }
    return value;
  }

  static AwsServiceException invalidParameterValue(String message) {
    return AwsServiceException.client("InvalidParameterValue", message);
  }

  static AwsServiceException invalidParameterCombination(String message) {
    return AwsServiceException.client("InvalidParameterCombination", message);
  }

  static AwsServiceException missingParameter(String message) {
    return AwsServiceException.client("MissingParameter", message);
  }

  /** Periods an alarm accepts: 10, 20, 30 or a multiple of 60 (API:PutMetricAlarm). */
  static boolean validAlarmPeriod(int period) {
    return period == 10 || period == 20 || period == 30 || (period > 0 && period % 60 == 0);
  }

  /** Periods a MetricStat accepts: 1, 5, 10, 20, 30 or a multiple of 60 (API:MetricStat). */
  static boolean validQueryPeriod(int period) {
    return period == 1 || period == 5 || validAlarmPeriod(period);
  }
}
