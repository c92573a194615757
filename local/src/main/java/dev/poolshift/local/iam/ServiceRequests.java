package dev.poolshift.local.iam;

import java.util.List;

/**
 * The request context of each operation of one service, as the Service Authorization Reference
 * describes it: the IAM action, the resources it is authorized against and the condition keys
 * the service puts in the context.
 */
interface ServiceRequests {
  /** The service's SigV4 signing name, which the gateway routes by. */
  String signingName();

  /**
   * Every authorization the operation needs, the operation's own action first.
   *
   * @throws UnmappedOperationException for an operation this does not describe
   * @throws MissingMemberException when a member the resource is named by is absent (the
   *     service answers that request with its own validation error)
   */
  List<Authorization> authorizations(WireRequest request);

  /** A member the resource ARN is built from is missing: the service's validation answers first. */
  final class MissingMemberException extends RuntimeException {
    MissingMemberException(String member) {
      super("request has no " + member);
    }
  }
}
