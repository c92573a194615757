package dev.poolshift.local.aws;

/**
 * The one account and Region the local runtime pretends to be. Every ARN the runtime builds comes
 * from here, so a template's {@code !Sub ${AWS::AccountId}} and an ARN in a scenario agree.
 */
public record AwsContext(String partition, String region, String accountId) {
  public static final AwsContext DEFAULT = new AwsContext("aws", "us-east-1", "111122223333");

  /** {@code arn:<partition>:<service>:<region>:<account>:<resource>}. */
  public String arn(String service, String resource) {
    return "arn:" + partition + ":" + service + ":" + region + ":" + accountId + ":" + resource;
  }
}
