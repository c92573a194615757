package dev.poolshift.local.cloudwatch;

import dev.poolshift.local.http.QueryParams;
import dev.poolshift.local.http.XmlWriter;

import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.http.AwsService;
import dev.poolshift.local.http.HttpCall;
import dev.poolshift.local.http.HttpReply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * CloudWatch on the AWS Query protocol, as the Java SDK 2.40.2 {@code CloudWatchClient} speaks it:
 * {@code POST /} with a form body ({@code Action=PutMetricAlarm&Version=2010-08-01&...}, lists as
 * {@code Name.member.N}, timestamps ISO-8601), signing name {@code monitoring}, no {@code
 * X-Amz-Target}; XML responses in the {@code http://monitoring.amazonaws.com/doc/2010-08-01/}
 * namespace and the XML error envelope {@code
 * <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>}.
 *
 * <p>Operations: PutMetricAlarm, DescribeAlarms, DescribeAlarmsForMetric, DeleteAlarms,
 * SetAlarmState, GetMetricData, PutMetricData, ListMetrics. Anything else is {@code InvalidAction}.
 */
public final class CloudWatchService implements AwsService {
  static final String XMLNS = "http://monitoring.amazonaws.com/doc/2010-08-01/";
  private static final Set<String> STATES = Set.of("OK", "ALARM", "INSUFFICIENT_DATA");

  private final CloudWatch cloudWatch;

  public CloudWatchService(CloudWatch cloudWatch) {
    this.cloudWatch = cloudWatch;
  }

  @Override
  public String signingName() {
    return "monitoring";
  }

  @Override
  public HttpReply handle(HttpCall call) {
    String requestId = UUID.randomUUID().toString();
    String form = call.body().length > 0 ? call.bodyText() : call.query();
    try {
      QueryParams params = QueryParams.parse(form);
      String action = params.string("Action");
      if (action == null) {
        throw AwsServiceException.client("MissingAction", "The request must contain the parameter Action.");
      }
      cloudWatch.faults().take(action).ifPresent(e -> {
        throw e;
      });
      XmlWriter xml = new XmlWriter().start(action + "Response", XMLNS);
      switch (action) {
        case "PutMetricAlarm" -> cloudWatch.putMetricAlarm(alarmDefinition(params));
        case "DescribeAlarms" -> describeAlarms(params, xml.start("DescribeAlarmsResult")).end();
        case "DescribeAlarmsForMetric" -> describeAlarmsForMetric(params, xml.start("DescribeAlarmsForMetricResult")).end();
        case "DeleteAlarms" -> cloudWatch.deleteAlarms(Validation.required("alarmNames", strings(params, "AlarmNames")));
        case "SetAlarmState" -> setAlarmState(params);
        case "GetMetricData" -> getMetricData(params, xml.start("GetMetricDataResult")).end();
        case "PutMetricData" -> putMetricData(params);
        case "ListMetrics" -> listMetrics(params, xml.start("ListMetricsResult")).end();
        default -> throw AwsServiceException.client("InvalidAction", "Could not find operation " + action
            + " for version 2010-08-01");
      }
      xml.start("ResponseMetadata").leaf("RequestId", requestId).end().end();
      return new HttpReply(200, "text/xml", Map.of("x-amzn-RequestId", requestId),
          xml.toString().getBytes(StandardCharsets.UTF_8));
    } catch (AwsServiceException e) {
      return error(requestId, e.status(), e.code(), e.getMessage());
    } catch (RuntimeException e) {
      // A bug in the local service: answer as AWS does for internal errors, keep the cause visible.
      e.printStackTrace();
      return error(requestId, 500, "InternalServiceError", String.valueOf(e));
    }
  }

  private static HttpReply error(String requestId, int status, String code, String message) {
    return XmlWriter.errorReply(XMLNS, requestId, status, code, message);
  }

  private static List<String> strings(QueryParams params, String name) {
    return params.strings(name);
  }

  // ---------------------------------------------------------------- request parsing

  private static AlarmDefinition alarmDefinition(QueryParams p) {
    List<MetricDataQuery> metrics = null;
    if (p.string("Metrics") != null || p.hasStructure("Metrics")) {
      metrics = p.members("Metrics").stream().map(CloudWatchService::metricDataQuery).toList();
    }
    Map<String, String> tags = new java.util.LinkedHashMap<>();
    for (QueryParams tag : p.members("Tags")) {
      tags.put(Validation.required(tag.path("Key"), tag.string("Key")), Validation.required(tag.path("Value"),
          tag.string("Value")));
    }
    return new AlarmDefinition(p.string("AlarmName"), p.string("AlarmDescription"), p.bool("ActionsEnabled"),
        p.strings("OKActions"), p.strings("AlarmActions"), p.strings("InsufficientDataActions"),
        p.string("MetricName"), p.string("Namespace"), dimensionsOrNull(p, "Dimensions"), p.string("Statistic"),
        p.string("ExtendedStatistic"), p.integer("Period"), p.string("Unit"), p.integer("EvaluationPeriods"),
        p.integer("DatapointsToAlarm"), p.decimal("Threshold"), p.string("ComparisonOperator"),
        p.string("TreatMissingData"), p.string("EvaluateLowSampleCountPercentile"), metrics,
        p.string("ThresholdMetricId"), tags);
  }

  private static List<MetricKey.Dimension> dimensionsOrNull(QueryParams p, String name) {
    if (p.string(name) == null && !p.hasStructure(name)) {
      return null;
    }
    return dimensions(p, name);
  }

  private static List<MetricKey.Dimension> dimensions(QueryParams p, String name) {
    List<MetricKey.Dimension> dims = new ArrayList<>();
    for (QueryParams d : p.members(name)) {
      dims.add(new MetricKey.Dimension(Validation.required(d.path("Name"), d.string("Name")),
          Validation.required(d.path("Value"), d.string("Value"))));
    }
    return dims;
  }

  private static MetricDataQuery metricDataQuery(QueryParams q) {
    MetricStat stat = null;
    if (q.hasStructure("MetricStat")) {
      QueryParams ms = q.sub("MetricStat");
      MetricKey metric = null;
      if (ms.hasStructure("Metric")) {
        QueryParams m = ms.sub("Metric");
        metric = new MetricKey(Validation.required(m.path("Namespace"), m.string("Namespace")),
            Validation.required(m.path("MetricName"), m.string("MetricName")), dimensions(m, "Dimensions"));
      }
      stat = new MetricStat(metric, ms.integer("Period"), ms.string("Stat"), ms.string("Unit"));
    }
    String account = q.string("AccountId");
    if (account != null && !account.isEmpty()) {
      throw Validation.error("The parameter " + q.path("AccountId") + " is not supported by the local CloudWatch: "
          + "cross-account metrics are not simulated.");
    }
    return new MetricDataQuery(q.string("Id"), stat, q.string("Expression"), q.string("Label"), q.bool("ReturnData"),
        q.integer("Period"));
  }

  // ---------------------------------------------------------------- alarms

  private XmlWriter describeAlarms(QueryParams p, XmlWriter xml) {
    List<String> names = p.strings("AlarmNames");
    String prefix = p.string("AlarmNamePrefix");
    if (names != null && !names.isEmpty() && prefix != null) {
      throw Validation.invalidParameterCombination("AlarmNamePrefix and AlarmNames cannot be specified together.");
    }
    if (names != null && names.size() > 100) {
      throw Validation.constraint("alarmNames", names.size() + " names", "Member must have length less than or equal to 100");
    }
    String state = Validation.oneOf("stateValue", p.string("StateValue"), STATES);
    String actionPrefix = p.string("ActionPrefix");
    List<String> types = p.strings("AlarmTypes");
    if (types != null) {
      types.forEach(t -> Validation.oneOf("alarmTypes", t, Set.of("MetricAlarm", "CompositeAlarm")));
    }
    boolean metricAlarms = types == null || types.isEmpty() || types.contains("MetricAlarm");
    Integer maxRecords = p.integer("MaxRecords");
    if (maxRecords != null && (maxRecords < 1 || maxRecords > 100)) {
      throw Validation.constraint("maxRecords", maxRecords, "Member must have value between 1 and 100");
    }
    int max = maxRecords == null ? 50 : maxRecords;
    String after = decodeName(p.string("NextToken"));
    boolean relations = p.string("ChildrenOfAlarmName") != null || p.string("ParentsOfAlarmName") != null;

    List<AlarmSnapshot> matching = new ArrayList<>();
    if (metricAlarms && !relations) {
      for (AlarmSnapshot a : cloudWatch.alarms()) {
        if ((names == null || names.isEmpty() || names.contains(a.alarmName()))
            && (prefix == null || a.alarmName().startsWith(prefix))
            && (state == null || a.state().name().equals(state))
            && (actionPrefix == null || hasAction(a.definition(), actionPrefix))
            && (after == null || a.alarmName().compareTo(after) > 0)) {
          matching.add(a);
        }
      }
    }
    List<AlarmSnapshot> page = matching.subList(0, Math.min(max, matching.size()));
    xml.start("MetricAlarms");
    page.forEach(a -> metricAlarm(xml.start("member"), a).end());
    xml.end();
    xml.start("CompositeAlarms").end();
    if (matching.size() > page.size()) {
      xml.leaf("NextToken", encodeName(page.get(page.size() - 1).alarmName()));
    }
    return xml;
  }

  private static boolean hasAction(AlarmDefinition d, String prefix) {
    return d.okActions().stream().anyMatch(a -> a.startsWith(prefix))
        || d.alarmActions().stream().anyMatch(a -> a.startsWith(prefix))
        || d.insufficientDataActions().stream().anyMatch(a -> a.startsWith(prefix));
  }

  private static String encodeName(String name) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("after:" + name).getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeName(String token) {
    if (token == null) {
      return null;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (text.startsWith("after:")) {
        return text.substring(6);
      }
    } catch (IllegalArgumentException e) {
      // falls through to the error below
    }
    throw AwsServiceException.client("InvalidNextToken", "The service couldn't process the NextToken " + token);
  }

  private XmlWriter describeAlarmsForMetric(QueryParams p, XmlWriter xml) {
    String name = Validation.required("metricName", p.string("MetricName"));
    String namespace = Validation.required("namespace", p.string("Namespace"));
    MetricKey metric = new MetricKey(namespace, name, dimensions(p, "Dimensions"));
    List<AlarmSnapshot> alarms = cloudWatch.alarmsForMetric(metric, p.string("Statistic"),
        p.string("ExtendedStatistic"), p.integer("Period"), p.string("Unit"));
    xml.start("MetricAlarms");
    alarms.forEach(a -> metricAlarm(xml.start("member"), a).end());
    return xml.end();
  }

  private static XmlWriter metricAlarm(XmlWriter xml, AlarmSnapshot a) {
    AlarmDefinition d = a.definition();
    xml.leaf("AlarmName", d.alarmName()).leaf("AlarmArn", a.alarmArn()).leaf("AlarmDescription", d.alarmDescription())
        .leaf("AlarmConfigurationUpdatedTimestamp", a.configurationUpdated())
        .leaf("ActionsEnabled", d.actionsEnabled() == null || d.actionsEnabled());
    stringList(xml, "OKActions", d.okActions());
    stringList(xml, "AlarmActions", d.alarmActions());
    stringList(xml, "InsufficientDataActions", d.insufficientDataActions());
    xml.leaf("StateValue", a.state().name()).leaf("StateReason", a.stateReason())
        .leaf("StateReasonData", a.stateReasonData()).leaf("StateUpdatedTimestamp", a.stateUpdated())
        .leaf("MetricName", d.metricName()).leaf("Namespace", d.namespace()).leaf("Statistic", d.statistic())
        .leaf("ExtendedStatistic", d.extendedStatistic());
    if (d.metrics() == null) {
      dimensionList(xml, "Dimensions", d.dimensions() == null ? List.of() : d.dimensions());
    }
    xml.leaf("Period", d.period()).leaf("Unit", d.unit()).leaf("EvaluationPeriods", d.evaluationPeriods())
        .leaf("DatapointsToAlarm", d.datapointsToAlarm()).leaf("Threshold", d.threshold())
        .leaf("ComparisonOperator", d.comparisonOperator()).leaf("TreatMissingData", d.treatMissingData())
        .leaf("EvaluateLowSampleCountPercentile", d.evaluateLowSampleCountPercentile());
    if (d.metrics() != null) {
      xml.start("Metrics");
      for (MetricDataQuery q : d.metrics()) {
        xml.start("member").leaf("Id", q.id());
        if (q.metricStat() != null) {
          MetricStat ms = q.metricStat();
          xml.start("MetricStat").start("Metric").leaf("Namespace", ms.metric().namespace())
              .leaf("MetricName", ms.metric().metricName());
          dimensionList(xml, "Dimensions", ms.metric().dimensions());
          xml.end().leaf("Period", ms.period()).leaf("Stat", ms.stat()).leaf("Unit", ms.unit()).end();
        }
        xml.leaf("Expression", q.expression()).leaf("Label", q.label()).leaf("ReturnData", q.returnsData())
            .leaf("Period", q.period()).end();
      }
      xml.end();
    }
    return xml.leaf("StateTransitionedTimestamp", a.stateTransitioned());
  }

  private static void stringList(XmlWriter xml, String name, List<String> values) {
    xml.start(name);
    values.forEach(v -> xml.leaf("member", v));
    xml.end();
  }

  private static void dimensionList(XmlWriter xml, String name, List<MetricKey.Dimension> dims) {
    xml.start(name);
    dims.forEach(d -> xml.start("member").leaf("Name", d.name()).leaf("Value", d.value()).end());
    xml.end();
  }

  private void setAlarmState(QueryParams p) {
    String state = Validation.required("stateValue", p.string("StateValue"));
    Validation.oneOf("stateValue", state, STATES);
    cloudWatch.setAlarmState(p.string("AlarmName"), AlarmStateValue.valueOf(state), p.string("StateReason"),
        p.string("StateReasonData"));
  }

  // ---------------------------------------------------------------- metrics

  private XmlWriter getMetricData(QueryParams p, XmlWriter xml) {
    List<MetricDataQuery> queries = p.members("MetricDataQueries").stream().map(CloudWatchService::metricDataQuery)
        .toList();
    if (queries.isEmpty()) {
      Validation.required("metricDataQueries", null);
    }
    String scanBy = Validation.oneOf("scanBy", p.string("ScanBy"), Set.of("TimestampDescending", "TimestampAscending"));
    CloudWatch.MetricDataPage page = cloudWatch.getMetricData(queries, p.instant("StartTime"), p.instant("EndTime"),
        "TimestampAscending".equals(scanBy), p.integer("MaxDatapoints"), p.string("NextToken"));
    xml.start("MetricDataResults");
    for (MetricDataResult r : page.results()) {
      xml.start("member").leaf("Id", r.id()).leaf("Label", r.label()).start("Timestamps");
      r.timestamps().forEach(t -> xml.leaf("member", t));
      xml.end().start("Values");
      r.values().forEach(v -> xml.leaf("member", v));
      xml.end().leaf("StatusCode", r.statusCode()).start("Messages").end().end();
    }
    xml.end().leaf("NextToken", page.nextToken()).start("Messages").end();
    return xml;
  }

  private void putMetricData(QueryParams p) {
    if (!p.members("EntityMetricData").isEmpty()) {
      throw Validation.error("EntityMetricData is not supported by the local CloudWatch; send MetricData.");
    }
    List<MetricDatum> data = new ArrayList<>();
    for (QueryParams d : p.members("MetricData")) {
      MetricDatum.StatisticSet set = null;
      if (d.hasStructure("StatisticValues")) {
        QueryParams s = d.sub("StatisticValues");
        set = new MetricDatum.StatisticSet(s.decimal("SampleCount"), s.decimal("Sum"), s.decimal("Minimum"),
            s.decimal("Maximum"));
      }
      data.add(new MetricDatum(d.string("MetricName"), dimensions(d, "Dimensions"), d.instant("Timestamp"),
          d.decimal("Value"), set, decimals(d, "Values"), decimals(d, "Counts"), d.string("Unit"),
          d.integer("StorageResolution")));
    }
    cloudWatch.putMetricData(p.string("Namespace"), data);
  }

  private static List<Double> decimals(QueryParams p, String name) {
    List<String> values = p.strings(name);
    if (values == null) {
      return List.of();
    }
    List<Double> result = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      try {
        result.add(Double.valueOf(values.get(i).trim()));
      } catch (NumberFormatException e) {
        throw Validation.error("The value " + values.get(i) + " for parameter " + p.path(name) + ".member." + (i + 1)
            + " is not a valid number.");
      }
    }
    return result;
  }

  private XmlWriter listMetrics(QueryParams p, XmlWriter xml) {
    List<CloudWatch.DimensionFilter> filters = new ArrayList<>();
    for (QueryParams f : p.members("Dimensions")) {
      filters.add(new CloudWatch.DimensionFilter(f.string("Name"), f.string("Value")));
    }
    String recently = p.string("RecentlyActive");
    if (recently != null && !recently.equals("PT3H")) {
      throw Validation.constraint("recentlyActive", recently, "Member must satisfy enum value set: [PT3H]");
    }
    CloudWatch.MetricsPage page = cloudWatch.listMetrics(p.string("Namespace"), p.string("MetricName"), filters,
        recently != null, p.string("NextToken"));
    xml.start("Metrics");
    for (MetricKey k : page.metrics()) {
      xml.start("member").leaf("Namespace", k.namespace()).leaf("MetricName", k.metricName());
      dimensionList(xml, "Dimensions", k.dimensions());
      xml.end();
    }
    return xml.end().leaf("NextToken", page.nextToken());
  }
}
