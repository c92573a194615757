package dev.poolshift.local.asl;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How history events name a Task's resource: {@code arn:aws:states:::lambda:invoke} is {@code
 * resourceType "lambda"}, {@code resource "invoke"}; {@code arn:aws:states:::aws-sdk:sagemaker:describeEndpoint}
 * is {@code "aws-sdk:sagemaker"} / {@code "describeEndpoint"}; a callback keeps its suffix in {@code
 * resource} ({@code "invoke.waitForTaskToken"}). A direct Lambda function ARN uses the
 * LambdaFunction* events instead, where {@code resource} is the ARN.
 */
public record ResourceNaming(String resourceType, String resource, boolean directLambda) {
  private static final Pattern INTEGRATION = Pattern.compile("arn:[^:]+:states:::(.+):([^:]+)");
  private static final Pattern FUNCTION = Pattern.compile("arn:[^:]+:lambda:[^:]*:[^:]*:function:.+");

  public static ResourceNaming of(String resourceArn) {
    if (FUNCTION.matcher(resourceArn).matches()) {
      return new ResourceNaming("lambda", resourceArn, true);
    }
    Matcher m = INTEGRATION.matcher(resourceArn);
    if (m.matches()) {
      return new ResourceNaming(m.group(1), m.group(2), false);
    }
    return new ResourceNaming("unknown", resourceArn, false);
  }

  /** Whether the ARN names a Lambda function directly (the legacy form). */
  public static boolean isFunctionArn(String resourceArn) {
    return FUNCTION.matcher(resourceArn).matches();
  }
}
