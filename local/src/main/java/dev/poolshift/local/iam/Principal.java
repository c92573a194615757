package dev.poolshift.local.iam;

import dev.poolshift.local.aws.AwsContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Who signs a request: a function or a state machine of the template, acting through the role
 * Lambda or Step Functions assumes for it, with the temporary credentials the runtime hands out
 * and the policies of that role.
 *
 * @param logicalId the function's or state machine's logical id in the template
 * @param name its physical name (the role session name Lambda uses for a function)
 * @param roleArn the execution role
 * @param roleId the role's unique id ({@code AROA...}), the first half of {@code aws:userid}
 * @param sessionName the role session name in the assumed-role ARN
 * @param sourceArn the function's ARN ({@code lambda:SourceFunctionArn}), null for a state machine
 * @param policies every identity-based policy of the role, in evaluation order
 */
public record Principal(Kind kind, String logicalId, String name, String roleArn, String roleId,
    String sessionName, Credentials credentials, String sourceArn, List<PolicyDocument> policies) {

  public enum Kind { FUNCTION, STATE_MACHINE }

  /** The temporary credentials of the role session, as Lambda puts them in the environment. */
  public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {}

  public Principal {
    policies = List.copyOf(policies);
  }

  /** The role's name: the last segment of its ARN (after any path). */
  public String roleName() {
    return roleArn.substring(roleArn.lastIndexOf('/') + 1);
  }

  /** {@code arn:aws:sts::<account>:assumed-role/<role>/<session>}, as AWS names the caller in errors. */
  public String assumedRoleArn(AwsContext aws) {
    return "arn:" + aws.partition() + ":sts::" + aws.accountId() + ":assumed-role/" + roleName() + "/" + sessionName;
  }

  /** The same principal with one more policy (a rehearsal's declared denial, say). */
  Principal withPolicy(PolicyDocument policy) {
    List<PolicyDocument> all = new ArrayList<>(policies);
    all.add(policy);
    return new Principal(kind, logicalId, name, roleArn, roleId, sessionName, credentials, sourceArn, all);
  }

  /** The same principal without the policy named {@code policyName}. */
  Principal withoutPolicy(String policyName) {
    return new Principal(kind, logicalId, name, roleArn, roleId, sessionName, credentials, sourceArn,
        policies.stream().filter(p -> !p.name().equals(policyName)).toList());
  }
}
