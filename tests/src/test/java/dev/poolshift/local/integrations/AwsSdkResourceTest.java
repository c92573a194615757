package dev.poolshift.local.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.asl.TaskResources;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.EventPublisher;
import dev.poolshift.local.dynamodb.DynamoDbService;
import dev.poolshift.local.http.Gateway;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sagemaker.SageMakerService;
import dev.poolshift.local.sfn.StepFunctions;
import dev.poolshift.local.sim.Simulation;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The aws-sdk integration as a state machine sees it: PascalCase in and out, AWS's error names. */
class AwsSdkResourceTest {
  private final Simulation sim = Simulation.discrete(Simulation.DEFAULT_EPOCH);
  private final Gateway gateway = Gateway.start(0);
  private final StepFunctions sfn;

  AwsSdkResourceTest() throws Exception {
    gateway.register(SageMakerService.create(sim, AwsContext.DEFAULT, EventPublisher.NONE));
    DynamoDbService dynamo = new DynamoDbService(sim, AwsContext.DEFAULT);
    dynamo.call("CreateTable", (com.fasterxml.jackson.databind.node.ObjectNode) LocalJson.parse("""
        {"TableName": "locks", "BillingMode": "PAY_PER_REQUEST",
         "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
         "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}"""));
    gateway.register(dynamo);
    sfn = new StepFunctions(sim, TaskResources.of(new AwsSdkResource(gateway::service, AwsContext.DEFAULT, "AKIDTEST")),
        EventPublisher.NONE, AwsContext.DEFAULT);
    sfn.registerStateMachine("m", """
        {"QueryLanguage": "JSONata", "StartAt": "Lock", "States": {
          "Lock": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:putItem",
            "Arguments": {"TableName": "locks", "Item": {"pk": {"S": "fraud-prod"}},
                          "ConditionExpression": "attribute_not_exists(pk)"},
            "Catch": [{"ErrorEquals": ["DynamoDb.ConditionalCheckFailedException"],
                       "Output": "{% {'locked': $states.errorOutput} %}", "Next": "Done"}],
            "Next": "Describe"},
          "Describe": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sagemaker:describeEndpoint",
            "Arguments": {"EndpointName": "missing"},
            "Catch": [{"ErrorEquals": ["SageMaker.SageMakerException"],
                       "Output": "{% {'describe': $states.errorOutput} %}", "Next": "Done"}],
            "End": true},
          "Done": {"Type": "Succeed"}}}""", null);
  }

  @AfterEach
  void close() {
    gateway.close();
    sim.close();
  }

  @Test
  void anUnmodelledSageMakerErrorSurfacesAsSageMakerExceptionWithTheSdkStyleCause() {
    JsonNode out = run();
    assertThat(out.path("describe").path("Error").asText()).isEqualTo("SageMaker.SageMakerException");
    assertThat(out.path("describe").path("Cause").asText())
        .startsWith("Could not find endpoint \"arn:aws:sagemaker:us-east-1:111122223333:endpoint/missing\".")
        .contains("(Service: SageMaker, Status Code: 400, Request ID: ");
  }

  @Test
  void aModelledDynamoDbErrorKeepsItsOwnName() {
    run();
    JsonNode second = run();
    assertThat(second.path("locked").path("Error").asText()).isEqualTo("DynamoDb.ConditionalCheckFailedException");
  }

  @Test
  void servicesOnTheQueryProtocolAreRejectedWhenTheDefinitionLoads() {
    AwsSdkResource resource = new AwsSdkResource(gateway::service, AwsContext.DEFAULT, "AKIDTEST");
    assertThat(resource.supports("arn:aws:states:::aws-sdk:sagemaker:describeEndpoint")).isTrue();
    assertThat(resource.supports("arn:aws:states:::aws-sdk:cloudwatch:describeAlarms")).isFalse();
    assertThat(resource.supports("arn:aws:states:::aws-sdk:sns:publish")).isFalse();
  }

  private JsonNode run() {
    var started = sfn.startExecution("arn:aws:states:us-east-1:111122223333:stateMachine:m", null, "{}");
    sim.runUntil(sfn::allExecutionsEnded, sim.now().plus(Duration.ofHours(1)));
    return LocalJson.parse(sfn.execution(started.executionArn()).snapshot().output());
  }
}
