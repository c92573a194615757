package dev.poolshift.local.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.LocalClients;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * IAM as the functions' SDK clients meet it: requests signed with a function's credentials, over
 * each protocol, refused with the error AWS gives (code, status, IAM's message) and with nothing
 * done in the service; allowed ones go through; unknown signers are administrators unless the
 * rehearsal rejects them.
 */
class IamWireTest {
  static final String STACK_ROLE = "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-execution";
  private final LocalRuntime runtime = LocalRuntime.start(LocalRuntime.Options.of(Path.of("template.yaml"))
      .withParameters(Map.of("SageMakerExecutionRoleArn", STACK_ROLE)).withSchedules(false));

  @AfterEach
  void close() {
    runtime.close();
  }

  private Principal principal(String logicalId) {
    return runtime.iam().identities().principal(logicalId);
  }

  /** {@code builder} against the gateway, signing as {@code logicalId}'s role session. */
  private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C as(String logicalId, B builder) {
    Principal.Credentials c = principal(logicalId).credentials();
    return builder.endpointOverride(runtime.gateway().endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(),
            c.secretAccessKey(), c.sessionToken())))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  private String callerArn(String logicalId) {
    return principal(logicalId).assumedRoleArn(runtime.template().aws());
  }

  @Test
  void aModelWhoseRoleTheStackMayNotPassIsRefusedWithIamsMessageAndNotCreated() {
    String other = "arn:aws:iam::111122223333:role/sagemaker-experiments";
    try (SageMakerClient sageMaker = as("RolloutStepsFunction", SageMakerClient.builder())) {
      AwsServiceException e = catchThrowableOfType(AwsServiceException.class, () -> sageMaker.createModel(b -> b
          .modelName("fraud-scoring-v2-abc").executionRoleArn(other)
          .primaryContainer(c -> c.image("111122223333.dkr.ecr.us-east-1.amazonaws.com/fraud:2"))
          .tags(t -> t.key("poolshift:deployment").value("fraud-scoring-v2-abc"))));

      assertThat(e.statusCode()).isEqualTo(400);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
      assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: " + callerArn("RolloutStepsFunction")
          + " is not authorized to perform: iam:PassRole on resource: " + other
          + " because no identity-based policy allows the iam:PassRole action");
    }
    assertThat(runtime.sageMaker().mutations()).as("SageMaker never saw the request").isEmpty();
    assertThat(runtime.iam().denials()).singleElement().satisfies(d -> {
      assertThat(d.caller()).isEqualTo("RolloutStepsFunction");
      assertThat(d.operation()).isEqualTo("CreateModel");
      assertThat(d.action()).isEqualTo("iam:PassRole");
    });
  }

  @Test
  void theStacksOwnRoleIsPassedAndTheTaggedCreateGoesThrough() {
    try (SageMakerClient sageMaker = as("RolloutStepsFunction", SageMakerClient.builder())) {
      sageMaker.createModel(b -> b.modelName("fraud-scoring-v2-abc").executionRoleArn(STACK_ROLE)
          .primaryContainer(c -> c.image("111122223333.dkr.ecr.us-east-1.amazonaws.com/fraud:2"))
          .tags(t -> t.key("poolshift:deployment").value("fraud-scoring-v2-abc")));
    }
    assertThat(runtime.iam().evaluations()).extracting(Evaluation::action, Evaluation::verdict).containsExactly(
        tuple("sagemaker:CreateModel", Evaluation.Verdict.ALLOWED),
        tuple("iam:PassRole", Evaluation.Verdict.ALLOWED),
        tuple("sagemaker:AddTags", Evaluation.Verdict.ALLOWED));
  }

  @Test
  void anUntaggedCreateIsRefusedOnItsOwnAction() {
    try (SageMakerClient sageMaker = as("RolloutStepsFunction", SageMakerClient.builder())) {
      AwsServiceException e = catchThrowableOfType(AwsServiceException.class, () -> sageMaker.createModel(b -> b
          .modelName("untagged").executionRoleArn(STACK_ROLE)
          .primaryContainer(c -> c.image("111122223333.dkr.ecr.us-east-1.amazonaws.com/fraud:2"))));

      assertThat(e.awsErrorDetails().errorMessage()).contains("sagemaker:CreateModel on resource: "
          + "arn:aws:sagemaker:us-east-1:111122223333:model/untagged");
    }
  }

  @Test
  void dynamoDbNamesTheErrorInItsNamespace() {
    String table = runtime.template().table("StateTable").name();
    try (DynamoDbClient dynamo = as("EndpointEventsFunction", DynamoDbClient.builder())) {
      AwsServiceException e = catchThrowableOfType(AwsServiceException.class, () -> dynamo.putItem(b -> b
          .tableName(table).item(Map.of("pk", AttributeValue.fromS("x"), "sk", AttributeValue.fromS("y")))));

      assertThat(e.statusCode()).isEqualTo(400);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
      assertThat(e.awsErrorDetails().errorMessage()).contains("dynamodb:PutItem on resource: "
          + "arn:aws:dynamodb:us-east-1:111122223333:table/" + table);
    }
  }

  @Test
  void cloudWatchOnTheQueryProtocolAnswersAccessDenied() {
    try (CloudWatchClient cloudWatch = as("EndpointEventsFunction", CloudWatchClient.builder())) {
      AwsServiceException e = catchThrowableOfType(AwsServiceException.class,
          () -> cloudWatch.describeAlarms(b -> b.alarmNames("poolshift-x")));

      assertThat(e.statusCode()).isEqualTo(403);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
      assertThat(e.awsErrorDetails().errorMessage()).contains("cloudwatch:DescribeAlarms on resource: "
          + "arn:aws:cloudwatch:us-east-1:111122223333:alarm:poolshift-x");
    }
  }

  @Test
  void cloudWatchOnRpcV2CborCarriesTheQueryCode() throws Exception {
    Principal.Credentials c = principal("EndpointEventsFunction").credentials();
    byte[] body = LocalJson.CBOR.writeValueAsBytes(Map.of("AlarmNames", List.of("poolshift-x")));
    HttpRequest request = HttpRequest.newBuilder(URI.create(runtime.gateway().endpoint()
            + "/service/GraniteServiceVersion20100801/operation/DescribeAlarms"))
        .header("smithy-protocol", "rpc-v2-cbor").header("Content-Type", "application/cbor")
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + c.accessKeyId()
            + "/20260601/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();

    HttpResponse<byte[]> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("x-amzn-query-error")).contains("AccessDenied;Sender");
    JsonNode error = LocalJson.CBOR.readTree(response.body());
    assertThat(error.path("__type").asText()).isEqualTo("AccessDeniedException");
    assertThat(error.path("message").asText()).contains("cloudwatch:DescribeAlarms");
  }

  @Test
  void snsAnswersAuthorizationErrorNamingItsActionInUpperCase() {
    String topic = runtime.template().topics().values().iterator().next().arn();
    try (SnsClient sns = as("AlarmEventsFunction", SnsClient.builder())) {
      AwsServiceException e = catchThrowableOfType(AwsServiceException.class,
          () -> sns.publish(b -> b.topicArn(topic).message("hello")));

      assertThat(e.statusCode()).isEqualTo(403);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AuthorizationError");
      assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: " + callerArn("AlarmEventsFunction")
          + " is not authorized to perform: SNS:Publish on resource: " + topic
          + " because no identity-based policy allows the SNS:Publish action");
    }
    assertThat(runtime.sns().published()).isEmpty();
  }

  @Test
  void anAllowedCallReachesTheServiceWhichAnswersItsOwnError() {
    try (SageMakerClient sageMaker = as("RolloutStepsFunction", SageMakerClient.builder())) {
      AwsServiceException e = catchThrowableOfType(AwsServiceException.class,
          () -> sageMaker.describeEndpointConfig(b -> b.endpointConfigName("missing")));

      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
    }
    assertThat(runtime.iam().evaluations()).singleElement()
        .satisfies(ev -> assertThat(ev.verdict()).isEqualTo(Evaluation.Verdict.ALLOWED));
  }

  @Test
  void anOperationTheRuntimeCannotEvaluateIsRefusedNotLetThrough() {
    try (SsmClient ssm = as("RolloutStepsFunction", SsmClient.builder())) {
      AwsServiceException e = catchThrowableOfType(AwsServiceException.class,
          () -> ssm.labelParameterVersion(b -> b.name("/poolshift/profiles/x").labels("prod")));

      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
      assertThat(e.awsErrorDetails().errorMessage()).contains("does not know the IAM action and resources of ssm"
          + " LabelParameterVersion");
    }
    assertThat(runtime.iam().denials()).singleElement()
        .satisfies(d -> assertThat(d.verdict()).isEqualTo(Evaluation.Verdict.UNMAPPED));
  }

  @Test
  void unknownCredentialsAreAnAdministratorUnlessTheRehearsalRejectsThem() {
    try (SageMakerClient admin = LocalClients.against(SageMakerClient.builder(), runtime.gateway().endpoint())) {
      assertThat(admin.listEndpoints().endpoints()).isEmpty();
      assertThat(runtime.iam().evaluations()).singleElement().satisfies(ev -> {
        assertThat(ev.verdict()).isEqualTo(Evaluation.Verdict.NOT_EVALUATED);
        assertThat(ev.caller()).isEqualTo("AKIDLOCAL");
      });

      runtime.iam().setUnknownCallers(Iam.UnknownCallers.REJECT);
      AwsServiceException e = catchThrowableOfType(AwsServiceException.class, admin::listEndpoints);

      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
    }
  }

  @Test
  void reportModeRecordsTheDenialAndLetsTheCallThrough() {
    runtime.iam().setMode(Iam.Mode.REPORT);
    try (SageMakerClient sageMaker = as("AlarmEventsFunction", SageMakerClient.builder())) {
      AwsServiceException e = catchThrowableOfType(AwsServiceException.class,
          () -> sageMaker.deleteModel(b -> b.modelName("missing")));

      assertThat(e.awsErrorDetails().errorCode()).as("the service's own answer").isEqualTo("ValidationException");
    }
    assertThat(runtime.iam().denials()).singleElement()
        .satisfies(d -> assertThat(d.action()).isEqualTo("sagemaker:DeleteModel"));
  }
}
