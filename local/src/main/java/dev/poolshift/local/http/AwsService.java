package dev.poolshift.local.http;

import java.io.IOException;

/**
 * A local AWS service behind the {@link Gateway}. The gateway picks the service from the request's
 * {@code X-Amz-Target} prefix (JSON protocols) or, failing that, from the signing name in the SigV4
 * credential scope ({@code .../us-east-1/<signingName>/aws4_request}).
 */
public interface AwsService {
  /** SigV4 signing name: {@code sagemaker}, {@code states}, {@code dynamodb}, {@code monitoring}, ... */
  String signingName();

  /** {@code X-Amz-Target} prefix before the dot ({@code SageMaker}, {@code AWSStepFunctions}), or null. */
  default String targetPrefix() {
    return null;
  }

  HttpReply handle(HttpCall call) throws IOException;
}
