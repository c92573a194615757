package dev.poolshift.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The template's least-privilege rules, checked statically (there is no IAM policy simulator
 * here), and each check shown to fail on a deliberately loosened copy of the policy: a check that
 * cannot fail proves nothing. The managed-tag check on endpoint updates; deletes of models and
 * configs only under the deployment tag, which only tag-on-create can set; alarm writes only under
 * the managed prefix; CreateEndpointConfig only with the instance-type conditions.
 */
class TemplatePoliciesTest {
  static final String ENDPOINTS = "Sub:arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:endpoint/*";
  static final String CONFIGS = "Sub:arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:endpoint-config/*";
  static final Map<String, Object> TAGGED = Map.of("StringEquals", Map.of("aws:ResourceTag/poolshift:managed", "true"));

  private static Map<String, Object> allow(Object action, Object resource, Map<String, Object> condition) {
    Map<String, Object> st = new LinkedHashMap<>();
    st.put("Effect", "Allow");
    st.put("Action", action);
    st.put("Resource", resource);
    if (condition != null) {
      st.put("Condition", condition);
    }
    return st;
  }

  private static List<String> ungated(Map<String, Object> statement) {
    return TemplatePolicies.ungatedEndpointGrants("Fn", List.of(statement), "sagemaker:UpdateEndpoint");
  }

  @Test
  void anUpdateOnEndpointsUnderTheTagConditionPasses() {
    assertThat(ungated(allow(List.of("sagemaker:UpdateEndpoint"), ENDPOINTS, TAGGED))).isEmpty();
    assertThat(ungated(allow("sagemaker:UpdateEndpoint", List.of(CONFIGS), null)))
        .as("configs are not endpoints").isEmpty();
    assertThat(ungated(allow("sagemaker:DescribeEndpoint", ENDPOINTS, null))).as("another action").isEmpty();
  }

  @Test
  void anUnconditionedWildcardedOrLooselyConditionedGrantIsCaught() {
    assertThat(ungated(allow("sagemaker:UpdateEndpoint", ENDPOINTS, null))).hasSize(1);
    assertThat(ungated(allow("sagemaker:Update*", ENDPOINTS, null))).as("wildcard action").hasSize(1);
    assertThat(ungated(allow("SageMaker:updateendpoint", ENDPOINTS, null))).as("actions ignore case").hasSize(1);
    assertThat(ungated(allow("sagemaker:UpdateEndpoint", "*", null))).as("any resource").hasSize(1);
    assertThat(ungated(allow("sagemaker:UpdateEndpoint",
        "Sub:arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:*", null))).hasSize(1);
    assertThat(ungated(allow("sagemaker:UpdateEndpoint", "Ref:SomeArn", null))).as("unresolvable resource").hasSize(1);
    assertThat(ungated(allow("sagemaker:UpdateEndpoint", List.of(CONFIGS, ENDPOINTS), null))).hasSize(1);
    assertThat(ungated(allow("sagemaker:UpdateEndpoint", ENDPOINTS,
        Map.of("StringEquals", Map.of("aws:ResourceTag/poolshift:managed", "True"))))).as("wrong value").hasSize(1);
    assertThat(ungated(allow("sagemaker:UpdateEndpoint", ENDPOINTS,
        Map.of("StringLike", Map.of("aws:ResourceTag/poolshift:managed", "*"))))).as("wrong operator").hasSize(1);
    Map<String, Object> notAction = new LinkedHashMap<>(Map.of("Effect", "Allow", "NotAction", "iam:*", "Resource", "*"));
    assertThat(ungated(notAction)).hasSize(1);
  }

  // ---------------------------------------------------------------- the template's own policies

  private static final String MODELS = "Sub:arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:model/*";
  private static final String MANAGED_ALARMS =
      "Sub:arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:${ManagedAlarmPrefix}*";
  private static final Map<String, List<Map<String, Object>>> POLICIES = TemplatePolicies.statementsByFunction();

  @Test
  void noFunctionDeletesAModelOrConfigWithoutTheDeploymentTag() {
    POLICIES.forEach((fn, list) -> assertThat(TemplatePolicies.untaggedDeletes(fn, list)).as(fn).isEmpty());
    for (String action : List.of("sagemaker:DeleteModel", "sagemaker:DeleteEndpointConfig")) {
      assertThat(TemplatePolicies.functionsAllowed(POLICIES, action)).as(action)
          .containsExactlyInAnyOrder("RolloutStepsFunction", "ReconcilerFunction");
    }
  }

  @Test
  void modelsAndConfigsAreCreatedOnlyCarryingTheDeploymentTagAndTaggedOnlyAtCreation() {
    POLICIES.forEach((fn, list) -> {
      assertThat(TemplatePolicies.untaggedCreates(fn, list)).as(fn).isEmpty();
      assertThat(TemplatePolicies.unscopedTagging(fn, list)).as(fn).isEmpty();
    });
    for (String action : List.of("sagemaker:CreateModel", "sagemaker:CreateEndpointConfig", "sagemaker:AddTags")) {
      assertThat(TemplatePolicies.functionsAllowed(POLICIES, action)).as(action).containsExactly("RolloutStepsFunction");
    }
  }

  @Test
  void createEndpointConfigNeedsInstanceTypesInTheRequestAndAllOfThemAllowed() {
    POLICIES.forEach((fn, list) -> assertThat(TemplatePolicies.unguardedConfigCreates(fn, list)).as(fn).isEmpty());
    assertThat(TemplatePolicies.statementsAllowing(POLICIES, "sagemaker:CreateEndpointConfig")).singleElement()
        .satisfies(st -> assertThat(st.get("Condition").toString())
            .contains("sagemaker:InstanceTypes=Split:[,, Ref:AllowedInstanceTypes]"));
  }

  @Test
  void canaryAlarmsAreCreatedAndDeletedOnlyUnderTheManagedPrefix() {
    POLICIES.forEach((fn, list) -> assertThat(TemplatePolicies.foreignAlarmWrites(fn, list)).as(fn).isEmpty());
    assertThat(TemplatePolicies.functionsAllowed(POLICIES, "cloudwatch:PutMetricAlarm"))
        .containsExactly("RolloutStepsFunction");
    assertThat(TemplatePolicies.functionsAllowed(POLICIES, "cloudwatch:DeleteAlarms"))
        .containsExactlyInAnyOrder("RolloutStepsFunction", "ReconcilerFunction");
    for (String action : List.of("cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms")) {
      assertThat(TemplatePolicies.statementsAllowing(POLICIES, action)).allSatisfy(st ->
          assertThat(TemplatePolicies.resources(st)).containsExactly(MANAGED_ALARMS));
    }
  }

  @Test
  void onlyTheGateReadsAlarmsOutsideTheManagedPrefix() {
    List<String> readers = POLICIES.entrySet().stream().filter(e -> !TemplatePolicies.grants(e.getValue(),
        "cloudwatch:DescribeAlarms", TemplatePolicies.SAMPLE_FOREIGN_ALARM_ARN).isEmpty()).map(Map.Entry::getKey).toList();

    assertThat(readers).as("the profile's gate alarms have any name").containsExactly("RolloutStepsFunction");
    assertThat(TemplatePolicies.grants(POLICIES.get("ReconcilerFunction"), "cloudwatch:DescribeAlarms",
        "arn:aws:cloudwatch:us-east-1:111122223333:alarm:poolshift-fraud-scoring-prod-canary-v42-5xx-rate"))
        .as("the reconciler still reads its own before deleting them").isNotEmpty();
  }

  @Test
  void theManagedAlarmPrefixCannotWidenTheAlarmGrants() {
    Map<String, Object> parameter = TemplatePolicies.map(
        TemplatePolicies.map(TemplatePolicies.template().get("Parameters")).get("ManagedAlarmPrefix"));
    Pattern allowed = Pattern.compile(String.valueOf(parameter.get("AllowedPattern")));

    assertThat(List.of(String.valueOf(parameter.get("Default")), "poolshift-", "ml.team/canary_"))
        .allMatch(p -> allowed.matcher(p).matches());
    assertThat(List.of("", "*", "poolshift-*", "pool?shift-", "${aws:username}", "pool shift", "p".repeat(65)))
        .noneMatch(p -> allowed.matcher(p).matches());
  }

  // ---------------------------------------------------------------- each check fails on a loosened copy

  @Test
  void aDeleteLoosenedInAnyWayIsCaught() {
    assertThat(TemplatePolicies.untaggedDeletes("Fn", loosened("ReconcilerFunction", "sagemaker:DeleteModel",
        st -> st.remove("Condition")))).isNotEmpty();
    assertThat(TemplatePolicies.untaggedDeletes("Fn", loosened("RolloutStepsFunction", "sagemaker:DeleteEndpointConfig",
        st -> condition(st, "StringLike").put("aws:ResourceTag/poolshift:deployment", "*"))))
        .as("\"*\" also matches an empty value").isNotEmpty();
    assertThat(TemplatePolicies.untaggedDeletes("Fn", loosened("RolloutStepsFunction", "sagemaker:DeleteModel",
        st -> st.put("Condition", Map.of("StringLikeIfExists", condition(st, "StringLike"))))))
        .as("IfExists passes an untagged model").isNotEmpty();
    assertThat(TemplatePolicies.untaggedDeletes("Fn", List.of(allow("sagemaker:Delete*", MODELS, null)))).hasSize(1);
    assertThat(TemplatePolicies.untaggedDeletes("Fn", List.of(allow("sagemaker:DeleteEndpointConfig", "*", null))))
        .hasSize(1);
    assertThat(TemplatePolicies.untaggedDeletes("Fn", List.of(new LinkedHashMap<>(
        Map.of("Effect", "Allow", "NotAction", "iam:*", "Resource", "*"))))).hasSize(2);
  }

  @Test
  void aCreateOrTagLoosenedInAnyWayIsCaught() {
    assertThat(TemplatePolicies.untaggedCreates("Fn", loosened("RolloutStepsFunction", "sagemaker:CreateModel",
        st -> TemplatePolicies.map(st.get("Condition")).remove("ForAnyValue:StringEquals")))).hasSize(1);
    assertThat(TemplatePolicies.untaggedCreates("Fn", loosened("RolloutStepsFunction", "sagemaker:CreateEndpointConfig",
        st -> TemplatePolicies.map(st.get("Condition")).remove("StringLike")))).hasSize(1);
    assertThat(TemplatePolicies.unscopedTagging("Fn", loosened("RolloutStepsFunction", "sagemaker:AddTags",
        st -> st.remove("Condition")))).isNotEmpty();
    assertThat(TemplatePolicies.unscopedTagging("Fn", loosened("RolloutStepsFunction", "sagemaker:AddTags",
        st -> condition(st, "StringEquals").put("sagemaker:TaggingAction", List.of("CreateModel", "CreateEndpoint")))))
        .as("tagging an endpoint at creation is not Poolshift's").isNotEmpty();
    assertThat(TemplatePolicies.unscopedTagging("Fn", loosened("RolloutStepsFunction", "sagemaker:AddTags",
        st -> st.put("Condition", Map.of("StringLike", Map.of("sagemaker:TaggingAction", "*")))))).isNotEmpty();
    assertThat(TemplatePolicies.unscopedTagging("Fn", List.of(allow("sagemaker:AddTags", "*", null)))).hasSize(3);
  }

  @Test
  void aCreateEndpointConfigMissingEitherInstanceTypeConditionIsCaught() {
    String action = "sagemaker:CreateEndpointConfig";
    assertThat(TemplatePolicies.unguardedConfigCreates("Fn", loosened("RolloutStepsFunction", action,
        st -> TemplatePolicies.map(st.get("Condition")).remove("Null")))).as("ForAllValues alone").hasSize(1);
    assertThat(TemplatePolicies.unguardedConfigCreates("Fn", loosened("RolloutStepsFunction", action,
        st -> TemplatePolicies.map(st.get("Condition")).remove("ForAllValues:StringLike")))).as("Null alone").hasSize(1);
    assertThat(TemplatePolicies.unguardedConfigCreates("Fn", loosened("RolloutStepsFunction", action,
        st -> condition(st, "Null").put("sagemaker:InstanceTypes", "true")))).hasSize(1);
    assertThat(TemplatePolicies.unguardedConfigCreates("Fn", loosened("RolloutStepsFunction", action,
        st -> condition(st, "ForAllValues:StringLike").put("sagemaker:InstanceTypes", List.of("ml.g5.*", "*")))))
        .as("a bare * allows every type").hasSize(1);
    assertThat(TemplatePolicies.unguardedConfigCreates("Fn", loosened("RolloutStepsFunction", action, st -> {
      Map<String, Object> c = TemplatePolicies.map(st.get("Condition"));
      c.put("ForAnyValue:StringLike", c.remove("ForAllValues:StringLike"));
    }))).as("one allowed type among others is not enough").hasSize(1);
    assertThat(TemplatePolicies.unguardedConfigCreates("Fn", loosened("RolloutStepsFunction", action, st -> {
      Map<String, Object> c = TemplatePolicies.map(st.get("Condition"));
      c.put(null, c.remove("Null"));
    }))).as("an unquoted Null key is a YAML null").hasSize(1);
  }

  @Test
  void anAlarmWriteOutsideThePrefixIsCaught() {
    String alarms = "Sub:arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:";
    assertThat(TemplatePolicies.foreignAlarmWrites("Fn", loosened("RolloutStepsFunction", "cloudwatch:PutMetricAlarm",
        st -> st.put("Resource", alarms + "*")))).hasSize(2);
    assertThat(TemplatePolicies.foreignAlarmWrites("Fn", List.of(allow("cloudwatch:DeleteAlarms", "*", null)))).hasSize(1);
    assertThat(TemplatePolicies.foreignAlarmWrites("Fn", List.of(allow("cloudwatch:PutMetricAlarm",
        alarms + "*${ManagedAlarmPrefix}*", null)))).as("the prefix anywhere in the name").hasSize(1);
    assertThat(TemplatePolicies.foreignAlarmWrites("Fn", List.of(allow("cloudwatch:*Alarm*", MANAGED_ALARMS, null))))
        .as("under the prefix, any action").isEmpty();
  }

  /**
   * A deep copy of a function's statements with {@code change} applied to the one that allows
   * {@code action}; the unchanged copy passes every check, so what is reported is the change.
   */
  private static List<Map<String, Object>> loosened(String function, String action, Consumer<Map<String, Object>> change) {
    List<Map<String, Object>> copy = new ArrayList<>();
    POLICIES.get(function).forEach(st -> copy.add(TemplatePolicies.map(deepCopy(st))));
    Map<String, Object> target = copy.stream().filter(st -> TemplatePolicies.actions(st).contains(action))
        .findFirst().orElseThrow();
    change.accept(target);
    return copy;
  }

  private static Object deepCopy(Object o) {
    if (o instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, deepCopy(v)));
      return out;
    }
    if (o instanceof List<?> l) {
      return new ArrayList<>(l.stream().map(TemplatePoliciesTest::deepCopy).toList());
    }
    return o;
  }

  private static Map<String, Object> condition(Map<String, Object> statement, String operator) {
    return TemplatePolicies.map(TemplatePolicies.map(statement.get("Condition")).get(operator));
  }
}
