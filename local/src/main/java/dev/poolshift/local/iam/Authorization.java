package dev.poolshift.local.iam;

/**
 * One check IAM makes for a request: may the caller perform {@code action} on {@code resource},
 * with these request-specific condition keys? An operation can need several (an action on two
 * resources, a dependent action such as {@code iam:PassRole}). The caller's own keys
 * ({@code aws:PrincipalArn}, ...) are added when it is evaluated.
 *
 * @param resource an ARN, or {@code *} for an action without resource-level permissions
 */
public record Authorization(String action, String resource, RequestContext context) {
  public static Authorization of(String action, String resource) {
    return new Authorization(action, resource, new RequestContext());
  }
}
