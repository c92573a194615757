package dev.poolshift.local.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.json.LocalJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Policies IAM would refuse to store are refused, naming the place, instead of being evaluated. */
class PolicyDocumentTest {
  private static PolicyDocument parse(String json) {
    return PolicyDocument.parse("test policy", LocalJson.parse(json));
  }

  @Test
  void anUnknownConditionOperatorIsRefused() {
    assertThatThrownBy(() -> parse("""
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
          "Condition": {"StringEqualz": {"aws:username": "a"}}}}"""))
        .isInstanceOf(PolicyException.class).hasMessageContaining("unknown condition operator StringEqualz")
        .hasMessageContaining("Statement[0].Condition.StringEqualz.aws:username");
  }

  @Test
  void anIdentityBasedPolicyHasNoPrincipal() {
    assertThatThrownBy(() -> parse("""
        {"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}}"""))
        .isInstanceOf(PolicyException.class).hasMessageContaining("no Principal");
  }

  @Test
  void aStatementNeedsExactlyOneOfActionAndNotAction() {
    assertThatThrownBy(() -> parse("""
        {"Statement": {"Effect": "Allow", "Action": "s3:*", "NotAction": "s3:DeleteBucket", "Resource": "*"}}"""))
        .isInstanceOf(PolicyException.class).hasMessageContaining("exactly one of Action and NotAction");
    assertThatThrownBy(() -> parse("""
        {"Statement": {"Effect": "Allow", "Action": "s3:*"}}"""))
        .isInstanceOf(PolicyException.class).hasMessageContaining("exactly one of Resource and NotResource");
  }

  @Test
  void theEffectIsCaseSensitive() {
    assertThatThrownBy(() -> parse("""
        {"Statement": {"Effect": "allow", "Action": "s3:*", "Resource": "*"}}"""))
        .isInstanceOf(PolicyException.class).hasMessageContaining("Effect must be Allow or Deny");
  }

  @Test
  void nullTakesNeitherIfExistsNorASetQualifier() {
    assertThatThrownBy(() -> parse("""
        {"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*",
          "Condition": {"ForAnyValue:Null": {"aws:TagKeys": "false"}}}}"""))
        .isInstanceOf(PolicyException.class).hasMessageContaining("Null operator");
  }

  @Test
  void conditionValuesMayBeNumbersAndBooleans() {
    PolicyDocument p = parse("""
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
          "Condition": {"NumericLessThanEquals": {"s3:max-keys": 10}, "Bool": {"aws:SecureTransport": true}}}}""");

    RequestContext context = new RequestContext().put("s3:max-keys", "7").put("aws:SecureTransport", "true");
    assertThat(PolicyEvaluator.evaluate(List.of(p), "s3:ListBucket", "*", context).allowed()).isTrue();
  }
}
