package dev.poolshift.local.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.template.RuleDef.Schedule;
import dev.poolshift.local.template.TableDef.KeyElement;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {
  private static final Path APP = Path.of("tests/src/test/resources/template/app.yaml");
  private static final String ACCOUNT_REGION = "us-east-1:111122223333";

  private final SamTemplate template = SamTemplate.load(APP);

  @Test
  void globalsMergeIntoEveryFunctionAndTheFunctionsOwnValuesWin() {
    FunctionDef intake = template.function("IntakeFunction");
    FunctionDef steps = template.function("StepsFunction");

    assertThat(intake.environment()).containsEntry("LOG_LEVEL", "WARN")
        .containsEntry("TABLE_NAME", "poolshift-RolloutsTable")
        .containsEntry("POWERTOOLS_SERVICE_NAME", "poolshift")
        .containsEntry("STATE_MACHINE_ARN", "arn:aws:states:" + ACCOUNT_REGION + ":stateMachine:poolshift-rollout")
        .containsEntry("FIRST_STEP", "10");
    assertThat(steps.environment()).containsEntry("LOG_LEVEL", "DEBUG").doesNotContainKey("STATE_MACHINE_ARN");
    assertThat(intake.timeoutSeconds()).isEqualTo(30);
    assertThat(steps.timeoutSeconds()).isEqualTo(60);
    assertThat(intake.memorySizeMb()).isEqualTo(1024);
    assertThat(intake.runtime()).isEqualTo("java25");
    assertThat(intake.snapStart()).isTrue();
  }

  @Test
  void functionsGetDeterministicNamesFromTheStackOrTheirFunctionName() {
    FunctionDef intake = template.function("IntakeFunction");
    FunctionDef steps = template.function("StepsFunction");

    assertThat(intake.name()).isEqualTo("poolshift-IntakeFunction");
    assertThat(intake.arn()).isEqualTo("arn:aws:lambda:" + ACCOUNT_REGION + ":function:poolshift-IntakeFunction");
    assertThat(steps.name()).isEqualTo("poolshift-steps-dev");
    assertThat(template.ref("IntakeFunction.Alias")).isEqualTo(intake.arn() + ":live");
    assertThat(intake.handler()).isEqualTo("dev.poolshift.handler.IntakeHandler::handleRequest");
    assertThat(intake.reservedConcurrentExecutions()).isEqualTo(5);
    assertThat(steps.reservedConcurrentExecutions()).isNull();
  }

  @Test
  void asyncSettingsAndDeadLetterQueueAreReadFromTheFunction() {
    FunctionDef intake = template.function("IntakeFunction");
    String dlqArn = "arn:aws:sqs:" + ACCOUNT_REGION + ":poolshift-intake-dlq";

    assertThat(intake.asyncConfig()).isEqualTo(new FunctionDef.AsyncInvokeConfig(1, 3600, null, dlqArn));
    assertThat(intake.deadLetterQueue()).isEqualTo(new FunctionDef.DeadLetterTarget("SQS", dlqArn));
    assertThat(template.function("StepsFunction").asyncConfig()).isEqualTo(FunctionDef.AsyncInvokeConfig.DEFAULT);
  }

  @Test
  void parameterOverridesChangeConditionsAndMappings() {
    SamTemplate prod = SamTemplate.load(APP, TemplateOptions.defaults().withParameters(Map.of("Stage", "prod")));

    assertThat(template.functions()).doesNotContainKey("ProdOnlyFunction");
    assertThat(prod.functions()).containsKey("ProdOnlyFunction");
    assertThat(prod.function("StepsFunction").name()).isEqualTo("poolshift-steps-prod");
    assertThat(prod.function("StepsFunction").environment()).containsEntry("LOG_LEVEL", "INFO");
    assertThat(prod.condition("NotProd")).isFalse();
    assertThat(template.condition("NotProd")).isTrue();
  }

  @Test
  void stateMachineDefinitionIsReadRelativeToTheTemplateWithSubstitutionsApplied() {
    StateMachineDef sm = template.stateMachine("RolloutStateMachine");

    var definition = LocalJson.parse(sm.definition());
    var arguments = definition.at("/States/Run steps/Arguments");
    assertThat(arguments.get("FunctionName").asText())
        .isEqualTo("arn:aws:lambda:" + ACCOUNT_REGION + ":function:poolshift-steps-dev");
    assertThat(arguments.at("/Payload/table").asText()).isEqualTo("poolshift-RolloutsTable");
    assertThat(arguments.at("/Payload/threshold").asInt()).isEqualTo(5);
    assertThat(sm.name()).isEqualTo("poolshift-rollout");
    assertThat(sm.arn()).isEqualTo("arn:aws:states:" + ACCOUNT_REGION + ":stateMachine:poolshift-rollout");
    assertThat(sm.type()).isEqualTo("STANDARD");
    assertThat(sm.roleArn()).isEqualTo("arn:aws:iam::111122223333:role/poolshift-RolloutStateMachineRole");
    assertThat(sm.definitionFile()).endsWith(Path.of("template", "statemachine", "rollout.asl.json"));
  }

  @Test
  void samEventBridgeEventsBecomeRulesTargetingTheAliasWithTheirRetryPolicyAndDeadLetterQueue() {
    RuleDef rule = template.rule("IntakeFunctionApproval");

    assertThat(rule.name()).isEqualTo("poolshift-IntakeFunctionApproval");
    assertThat(rule.arn()).isEqualTo("arn:aws:events:" + ACCOUNT_REGION + ":rule/poolshift-IntakeFunctionApproval");
    assertThat(rule.eventBusName()).isEqualTo("default");
    assertThat(LocalJson.parse(rule.eventPattern())).isEqualTo(LocalJson.parse("""
        {"source":["aws.sagemaker"],"detail-type":["SageMaker Model Package State Change"],
         "detail":{"ModelApprovalStatus":["Approved"]}}"""));
    assertThat(rule.enabled()).isTrue();
    RuleDef.Target target = rule.targets().getFirst();
    assertThat(target.arn()).isEqualTo(template.function("IntakeFunction").arn() + ":live");
    assertThat(target.id()).isEqualTo("IntakeFunctionApprovalLambdaTarget");
    assertThat(target.retryPolicy()).isEqualTo(new RuleDef.RetryPolicy(3, 600));
    assertThat(target.deadLetterArn()).isEqualTo("arn:aws:sqs:" + ACCOUNT_REGION + ":poolshift-IntakeFunctionApprovalQueue");
    assertThat(template.queues()).containsKey("IntakeFunctionApprovalQueue");
  }

  @Test
  void stateMachineEventsTargetTheStateMachineWithTheirInputPath() {
    RuleDef rule = template.rule("RolloutStateMachineStatusChange");

    RuleDef.Target target = rule.targets().getFirst();
    assertThat(target.arn()).isEqualTo(template.stateMachine("RolloutStateMachine").arn());
    assertThat(target.inputPath()).isEqualTo("$.detail");
    assertThat(target.id()).isEqualTo("RolloutStateMachineStatusChangeStepFunctionsTarget");
  }

  @Test
  void scheduleEventsBecomeScheduledRulesAndSchedulerSchedules() {
    RuleDef reconcile = template.rule("StepsFunctionReconcile");
    RuleDef nightly = template.rule("StepsFunctionNightly");

    assertThat(reconcile.schedule()).isEqualTo(new Schedule("rate(5 minutes)", Schedule.Kind.EVENTBRIDGE_RULE, null, 0));
    assertThat(reconcile.eventPattern()).isNull();
    assertThat(nightly.schedule().kind()).isEqualTo(Schedule.Kind.SCHEDULER);
    assertThat(nightly.schedule().expression()).isEqualTo("cron(0 3 * * ? *)");
    assertThat(nightly.targets().getFirst().input()).isEqualTo("{\"mode\":\"nightly\"}");
    assertThat(nightly.arn()).isEqualTo("arn:aws:scheduler:" + ACCOUNT_REGION + ":schedule/default/poolshift-StepsFunctionNightly");
  }

  @Test
  void standaloneRulesKeepStateTargetsAndInputTransformer() {
    RuleDef rule = template.rule("AlarmRule");

    assertThat(rule.enabled()).isFalse();
    assertThat(rule.targets()).extracting(RuleDef.Target::id).containsExactly("callback", "notify");
    RuleDef.InputTransformer transformer = rule.targets().getFirst().inputTransformer();
    assertThat(transformer.inputPathsMap()).containsEntry("alarm", "$.detail.alarmName")
        .containsEntry("state", "$.detail.state.value");
    assertThat(transformer.inputTemplate()).isEqualTo("{\"alarm\": <alarm>, \"state\": \"<state>\"}");
    assertThat(rule.targets().get(1).arn()).isEqualTo("arn:aws:sns:" + ACCOUNT_REGION + ":poolshift-NotificationsTopic");
  }

  @Test
  void tablesCarryKeysIndexesTtlAndStreams() {
    TableDef rollouts = template.table("RolloutsTable");
    TableDef locks = template.table("LocksTable");

    assertThat(rollouts.name()).isEqualTo("poolshift-RolloutsTable");
    assertThat(rollouts.keySchema()).containsExactly(new KeyElement("pk", "HASH"), new KeyElement("sk", "RANGE"));
    assertThat(rollouts.attributeDefinitions()).containsEntry("status", "S");
    assertThat(rollouts.billingMode()).isEqualTo("PAY_PER_REQUEST");
    assertThat(rollouts.globalSecondaryIndexes()).singleElement().satisfies(gsi -> {
      assertThat(gsi.name()).isEqualTo("ByStatus");
      assertThat(gsi.projectionType()).isEqualTo("KEYS_ONLY");
      assertThat(gsi.keySchema()).containsExactly(new KeyElement("status", "HASH"));
    });
    assertThat(rollouts.localSecondaryIndexes()).singleElement().satisfies(lsi -> {
      assertThat(lsi.keySchema()).containsExactly(new KeyElement("pk", "HASH"), new KeyElement("createdAt", "RANGE"));
      assertThat(lsi.nonKeyAttributes()).containsExactly("status");
      assertThat(lsi.throughput()).isNull();
    });
    assertThat(rollouts.ttlAttribute()).isEqualTo("expiresAt");
    assertThat(rollouts.streamViewType()).isEqualTo("NEW_AND_OLD_IMAGES");
    assertThat(template.getAtt("RolloutsTable", "StreamArn")).asString().startsWith(rollouts.arn() + "/stream/");
    assertThat(locks.keySchema()).containsExactly(new KeyElement("endpointName", "HASH"));
    assertThat(locks.billingMode()).isEqualTo("PAY_PER_REQUEST");
  }

  @Test
  void topicsQueuesAndGeneratedRolesResolve() {
    assertThat(template.ref("IntakeDlq")).isEqualTo("https://sqs.us-east-1.amazonaws.com/111122223333/poolshift-intake-dlq");
    assertThat(template.getAtt("IntakeDlq", "QueueName")).isEqualTo("poolshift-intake-dlq");
    assertThat(template.getAtt("NotificationsTopic", "TopicName")).isEqualTo("poolshift-NotificationsTopic");
    assertThat(template.getAtt("IntakeFunctionRole", "Arn"))
        .isEqualTo("arn:aws:iam::111122223333:role/poolshift-IntakeFunctionRole");
    assertThat(template.resourceTypes()).containsEntry("IntakeFunctionApproval", "AWS::Events::Rule")
        .containsEntry("StepsFunctionNightly", "AWS::Scheduler::Schedule");
    assertThat(template.parameters().get("CanarySteps")).isEqualTo(List.of("10", "50", "100"));
  }

  @Test
  void stackNameAndAccountComeFromTheOptions() {
    var options = new TemplateOptions("rehearsal", new dev.poolshift.local.aws.AwsContext("aws", "eu-west-1",
        "444455556666"), Map.of());

    SamTemplate other = SamTemplate.load(APP, options);

    assertThat(other.function("IntakeFunction").arn())
        .isEqualTo("arn:aws:lambda:eu-west-1:444455556666:function:rehearsal-IntakeFunction");
    assertThat(other.function("StepsFunction").name()).isEqualTo("rehearsal-steps-dev");
  }
}
