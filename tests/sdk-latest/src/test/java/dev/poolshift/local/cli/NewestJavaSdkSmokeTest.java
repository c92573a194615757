package dev.poolshift.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.runtime.LocalRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.util.VersionInfo;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterStringFilter;

/**
 * The Java smoke of {@code serve}: the newest AWS SDK for Java (this module's BOM) against the
 * happy-path scenario served in-process on a free port, a read and a write round trip per service.
 * CloudWatch is the point: from 2.40.7 on its client speaks Smithy RPC v2 CBOR and gzips large
 * PutMetricData bodies, and every request here is checked to have gone that way.
 */
class NewestJavaSdkSmokeTest {
  private static LocalRuntime runtime;
  private static final List<SdkHttpRequest> SENT = new CopyOnWriteArrayList<>();
  private static final Instant NOW = Instant.now();
  private final String run = "smoke-java-" + ProcessHandle.current().pid();

  @BeforeAll
  static void serve() {
    runtime = ServeCommand.start(0, 1.0, Path.of("template.yaml"), Path.of("events/scenarios/happy-path.json"));
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  /** Records each request as it leaves the client (after signing and compression). */
  static final class Recorder implements ExecutionInterceptor {
    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
      SENT.add(context.httpRequest());
    }
  }

  private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
    return builder.endpointOverride(runtime.gateway().endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("smoke", "smoke")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(ClientOverrideConfiguration.builder().addExecutionInterceptor(new Recorder()).build())
        .build();
  }

  @Test
  void theNewestCloudWatchClientPutsAndReadsMetricsAndAlarmsOverRpcV2Cbor() {
    List<Dimension> dims = List.of(Dimension.builder().name("Run").value(run).build());
    // Over 10 KB of datapoints: the client gzips the body (its requestCompression threshold).
    List<MetricDatum> data = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      data.add(MetricDatum.builder().metricName("Latency").dimensions(dims).unit(StandardUnit.MILLISECONDS)
          .timestamp(NOW.minusSeconds(60L * (i % 30))).value(40.0 + i % 5)
          .storageResolution(60).build());
    }
    try (CloudWatchClient cw = client(CloudWatchClient.builder())) {
      SENT.clear();
      cw.putMetricData(b -> b.namespace("Smoke/Java").metricData(data));
      assertThat(SENT).last().satisfies(r -> {
        assertThat(r.encodedPath()).isEqualTo("/service/GraniteServiceVersion20100801/operation/PutMetricData");
        assertThat(r.firstMatchingHeader("smithy-protocol")).hasValue("rpc-v2-cbor");
        assertThat(r.firstMatchingHeader("Content-Encoding")).hasValue("gzip");
      });

      List<Datapoint> points = cw.getMetricStatistics(b -> b.namespace("Smoke/Java").metricName("Latency")
          .dimensions(dims).startTime(NOW.minus(Duration.ofHours(3))).endTime(NOW.plus(Duration.ofMinutes(5)))
          .period(3600 * 4).statistics(Statistic.SAMPLE_COUNT, Statistic.MAXIMUM)).datapoints();
      assertThat(points).singleElement().satisfies(p -> {
        assertThat(p.sampleCount()).isEqualTo(150.0);
        assertThat(p.maximum()).isEqualTo(44.0);
        assertThat(p.unit()).isEqualTo(StandardUnit.MILLISECONDS);
        assertThat(p.timestamp()).isBefore(NOW.plusSeconds(1));
      });
      // Percentiles come back as a map (ExtendedStatistics), asked for on their own.
      assertThat(cw.getMetricStatistics(b -> b.namespace("Smoke/Java").metricName("Latency").dimensions(dims)
          .startTime(NOW.minus(Duration.ofHours(3))).endTime(NOW.plus(Duration.ofMinutes(5))).period(3600 * 4)
          .extendedStatistics("p50", "p99")).datapoints())
          .singleElement().satisfies(p -> assertThat(p.extendedStatistics()).containsOnlyKeys("p50", "p99"));

      var results = cw.getMetricData(b -> b.startTime(NOW.minus(Duration.ofHours(1))).endTime(NOW.plusSeconds(60))
          .metricDataQueries(q -> q.id("m").metricStat(s -> s.period(60).stat("SampleCount")
              .metric(m -> m.namespace("Smoke/Java").metricName("Latency").dimensions(dims))))).metricDataResults();
      assertThat(results).singleElement().satisfies(r -> assertThat(r.values()).hasSize(30).allMatch(v -> v == 5.0));

      cw.putMetricAlarm(b -> b.alarmName(run + "-latency").namespace("Smoke/Java").metricName("Latency")
          .dimensions(dims).statistic(Statistic.AVERAGE).period(60).evaluationPeriods(1).threshold(100.0)
          .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
      assertThat(cw.describeAlarms(b -> b.alarmNames(run + "-latency")).metricAlarms())
          .singleElement().satisfies(a -> {
            assertThat(a.threshold()).isEqualTo(100.0);
            assertThat(a.alarmConfigurationUpdatedTimestamp()).isAfter(NOW.minus(Duration.ofMinutes(5)));
          });

      assertThatThrownBy(() -> cw.getMetricStatistics(b -> b.namespace("Smoke/Java").metricName("Latency")
          .startTime(NOW).endTime(NOW.minusSeconds(600)).period(60).statistics(Statistic.AVERAGE)))
          .isInstanceOf(InvalidParameterValueException.class)
          .satisfies(e -> assertThat(((CloudWatchException) e).awsErrorDetails().errorCode())
              .isEqualTo("InvalidParameterValue"));
    }
    assertThat(SENT).allSatisfy(r -> assertThat(r.firstMatchingHeader("smithy-protocol")).hasValue("rpc-v2-cbor"));
    assertThat(VersionInfo.SDK_VERSION).as("this module runs the newest SDK, not the project's").isNotEqualTo("2.40.2");
  }

  @Test
  void theNewestClientsOfTheOtherServicesRoundTripToo() {
    try (SageMakerClient sageMaker = client(SageMakerClient.builder());
        SfnClient sfn = client(SfnClient.builder());
        DynamoDbClient dynamo = client(DynamoDbClient.builder());
        SsmClient ssm = client(SsmClient.builder());
        SnsClient sns = client(SnsClient.builder());
        EventBridgeClient events = client(EventBridgeClient.builder())) {
      assertThat(sageMaker.describeEndpoint(b -> b.endpointName("fraud-scoring-prod")).endpointStatusAsString())
          .isEqualTo("InService");

      String machine = sfn.listStateMachines(b -> { }).stateMachines().getFirst().stateMachineArn();
      String execution = sfn.startExecution(b -> b.stateMachineArn(machine).name(run).input("{}")).executionArn();
      assertThat(sfn.describeStateMachineForExecution(b -> b.executionArn(execution)).stateMachineArn())
          .isEqualTo(machine);

      String table = dynamo.listTables().tableNames().getFirst();
      var key = java.util.Map.of("pk", AttributeValue.fromS("smoke#" + run), "sk", AttributeValue.fromS("java"));
      var item = new java.util.HashMap<>(key);
      item.put("note", AttributeValue.fromS("hello"));
      dynamo.putItem(b -> b.tableName(table).item(item));
      assertThat(dynamo.getItem(b -> b.tableName(table).key(key)).item().get("note").s()).isEqualTo("hello");

      ssm.putParameter(b -> b.name("/smoke/" + run + "/profile").type("String").value("{}"));
      assertThat(ssm.describeParameters(b -> b.parameterFilters(ParameterStringFilter.builder().key("Name")
          .option("BeginsWith").values("/smoke/" + run).build())).parameters())
          .singleElement().satisfies(p -> assertThat(p.name()).isEqualTo("/smoke/" + run + "/profile"));

      String topic = sns.listTopics().topics().getFirst().topicArn();
      String subscription = sns.subscribe(b -> b.topicArn(topic).protocol("lambda")
          .endpoint("arn:aws:lambda:us-east-1:111122223333:function:" + run)).subscriptionArn();
      assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions())
          .anySatisfy(s -> assertThat(s.subscriptionArn()).isEqualTo(subscription));

      assertThat(events.listRules(b -> b.limit(1)).rules()).hasSize(1);
      assertThat(events.putRule(b -> b.name(run).eventPattern("{\"source\":[\"smoke.java\"]}")).ruleArn())
          .endsWith(":rule/" + run);
      assertThat(events.listEventBuses(b -> { }).eventBuses()).anySatisfy(bus -> assertThat(bus.name())
          .isEqualTo("default"));
    }
  }
}
