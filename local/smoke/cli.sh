#!/usr/bin/env bash
# Smoke test of `poolshift serve` with the AWS CLI: per service a read and a write round trip, as a
# user would type them. Usage:
#
#   local/smoke/cli.sh [ENDPOINT]        (default $POOLSHIFT_ENDPOINT, else http://127.0.0.1:4566)
#
# Serve the happy-path scenario first (`./poolshift serve events/scenarios/happy-path.json`): the
# script expects its endpoint fraud-scoring-prod, and virtual time following the wall clock (the
# default: no --start, no start in the scenario). AWS=/path/to/aws picks the CLI (default: aws on
# PATH). Prints one line per check and exits non-zero at the first failure.
set -euo pipefail

ENDPOINT="${1:-${POOLSHIFT_ENDPOINT:-http://127.0.0.1:4566}}"
AWS_BIN="${AWS:-aws}"
# Any credentials do; no profile, config file or pager of the user's may change what is sent.
export AWS_ACCESS_KEY_ID=smoke AWS_SECRET_ACCESS_KEY=smoke AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_PAGER="" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL

run="smoke-cli-$$"
aws() { "$AWS_BIN" --endpoint-url "$ENDPOINT" --output json "$@"; }
ok() { printf 'ok   %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*" >&2; exit 1; }
# expect DESCRIPTION ACTUAL EXPECTED
expect() { [ "$2" = "$3" ] && ok "$1" || fail "$1: got '$2', expected '$3'"; }
# expect_match DESCRIPTION ACTUAL REGEX
expect_match() { [[ "$2" =~ $3 ]] && ok "$1" || fail "$1: got '$2', expected to match /$3/"; }
iso() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }

printf 'AWS CLI %s against %s\n' "$("$AWS_BIN" --version 2>&1)" "$ENDPOINT"

# --- CloudWatch: put a datapoint stamped now, read it back three ways, an alarm on it.
aws cloudwatch put-metric-data --namespace "Smoke/Cli" --metric-name Latency --unit Milliseconds \
  --value 42 --dimensions "Run=$run" --timestamp "$(iso now)"
ok "cloudwatch put-metric-data"
avg="$(aws cloudwatch get-metric-statistics --namespace "Smoke/Cli" --metric-name Latency \
  --dimensions "Name=Run,Value=$run" --start-time "$(iso '3 hours ago')" --end-time "$(iso '5 minutes')" \
  --period 60 --statistics Average Maximum --query 'Datapoints[0].Average')"
expect "cloudwatch get-metric-statistics finds the datapoint" "$avg" "42.0"
values="$(aws cloudwatch get-metric-data --start-time "$(iso '3 hours ago')" --end-time "$(iso '5 minutes')" \
  --metric-data-queries "[{\"Id\":\"m\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"Smoke/Cli\",\"MetricName\":\"Latency\",\"Dimensions\":[{\"Name\":\"Run\",\"Value\":\"$run\"}]},\"Period\":60,\"Stat\":\"Sum\"}}]" \
  --query 'MetricDataResults[0].Values' --output text)"
expect "cloudwatch get-metric-data sums it" "$values" "42.0"
aws cloudwatch put-metric-alarm --alarm-name "$run-latency" --namespace "Smoke/Cli" --metric-name Latency \
  --dimensions "Name=Run,Value=$run" --statistic Average --period 60 --evaluation-periods 1 --threshold 100 \
  --comparison-operator GreaterThanThreshold --treat-missing-data notBreaching
name="$(aws cloudwatch describe-alarms --alarm-names "$run-latency" --query 'MetricAlarms[0].AlarmName' --output text)"
expect "cloudwatch put-metric-alarm / describe-alarms" "$name" "$run-latency"
listed="$(aws cloudwatch list-metrics --namespace "Smoke/Cli" --query 'length(Metrics)')"
expect_match "cloudwatch list-metrics" "$listed" '^[1-9]'

# --- SageMaker: the scenario's endpoint.
names="$(aws sagemaker list-endpoints --query 'Endpoints[].EndpointName' --output text)"
expect_match "sagemaker list-endpoints" "$names" 'fraud-scoring-prod'
status="$(aws sagemaker describe-endpoint --endpoint-name fraud-scoring-prod --query EndpointStatus --output text)"
expect "sagemaker describe-endpoint" "$status" "InService"

# --- Step Functions: start an execution of the rollout machine (an empty input fails its own
# validation; the round trip is what counts) and read it back.
machine="$(aws stepfunctions list-state-machines --query 'stateMachines[0].stateMachineArn' --output text)"
expect_match "stepfunctions list-state-machines" "$machine" '^arn:aws:states:'
execution="$(aws stepfunctions start-execution --state-machine-arn "$machine" --name "$run" --input '{}' \
  --query executionArn --output text)"
expect_match "stepfunctions start-execution" "$execution" ":execution:.*:$run\$"
status="$(aws stepfunctions describe-execution --execution-arn "$execution" --query status --output text)"
expect_match "stepfunctions describe-execution" "$status" '^(RUNNING|SUCCEEDED|FAILED)$'
of="$(aws stepfunctions describe-state-machine-for-execution --execution-arn "$execution" \
  --query stateMachineArn --output text)"
expect "stepfunctions describe-state-machine-for-execution" "$of" "$machine"
tags="$(aws stepfunctions list-tags-for-resource --resource-arn "$machine" --query 'length(tags)')"
expect "stepfunctions list-tags-for-resource" "$tags" "0"

# --- DynamoDB: an item in the first table of the stack, and back.
table="$(aws dynamodb list-tables --query 'TableNames[0]' --output text)"
expect_match "dynamodb list-tables" "$table" '.'
aws dynamodb put-item --table-name "$table" \
  --item "{\"pk\":{\"S\":\"smoke#$run\"},\"sk\":{\"S\":\"cli\"},\"note\":{\"S\":\"hello\"}}"
note="$(aws dynamodb get-item --table-name "$table" --key "{\"pk\":{\"S\":\"smoke#$run\"},\"sk\":{\"S\":\"cli\"}}" \
  --query 'Item.note.S' --output text)"
expect "dynamodb put-item / get-item" "$note" "hello"

# --- SSM Parameter Store.
aws ssm put-parameter --name "/smoke/$run/profile" --type String --value '{"steps":[10,50,100]}' >/dev/null
value="$(aws ssm get-parameter --name "/smoke/$run/profile" --query Parameter.Value --output text)"
expect "ssm put-parameter / get-parameter" "$value" '{"steps":[10,50,100]}'
found="$(aws ssm describe-parameters --parameter-filters "Key=Path,Option=Recursive,Values=/smoke/$run" \
  --query 'Parameters[].Name' --output text)"
expect "ssm describe-parameters" "$found" "/smoke/$run/profile"

# --- SNS: the stack's topic, a subscription on it.
topic="$(aws sns list-topics --query 'Topics[0].TopicArn' --output text)"
expect_match "sns list-topics" "$topic" '^arn:aws:sns:'
sub="$(aws sns subscribe --topic-arn "$topic" --protocol sqs \
  --notification-endpoint "arn:aws:sqs:us-east-1:111122223333:$run" --query SubscriptionArn --output text)"
expect_match "sns subscribe" "$sub" "^$topic:"
confirmed="$(aws sns get-topic-attributes --topic-arn "$topic" --query 'Attributes.SubscriptionsConfirmed' --output text)"
expect_match "sns get-topic-attributes" "$confirmed" '^[1-9]'
endpoints="$(aws sns list-subscriptions-by-topic --topic-arn "$topic" --query 'Subscriptions[].Endpoint' --output text)"
expect_match "sns list-subscriptions-by-topic" "$endpoints" "$run"

# --- EventBridge: the stack's rules and targets, a rule of our own, the buses.
rule="$(aws events list-rules --limit 1 --query 'Rules[0].Name' --output text)"
expect_match "events list-rules --limit 1" "$rule" '.'
targets="$(aws events list-targets-by-rule --rule "$rule" --query 'length(Targets)')"
expect_match "events list-targets-by-rule" "$targets" '^[1-9]'
arn="$(aws events put-rule --name "$run" --event-pattern '{"source":["smoke.cli"]}' --state DISABLED \
  --query RuleArn --output text)"
expect "events put-rule" "$arn" "arn:aws:events:us-east-1:111122223333:rule/$run"
buses="$(aws events list-event-buses --query 'EventBuses[].Name' --output text)"
expect_match "events list-event-buses" "$buses" 'default'

# --- CloudWatch Logs: the execution started above ran the steps function, whose lines land in
# its log group as Lambda writes them. Wait (wall time) for the execution to end first.
for _ in $(seq 60); do
  status="$(aws stepfunctions describe-execution --execution-arn "$execution" --query status --output text)"
  [ "$status" != RUNNING ] && break
  sleep 1
done
group="$(aws logs describe-log-groups --log-group-name-prefix /aws/lambda/ \
  --query 'logGroups[?contains(logGroupName, `RolloutSteps`)].logGroupName | [0]' --output text)"
expect_match "logs describe-log-groups" "$group" '^/aws/lambda/.*RolloutSteps'
stream="$(aws logs describe-log-streams --log-group-name "$group" --order-by LastEventTime --descending \
  --max-items 1 --query 'logStreams[0].logStreamName' --output text)"
expect_match "logs describe-log-streams (Lambda's stream names)" "$stream" '^[0-9]{4}/[0-9]{2}/[0-9]{2}/\[.+\][0-9a-f]{32}$'
first="$(aws logs get-log-events --log-group-name "$group" --log-stream-name "$stream" --start-from-head \
  --limit 1 --query 'events[0].message' --output text)"
expect_match "logs get-log-events" "$first" '.'
reports="$(aws logs filter-log-events --log-group-name "$group" --filter-pattern REPORT --query 'length(events)')"
expect_match "logs filter-log-events --filter-pattern REPORT" "$reports" '^[1-9]'
starts="$(aws logs filter-log-events --log-group-name "$group" --filter-pattern '"START RequestId"' \
  --query 'events[].message' --output text)"
expect_match "logs filter-log-events with a quoted phrase" "$starts" '^START RequestId'
# `logs tail` exists in AWS CLI v2 only; Debian ships v1 or v2 depending on the release.
if [[ "$("$AWS_BIN" --version 2>&1)" == aws-cli/1.* ]]; then
  printf 'skip logs tail (AWS CLI v1 has no logs tail)\n'
else
  tailed="$(aws logs tail "$group" --since 1h --format short)"
  expect_match "logs tail" "$tailed" 'START RequestId: [0-9a-f-]+'
  # --follow polls FilterLogEvents until interrupted: stop it after its first answers.
  followed="$(timeout 8 "$AWS_BIN" --endpoint-url "$ENDPOINT" logs tail "$group" --since 1h --follow --format short || true)"
  expect_match "logs tail --follow" "$followed" 'REPORT RequestId'
fi

printf 'cli smoke: all checks passed\n'
