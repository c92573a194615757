package dev.poolshift.aws;

import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The execution role's credentials from the environment the handler was given: the
 * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN} Lambda
 * sets, read each time a client signs (nothing is kept from SnapStart's init phase). Without
 * them, the SDK's default chain: a SnapStart function is given its credentials through the
 * container credentials endpoint instead, which that chain reads.
 *
 * <p>On Lambda the map is {@code System.getenv()}, so this reads what the default chain would;
 * it matters where several functions share one JVM and each is given an environment of its own.
 */
final class EnvironmentCredentials implements AwsCredentialsProvider {
  private final Map<String, String> env;
  private final AwsCredentialsProvider fallback;

  EnvironmentCredentials(Map<String, String> env, AwsCredentialsProvider fallback) {
    this.env = env;
    this.fallback = fallback;
  }

  @Override
  public AwsCredentials resolveCredentials() {
    String key = env.get("AWS_ACCESS_KEY_ID");
    String secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (key == null || key.isBlank() || secret == null || secret.isBlank()) {
      return fallback.resolveCredentials();
    }
    String token = env.get("AWS_SESSION_TOKEN");
    return token == null || token.isBlank() ? AwsBasicCredentials.create(key, secret)
        : AwsSessionCredentials.create(key, secret, token);
  }
}
