package dev.poolshift.local.http;

/**
 * Decides, before a local service runs a request, whether its caller may make it: the place
 * where IAM is evaluated. The gateway asks it for every request it routes.
 */
@FunctionalInterface
public interface RequestAuthorizer {
  /** Lets every request through. */
  RequestAuthorizer ALLOW_ALL = (service, call) -> null;

  /** Null to let the request through to {@code service}, or the reply that refuses it. */
  HttpReply authorize(AwsService service, HttpCall call);
}
