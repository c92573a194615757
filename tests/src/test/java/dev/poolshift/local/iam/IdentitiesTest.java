package dev.poolshift.local.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.template.SamTemplate;
import dev.poolshift.local.template.TemplateOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The roles of the template as SAM builds them: who each principal is and what its policies allow. */
class IdentitiesTest {
  static final SamTemplate TEMPLATE = SamTemplate.load(Path.of("template.yaml"), TemplateOptions.defaults()
      .withParameters(Map.of("SageMakerExecutionRoleArn", "arn:aws:iam::111122223333:role/sagemaker-execution")));
  private final Identities identities = Identities.fromTemplate(TEMPLATE);

  private boolean allowed(String logicalId, String action, String resource) {
    Principal p = identities.principal(logicalId);
    return PolicyEvaluator.evaluate(p.policies(), action, resource, new RequestContext()).allowed();
  }

  @Test
  void everyFunctionAndStateMachineSignsWithKeysOfItsOwn() {
    assertThat(identities.principals()).extracting(Principal::logicalId).contains("RolloutStepsFunction",
        "ApprovalIntakeFunction", "EndpointEventsFunction", "AlarmEventsFunction", "ReconcilerFunction",
        "RolloutStateMachine");
    assertThat(identities.principals()).extracting(p -> p.credentials().accessKeyId())
        .doesNotHaveDuplicates().allMatch(k -> k.matches("ASIA[A-Z2-7]{16}"));
    Principal steps = identities.principal("RolloutStepsFunction");
    assertThat(identities.byAccessKeyId(steps.credentials().accessKeyId())).contains(steps);
    assertThat(steps.assumedRoleArn(TEMPLATE.aws()))
        .isEqualTo("arn:aws:sts::111122223333:assumed-role/poolshift-RolloutStepsFunctionRole/poolshift-RolloutStepsFunction");
  }

  @Test
  void theStateMachinesLambdaInvokePolicyIsExpandedAsSamWritesIt() {
    String steps = TEMPLATE.function("RolloutStepsFunction").arn();
    assertThat(allowed("RolloutStateMachine", "lambda:InvokeFunction", steps + ":live")).isTrue();
    assertThat(allowed("RolloutStateMachine", "lambda:InvokeFunction", steps)).isTrue();
    assertThat(allowed("RolloutStateMachine", "lambda:InvokeFunction",
        TEMPLATE.function("AlarmEventsFunction").arn())).isFalse();
  }

  @Test
  void samAddsBasicExecutionXRayForActiveTracingAndTheDeadLetterQueuesSend() {
    assertThat(allowed("EndpointEventsFunction", "logs:PutLogEvents", "arn:aws:logs:us-east-1:111122223333:log-group:x"))
        .isTrue();
    assertThat(allowed("EndpointEventsFunction", "xray:PutTraceSegments", "*")).isTrue();
    String dlq = String.valueOf(TEMPLATE.getAtt("IntakeDeadLetterQueue", "Arn"));
    assertThat(identities.principal("ApprovalIntakeFunction").policies())
        .anySatisfy(p -> assertThat(p.name()).contains("DeadLetterQueue"));
    assertThat(allowed("ApprovalIntakeFunction", "sqs:SendMessage", dlq)).isTrue();
    assertThat(allowed("EndpointEventsFunction", "sqs:SendMessage", dlq)).isFalse();
  }

  @Test
  void aDeclaredDenialWinsOverTheTemplatesAllow() {
    String role = "arn:aws:iam::111122223333:role/sagemaker-execution";
    assertThat(allowed("RolloutStepsFunction", "iam:PassRole", role)).isFalse();
    RequestContext toSageMaker = new RequestContext().put("iam:PassedToService", "sagemaker.amazonaws.com");
    Principal steps = identities.principal("RolloutStepsFunction");
    assertThat(PolicyEvaluator.evaluate(steps.policies(), "iam:PassRole", role, toSageMaker).allowed()).isTrue();

    Iam iam = new Iam(identities, () -> Instant.EPOCH, new Iam.Lookups(arn -> Map.of(),
        name -> Optional.empty(), table -> null, (ns, id, dim) -> "arn"));
    iam.deny("RolloutStepsFunction", "iam:PassRole", null);

    PolicyEvaluator.Decision d = PolicyEvaluator.evaluate(identities.principal("RolloutStepsFunction").policies(),
        "iam:PassRole", role, toSageMaker);
    assertThat(d.outcome()).isEqualTo(PolicyEvaluator.Outcome.EXPLICITLY_DENIED);
    assertThat(d.policy().name()).startsWith("rehearsal denial");
  }

  @Test
  void aPolicyTheRuntimeCannotReadStopsIt(@TempDir Path dir) throws IOException {
    Path template = dir.resolve("template.yaml");
    Files.writeString(template, """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: x.Y::handleRequest
              Runtime: java25
              Policies:
                - AmazonS3FullAccess
                - KMSDecryptPolicy:
                    KeyId: abc
        """);

    SamTemplate t = SamTemplate.load(template);

    assertThatThrownBy(() -> Identities.fromTemplate(t)).isInstanceOf(PolicyException.class)
        .hasMessageContaining("managed policy AmazonS3FullAccess is not known");
  }

  @Test
  void anUnknownSamPolicyTemplateStopsIt(@TempDir Path dir) throws IOException {
    Path template = dir.resolve("template.yaml");
    Files.writeString(template, """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: x.Y::handleRequest
              Runtime: java25
              Policies:
                - KMSDecryptPolicy:
                    KeyId: abc
        """);

    assertThatThrownBy(() -> Identities.fromTemplate(SamTemplate.load(template))).isInstanceOf(PolicyException.class)
        .hasMessageContaining("SAM policy template KMSDecryptPolicy is not known");
  }
}
