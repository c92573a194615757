package dev.poolshift.rollout.endpoint;

import dev.poolshift.rollout.InvalidInputException;
import dev.poolshift.rollout.SageMakerNames;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A versioned model package ARN,
 * {@code arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>}.
 * SageMaker lower-cases the resource part of its ARNs, so {@code group} may differ in case from
 * the ModelPackageGroupName; look profiles up by the group name from the event or
 * DescribeModelPackage, not by this field.
 */
public record ModelPackageArn(String partition, String region, String account, String group,
    int version) {

  private static final Pattern ARN = Pattern.compile(
      "arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc)"
          + ":sagemaker:([a-z]{2}(-[a-z]+)+-[0-9]+):([0-9]{12})"
          + ":model-package/([a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})/([1-9][0-9]{0,8})");

  public ModelPackageArn {
    String text = format(partition, region, account, group, version);
    if (!ARN.matcher(text).matches()) {
      throw invalid("modelPackageArn", text);
    }
  }

  /** Parses {@code value}; errors name the field as {@code modelPackageArn}. */
  public static ModelPackageArn parse(String value) {
    return parse("modelPackageArn", value);
  }

  public static ModelPackageArn parse(String path, String value) {
    if (value == null) {
      throw new InvalidInputException(null, path, "required");
    }
    Matcher m = ARN.matcher(value);
    if (!m.matches()) {
      throw invalid(path, value);
    }
    return new ModelPackageArn(m.group(1), m.group(2), m.group(4), m.group(5),
        Integer.parseInt(m.group(7)));
  }

  /** True when the package lives in the given account and region (cross-account guard). */
  public boolean isIn(String expectedAccount, String expectedRegion) {
    return account.equals(expectedAccount) && region.equals(expectedRegion);
  }

  /** The ARN in the case SageMaker reports it, for hashing and comparisons. */
  public String canonical() {
    return toString().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return format(partition, region, account, group, version);
  }

  private static String format(String partition, String region, String account, String group,
      int version) {
    return "arn:" + partition + ":sagemaker:" + region + ":" + account + ":model-package/" + group
        + "/" + version;
  }

  private static InvalidInputException invalid(String path, String value) {
    return new InvalidInputException(null, path, "must be a versioned model package ARN,"
        + " arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version> (got "
        + SageMakerNames.quote(value) + ")");
  }
}
