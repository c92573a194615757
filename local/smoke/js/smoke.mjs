// Smoke test of `poolshift serve` with the current AWS SDK for JavaScript v3 clients (CloudWatch
// speaks AWS JSON 1.0 here, the others their own protocols, CloudWatch Logs AWS JSON 1.1): per service a read and a write round
// trip. Usage, from this folder after `npm ci`:
//
//   node smoke.mjs [ENDPOINT]     (default $POOLSHIFT_ENDPOINT, else http://127.0.0.1:4566)
//
// Serve the happy-path scenario first, virtual time following the wall clock (the default).
// Prints one line per check; exits 1 at the first failure.
import * as cw from "@aws-sdk/client-cloudwatch";
import * as sm from "@aws-sdk/client-sagemaker";
import * as sfn from "@aws-sdk/client-sfn";
import * as ddb from "@aws-sdk/client-dynamodb";
import * as ssm from "@aws-sdk/client-ssm";
import * as sns from "@aws-sdk/client-sns";
import * as eb from "@aws-sdk/client-eventbridge";
import * as logs from "@aws-sdk/client-cloudwatch-logs";

const endpoint = process.argv[2] ?? process.env.POOLSHIFT_ENDPOINT ?? "http://127.0.0.1:4566";
const config = {
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "smoke", secretAccessKey: "smoke" },
  maxAttempts: 1,
};
const run = `smoke-js-${process.pid}`;

function ok(what) {
  console.log(`ok   ${what}`);
}
function expect(what, actual, test, wanted) {
  if (!test(actual)) {
    throw new Error(`${what}: got ${JSON.stringify(actual)}, expected ${wanted}`);
  }
  ok(what);
}
const minutes = (n) => new Date(Date.now() + n * 60_000);

async function cloudWatch() {
  const c = new cw.CloudWatchClient(config);
  const dimensions = [{ Name: "Run", Value: run }];
  await c.send(new cw.PutMetricDataCommand({
    Namespace: "Smoke/Js",
    MetricData: [{ MetricName: "Latency", Dimensions: dimensions, Unit: "Milliseconds", Value: 42, Timestamp: new Date() }],
  }));
  ok("cloudwatch PutMetricData");
  const stats = await c.send(new cw.GetMetricStatisticsCommand({
    Namespace: "Smoke/Js", MetricName: "Latency", Dimensions: dimensions,
    StartTime: minutes(-180), EndTime: minutes(5), Period: 60, Statistics: ["Average", "Maximum"],
    ExtendedStatistics: undefined,
  }));
  expect("cloudwatch GetMetricStatistics finds the datapoint", stats.Datapoints?.[0]?.Average, (v) => v === 42, "42");
  expect("cloudwatch GetMetricStatistics timestamps are Dates", stats.Datapoints[0].Timestamp,
    (v) => v instanceof Date && Math.abs(v.getTime() - Date.now()) < 3 * 3600_000, "a Date near now");
  const data = await c.send(new cw.GetMetricDataCommand({
    StartTime: minutes(-180), EndTime: minutes(5),
    MetricDataQueries: [{ Id: "m", MetricStat: { Metric: { Namespace: "Smoke/Js", MetricName: "Latency", Dimensions: dimensions }, Period: 60, Stat: "Sum" } }],
  }));
  expect("cloudwatch GetMetricData sums it", data.MetricDataResults?.[0]?.Values, (v) => v?.length === 1 && v[0] === 42, "[42]");
  await c.send(new cw.PutMetricAlarmCommand({
    AlarmName: `${run}-latency`, Namespace: "Smoke/Js", MetricName: "Latency", Dimensions: dimensions,
    Statistic: "Average", Period: 60, EvaluationPeriods: 1, Threshold: 100,
    ComparisonOperator: "GreaterThanThreshold", TreatMissingData: "notBreaching",
  }));
  const alarms = await c.send(new cw.DescribeAlarmsCommand({ AlarmNames: [`${run}-latency`] }));
  expect("cloudwatch PutMetricAlarm / DescribeAlarms", alarms.MetricAlarms?.map((a) => a.AlarmName),
    (v) => v?.length === 1 && v[0] === `${run}-latency`, `[${run}-latency]`);
  // A Query-compatible error: the client reports the Query code and its modelled exception.
  try {
    await c.send(new cw.GetMetricStatisticsCommand({
      Namespace: "Smoke/Js", MetricName: "Latency", StartTime: minutes(5), EndTime: minutes(-5), Period: 60,
      Statistics: ["Average"],
    }));
    throw new Error("cloudwatch: an inverted time range was accepted");
  } catch (e) {
    expect("cloudwatch errors keep their Query code", `${e.name}/${e.Code ?? e.Error?.Code}`,
      (v) => v === "InvalidParameterValueException/InvalidParameterValue", "InvalidParameterValueException/InvalidParameterValue");
  }
}

async function sageMaker() {
  const c = new sm.SageMakerClient(config);
  const list = await c.send(new sm.ListEndpointsCommand({}));
  expect("sagemaker ListEndpoints", list.Endpoints?.map((e) => e.EndpointName), (v) => v?.includes("fraud-scoring-prod"),
    "fraud-scoring-prod among them");
  const d = await c.send(new sm.DescribeEndpointCommand({ EndpointName: "fraud-scoring-prod" }));
  expect("sagemaker DescribeEndpoint", d.EndpointStatus, (v) => v === "InService", "InService");
}

let startedExecution;

async function stepFunctions() {
  const c = new sfn.SFNClient(config);
  const machines = await c.send(new sfn.ListStateMachinesCommand({}));
  const machine = machines.stateMachines?.[0]?.stateMachineArn;
  expect("stepfunctions ListStateMachines", machine, (v) => v?.startsWith("arn:aws:states:"), "a state machine ARN");
  const started = await c.send(new sfn.StartExecutionCommand({ stateMachineArn: machine, name: run, input: "{}" }));
  startedExecution = started.executionArn;
  expect("stepfunctions StartExecution", started.executionArn, (v) => v?.endsWith(`:${run}`), `an ARN ending :${run}`);
  const d = await c.send(new sfn.DescribeExecutionCommand({ executionArn: started.executionArn }));
  expect("stepfunctions DescribeExecution", d.status, (v) => ["RUNNING", "SUCCEEDED", "FAILED"].includes(v), "a status");
  const of = await c.send(new sfn.DescribeStateMachineForExecutionCommand({ executionArn: started.executionArn }));
  expect("stepfunctions DescribeStateMachineForExecution", of.stateMachineArn, (v) => v === machine, machine);
  const tags = await c.send(new sfn.ListTagsForResourceCommand({ resourceArn: machine }));
  expect("stepfunctions ListTagsForResource", tags.tags, (v) => Array.isArray(v), "a list");
}

async function dynamoDb() {
  const c = new ddb.DynamoDBClient(config);
  const tables = await c.send(new ddb.ListTablesCommand({}));
  const table = tables.TableNames?.[0];
  expect("dynamodb ListTables", table, (v) => !!v, "a table");
  const key = { pk: { S: `smoke#${run}` }, sk: { S: "js" } };
  await c.send(new ddb.PutItemCommand({ TableName: table, Item: { ...key, note: { S: "hello" } } }));
  const got = await c.send(new ddb.GetItemCommand({ TableName: table, Key: key }));
  expect("dynamodb PutItem / GetItem", got.Item?.note?.S, (v) => v === "hello", "hello");
}

async function parameterStore() {
  const c = new ssm.SSMClient(config);
  const name = `/smoke/${run}/profile`;
  await c.send(new ssm.PutParameterCommand({ Name: name, Type: "String", Value: '{"steps":[10,50,100]}' }));
  const got = await c.send(new ssm.GetParameterCommand({ Name: name }));
  expect("ssm PutParameter / GetParameter", got.Parameter?.Value, (v) => v === '{"steps":[10,50,100]}', "the profile");
  const described = await c.send(new ssm.DescribeParametersCommand({
    ParameterFilters: [{ Key: "Path", Option: "Recursive", Values: [`/smoke/${run}`] }],
  }));
  expect("ssm DescribeParameters", described.Parameters?.map((p) => p.Name), (v) => v?.length === 1 && v[0] === name, `[${name}]`);
}

async function notifications() {
  const c = new sns.SNSClient(config);
  const topics = await c.send(new sns.ListTopicsCommand({}));
  const topic = topics.Topics?.[0]?.TopicArn;
  expect("sns ListTopics", topic, (v) => v?.startsWith("arn:aws:sns:"), "a topic ARN");
  const sub = await c.send(new sns.SubscribeCommand({
    TopicArn: topic, Protocol: "sqs", Endpoint: `arn:aws:sqs:us-east-1:111122223333:${run}`,
  }));
  expect("sns Subscribe", sub.SubscriptionArn, (v) => v?.startsWith(`${topic}:`), "a subscription ARN");
  const attributes = await c.send(new sns.GetTopicAttributesCommand({ TopicArn: topic }));
  expect("sns GetTopicAttributes", attributes.Attributes?.SubscriptionsConfirmed, (v) => Number(v) >= 1, ">= 1");
  const subs = await c.send(new sns.ListSubscriptionsByTopicCommand({ TopicArn: topic }));
  expect("sns ListSubscriptionsByTopic", subs.Subscriptions?.map((s) => s.Endpoint),
    (v) => v?.some((e) => e.endsWith(run)), "our endpoint among them");
}

async function eventBridge() {
  const c = new eb.EventBridgeClient(config);
  const rules = await c.send(new eb.ListRulesCommand({ Limit: 1 }));
  expect("events ListRules honours Limit", rules.Rules?.length, (v) => v === 1, "1");
  const targets = await c.send(new eb.ListTargetsByRuleCommand({ Rule: rules.Rules[0].Name }));
  expect("events ListTargetsByRule", targets.Targets?.length, (v) => v >= 1, ">= 1");
  const put = await c.send(new eb.PutRuleCommand({ Name: run, EventPattern: '{"source":["smoke.js"]}', State: "DISABLED" }));
  expect("events PutRule", put.RuleArn, (v) => v === `arn:aws:events:us-east-1:111122223333:rule/${run}`, "the rule ARN");
  const buses = await c.send(new eb.ListEventBusesCommand({}));
  expect("events ListEventBuses", buses.EventBuses?.map((b) => b.Name), (v) => v?.includes("default"), "default among them");
}

// The execution started above ran the steps function; its lines land in the function's log group.
async function cloudWatchLogs() {
  const states = new sfn.SFNClient(config);
  for (let i = 0; i < 60; i++) {
    const d = await states.send(new sfn.DescribeExecutionCommand({ executionArn: startedExecution }));
    if (d.status !== "RUNNING") break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const c = new logs.CloudWatchLogsClient(config);
  const groups = await c.send(new logs.DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/lambda/" }));
  const group = groups.logGroups?.map((g) => g.logGroupName).find((n) => n.includes("RolloutSteps"));
  expect("logs DescribeLogGroups", group, (v) => v?.startsWith("/aws/lambda/"), "the steps function's group");
  const events = await c.send(new logs.FilterLogEventsCommand({
    logGroupName: group, filterPattern: '"START RequestId"', startTime: Date.now() - 3_600_000 }));
  expect("logs FilterLogEvents with a quoted phrase", events.events?.[0]?.message,
    (v) => v?.startsWith("START RequestId"), "a START line");
  const stream = events.events[0].logStreamName;
  const read = await c.send(new logs.GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }));
  expect("logs GetLogEvents", read.events?.length, (v) => v >= 1, ">= 1 event");
}

try {
  console.log(`AWS SDK for JavaScript v3 against ${endpoint}`);
  for (const step of [cloudWatch, sageMaker, stepFunctions, dynamoDb, parameterStore, notifications, eventBridge,
    cloudWatchLogs]) {
    await step();
  }
  console.log("js smoke: all checks passed");
} catch (e) {
  console.error(`FAIL ${e.name ?? "Error"}: ${e.message}`);
  process.exit(1);
}
