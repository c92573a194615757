package dev.poolshift.local.iam;

import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.http.RequestParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * CloudWatch's request contexts, on every protocol it is spoken in (Service Authorization
 * Reference, "Amazon CloudWatch"; API reference for the permission notes):
 * <ul>
 *   <li>{@code PutMetricAlarm}, {@code DeleteAlarms}, {@code SetAlarmState}: each alarm's ARN
 *       ({@code arn:aws:cloudwatch:<region>:<account>:alarm:<name>}) with its tags as
 *       {@code aws:ResourceTag/<key>}. {@code PutMetricAlarm} adds the request's tags and
 *       {@code cloudwatch:AlarmActions} (its alarm, OK and insufficient-data actions); creating an
 *       alarm with tags needs {@code cloudwatch:TagResource} as well (the API reference's Tags
 *       parameter);</li>
 *   <li>{@code DescribeAlarms}: each alarm it names. The API reference says composite alarms are
 *       returned only to a {@code DescribeAlarms} permission on {@code *}: a request that asks for
 *       composite alarms, or names no alarm (a prefix, or all), is authorized against {@code *}
 *       (the harsher reading of how a narrower grant is enforced);</li>
 *   <li>{@code PutDashboard}, {@code GetDashboard}, {@code DeleteDashboards}: each dashboard's
 *       ARN ({@code arn:aws:cloudwatch::<account>:dashboard/<name>}, no Region);
 *       {@code ListDashboards}: {@code *};</li>
 *   <li>metric reads and writes have no resource-level permissions: {@code *};
 *       {@code PutMetricData} carries {@code cloudwatch:namespace}.</li>
 * </ul>
 */
final class CloudWatchRequests implements ServiceRequests {
  private final AwsContext aws;
  private final Function<String, Optional<Map<String, String>>> alarmTags;

  /** @param alarmTags the tags of an alarm that exists, by name; empty when there is no such alarm */
  CloudWatchRequests(AwsContext aws, Function<String, Optional<Map<String, String>>> alarmTags) {
    this.aws = aws;
    this.alarmTags = alarmTags;
  }

  @Override
  public String signingName() {
    return "monitoring";
  }

  @Override
  public List<Authorization> authorizations(WireRequest r) {
    String op = r.operation();
    RequestParams in = r.params();
    return switch (op) {
      case "PutMetricAlarm" -> putMetricAlarm(r.required("AlarmName"), in);
      case "DeleteAlarms" -> names(in).stream().map(n -> alarm(op, n)).toList();
      case "SetAlarmState" -> List.of(alarm(op, r.required("AlarmName")));
      case "DescribeAlarms" -> {
        List<String> names = names(in);
        List<String> types = in.strings("AlarmTypes");
        // Without AlarmTypes only metric alarms are returned (API reference).
        boolean composite = types != null && types.contains("CompositeAlarm");
        List<Authorization> out = new ArrayList<>(names.stream().map(n -> alarm(op, n)).toList());
        if (composite || names.isEmpty()) {
          out.add(Authorization.of("cloudwatch:" + op, "*"));
        }
        yield out;
      }
      case "PutMetricData" -> {
        Authorization a = Authorization.of("cloudwatch:" + op, "*");
        a.context().put("cloudwatch:namespace", r.text("Namespace"));
        yield List.of(a);
      }
      // Dashboards are global: arn:<partition>:cloudwatch::<account>:dashboard/<name>.
      case "PutDashboard", "GetDashboard" -> List.of(dashboard(op, r.required("DashboardName")));
      case "DeleteDashboards" -> {
        List<String> names = in.strings("DashboardNames");
        yield (names == null ? List.<String>of() : names).stream().map(n -> dashboard(op, n)).toList();
      }
      case "ListDashboards" -> List.of(Authorization.of("cloudwatch:" + op, "*"));
      case "GetMetricData", "GetMetricStatistics", "ListMetrics", "DescribeAlarmsForMetric" ->
          List.of(Authorization.of("cloudwatch:" + op, "*"));
      default -> throw new UnmappedOperationException("cloudwatch", op);
    };
  }

  private List<Authorization> putMetricAlarm(String name, RequestParams in) {
    Map<String, String> tags = Keys.paramTags(in, "Tags");
    RequestContext requestTags = Keys.requestTags(tags, in.isPresent("Tags"));
    Authorization put = alarm("PutMetricAlarm", name);
    put.context().merge(requestTags);
    List<String> actions = new ArrayList<>();
    for (String list : List.of("AlarmActions", "OKActions", "InsufficientDataActions")) {
      List<String> a = in.strings(list);
      if (a != null) {
        actions.addAll(a);
      }
    }
    if (!actions.isEmpty()) {
      put.context().putAll("cloudwatch:AlarmActions", actions);
    }
    List<Authorization> out = new ArrayList<>(List.of(put));
    // Tags of an existing alarm are ignored on update; only a new alarm is tagged.
    if (!tags.isEmpty() && alarmTags.apply(name).isEmpty()) {
      out.add(new Authorization("cloudwatch:TagResource", put.resource(), new RequestContext(requestTags)));
    }
    return out;
  }

  private Authorization alarm(String operation, String name) {
    String arn = aws.arn("cloudwatch", "alarm:" + name);
    return new Authorization("cloudwatch:" + operation, arn,
        Keys.resourceTags(alarmTags.apply(name).orElse(Map.of()), null));
  }

  private Authorization dashboard(String operation, String name) {
    return Authorization.of("cloudwatch:" + operation, "arn:" + aws.partition() + ":cloudwatch::"
        + aws.accountId() + ":dashboard/" + name);
  }

  private static List<String> names(RequestParams in) {
    List<String> names = in.strings("AlarmNames");
    return names == null ? List.of() : names;
  }
}
