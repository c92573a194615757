package dev.poolshift.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Intrinsic functions, pseudo parameters and the errors a bad template produces. */
class IntrinsicsTest {
  @TempDir
  Path dir;

  private SamTemplate load(String resources) {
    return load("", resources);
  }

  private SamTemplate load(String head, String resources) {
    String yaml = "Transform: AWS::Serverless-2016-10-31\n" + head + "Resources:\n" + resources.indent(2);
    Path file = dir.resolve("template.yaml");
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return SamTemplate.load(file);
  }

  private Map<String, String> env(String variables) {
    return load("""
        Parameters:
          Names: {Type: CommaDelimitedList, Default: "a,b,c"}
          Size: {Type: Number, Default: 3}
        Conditions:
          Big: !Equals [!Ref Size, 3]
        Mappings:
          M: {us-east-1: {zone: east}}
        """, """
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Handler: x.Y
            Environment:
              Variables:
        """ + variables.indent(8) + """
        Table:
          Type: AWS::DynamoDB::Table
          Properties:
            BillingMode: PAY_PER_REQUEST
            AttributeDefinitions: [{AttributeName: k, AttributeType: S}]
            KeySchema: [{AttributeName: k, KeyType: HASH}]
        """).function("Fn").environment();
  }

  @Test
  void subResolvesParametersPseudoParametersAttributesVariablesAndEscapes() {
    Map<String, String> env = env("""
        A: !Sub "${AWS::Region}/${AWS::AccountId}/${AWS::Partition}/${AWS::StackName}/${AWS::URLSuffix}"
        B: !Sub "${Table}|${Table.Arn}|${!Literal}"
        C: !Sub ["${x}-${Size}", {x: !Ref Table}]
        D:
          Fn::Sub: "${Size}0"
        """);

    assertThat(env).containsEntry("A", "us-east-1/111122223333/aws/poolshift/amazonaws.com")
        .containsEntry("B", "poolshift-Table|arn:aws:dynamodb:us-east-1:111122223333:table/poolshift-Table|${Literal}")
        .containsEntry("C", "poolshift-Table-3")
        .containsEntry("D", "30");
  }

  @Test
  void listAndConditionFunctionsEvaluate() {
    Map<String, String> env = env("""
        JOIN: !Join ["+", !Ref Names]
        SELECT: !Select [2, !Split [",", "x,y,z"]]
        IF: !If [Big, big, small]
        NOT: !If [Big, !Ref AWS::NoValue, present]
        B64: !Base64 hello
        AZ: !Select [0, !GetAZs ""]
        MAP: !FindInMap [M, !Ref "AWS::Region", zone]
        LONG:
          Fn::Join: ["", ["a", {"Fn::Select": [1, ["x", "y"]]}]]
        """);

    assertThat(env).containsEntry("JOIN", "a+b+c")
        .containsEntry("SELECT", "z")
        .containsEntry("IF", "big")
        .doesNotContainKey("NOT")
        .containsEntry("B64", "aGVsbG8=")
        .containsEntry("AZ", "us-east-1a")
        .containsEntry("MAP", "east")
        .containsEntry("LONG", "ay");
  }

  @Test
  void andOrNotConditionsCombine() {
    SamTemplate t = load("""
        Parameters:
          Stage: {Type: String, Default: dev}
        Conditions:
          Dev: !Equals [!Ref Stage, dev]
          Prod: !Equals [prod, !Ref Stage]
          DevOrProd: !Or [!Condition Dev, !Condition Prod]
          DevAndNotProd: !And [!Condition Dev, !Not [!Condition Prod]]
          LongForm: {"Fn::And": [{"Condition": "Dev"}, {"Fn::Equals": ["a", "a"]}]}
        """, """
        Topic: {Type: AWS::SNS::Topic}
        """);

    assertThat(t.condition("DevOrProd")).isTrue();
    assertThat(t.condition("DevAndNotProd")).isTrue();
    assertThat(t.condition("LongForm")).isTrue();
    assertThat(t.condition("Prod")).isFalse();
  }

  @Test
  void getAttListFormAndSqsQueueAttributesResolve() {
    Map<String, String> env = load("""
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Handler: x.Y
            Environment:
              Variables:
                ARN: !GetAtt [Queue, Arn]
                URL: !Ref Queue
                FIFO: !GetAtt Fifo.QueueName
        Queue: {Type: AWS::SQS::Queue}
        Fifo: {Type: AWS::SQS::Queue, Properties: {FifoQueue: true}}
        """).function("Fn").environment();

    assertThat(env).containsEntry("ARN", "arn:aws:sqs:us-east-1:111122223333:poolshift-Queue")
        .containsEntry("URL", "https://sqs.us-east-1.amazonaws.com/111122223333/poolshift-Queue")
        .containsEntry("FIFO", "poolshift-Fifo.fifo");
  }

  @Test
  void unknownRefNamesTheMissingResourceAndWhereItIsUsed() {
    assertThatThrownBy(() -> env("X: !Ref Nope"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("Resources.Fn.Properties.Environment.Variables.X")
        .hasMessageContaining("no resource or parameter named 'Nope'");
  }

  @Test
  void unknownAttributeNamesTheResourceTheAttributeAndTheSupportedOnes() {
    assertThatThrownBy(() -> env("X: !GetAtt Table.Nope"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("Fn::GetAtt Table.Nope")
        .hasMessageContaining("AWS::DynamoDB::Table Table has no attribute 'Nope'")
        .hasMessageContaining("supported: Arn");
  }

  @Test
  void streamArnWithoutAStreamIsAnError() {
    assertThatThrownBy(() -> env("X: !GetAtt Table.StreamArn"))
        .hasMessageContaining("has no attribute 'StreamArn'");
  }

  @Test
  void refToAnUnsupportedResourceTypeNamesTheType() {
    assertThatThrownBy(() -> load("""
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Handler: x.Y
            Environment: {Variables: {X: !Ref Model}}
        Model: {Type: AWS::SageMaker::Model}
        """)).hasMessageContaining("Ref Model: resource type AWS::SageMaker::Model is not supported");
  }

  @Test
  void importValueIsRejectedWithAReason() {
    assertThatThrownBy(() -> env("X: !ImportValue shared-vpc"))
        .hasMessageContaining("Fn::ImportValue is not supported")
        .hasMessageContaining("Resources.Fn.Properties.Environment.Variables.X");
  }

  @Test
  void refToAResourceExcludedByItsConditionIsAnError() {
    assertThatThrownBy(() -> load("""
        Conditions:
          Never: !Equals [a, b]
        """, """
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Handler: x.Y
            Environment: {Variables: {X: !Ref Topic}}
        Topic: {Type: AWS::SNS::Topic, Condition: Never}
        """)).hasMessageContaining("Ref Topic: resource Topic is not created because its condition Never is false");
  }

  @Test
  void aParameterWithoutValueOrADisallowedValueIsNamed() {
    assertThatThrownBy(() -> load("Parameters:\n  Stage: {Type: String}\n", "T: {Type: AWS::SNS::Topic}"))
        .hasMessageContaining("Parameters.Stage: no value");
    Path file = dir.resolve("p.yaml");
    assertThatThrownBy(() -> {
      Files.writeString(file, """
          Parameters:
            Stage: {Type: String, Default: dev, AllowedValues: [dev, prod]}
          Resources:
            T: {Type: AWS::SNS::Topic}
          """);
      SamTemplate.load(file, TemplateOptions.defaults().withParameters(Map.of("Stage", "qa")));
    }).hasMessageContaining("Parameters.Stage: value 'qa' is not one of AllowedValues [dev, prod]");
  }

  @Test
  void aMissingDefinitionSubstitutionIsNamed() throws IOException {
    Files.writeString(dir.resolve("sm.json"), "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Task\","
        + "\"Resource\":\"${FnArn}\",\"End\":true}}}");

    assertThatThrownBy(() -> load("""
        Machine:
          Type: AWS::Serverless::StateMachine
          Properties:
            DefinitionUri: sm.json
            DefinitionSubstitutions: {Other: x}
        """)).hasMessageContaining("Resources.Machine.Properties.DefinitionSubstitutions")
        .hasMessageContaining("${FnArn}");
  }

  @Test
  void inlineDefinitionsResolveIntrinsics() {
    SamTemplate t = load("""
        Machine:
          Type: AWS::Serverless::StateMachine
          Properties:
            Definition:
              StartAt: A
              States:
                A: {Type: Task, Resource: !GetAtt Fn.Arn, End: true}
        Fn: {Type: AWS::Serverless::Function, Properties: {Handler: x.Y}}
        """);

    assertThat(t.stateMachine("Machine").definition())
        .contains("\"Resource\":\"arn:aws:lambda:us-east-1:111122223333:function:poolshift-Fn\"");
    assertThat(t.stateMachine("Machine").name()).isEqualTo("poolshift-Machine");
  }

  @Test
  void unsupportedRuleTargetOptionsNameTheRuleAndTheOption() {
    assertThatThrownBy(() -> load("""
        Rule:
          Type: AWS::Events::Rule
          Properties:
            EventPattern: {source: [x]}
            Targets:
              - Id: t1
                Arn: arn:aws:sqs:us-east-1:111122223333:q
                SqsParameters: {MessageGroupId: g}
        """)).hasMessageContaining("Resources.Rule.Properties.Targets.t1.SqsParameters")
        .hasMessageContaining("rule Rule");
  }

  @Test
  void unsupportedSamEventPropertiesNameTheEvent() {
    assertThatThrownBy(() -> load("""
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Handler: x.Y
            Events:
              E:
                Type: EventBridgeRule
                Properties: {Pattern: {source: [x]}, Bogus: 1}
        """)).hasMessageContaining("Resources.Fn.Properties.Events.E.Properties.Bogus")
        .hasMessageContaining("EventBridgeRule event E");
  }

  @Test
  void outOfRangeValuesAreNamed() {
    assertThatThrownBy(() -> load("Fn: {Type: AWS::Serverless::Function, Properties: {Handler: x.Y, Timeout: 901}}"))
        .hasMessageContaining("Resources.Fn.Properties.Timeout: 901 is out of range 1..900");
    assertThatThrownBy(() -> load("""
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Handler: x.Y
            EventInvokeConfig: {MaximumRetryAttempts: 3}
        """)).hasMessageContaining("EventInvokeConfig.MaximumRetryAttempts: 3 is out of range 0..2");
  }

  @Test
  void samResourcesNeedTheTransform() throws IOException {
    Path file = dir.resolve("plain.yaml");
    Files.writeString(file, "Resources:\n  Fn: {Type: AWS::Serverless::Function, Properties: {Handler: x.Y}}\n");

    assertThatThrownBy(() -> SamTemplate.load(file)).hasMessageContaining("Resources.Fn.Type")
        .hasMessageContaining("needs Transform: AWS::Serverless-2016-10-31");
  }

  @Test
  void badYamlNamesTheFile() throws IOException {
    Path file = dir.resolve("broken.yaml");
    Files.writeString(file, "Resources:\n  A: [unclosed\n");

    assertThatThrownBy(() -> SamTemplate.load(file)).isInstanceOf(TemplateException.class)
        .hasMessageStartingWith("broken.yaml: invalid YAML");
  }

  @Test
  void globalsListsConcatenateAndMapsMerge() {
    Map<String, Object> merged = SamTemplate.mergeGlobals(
        Map.of("Layers", java.util.List.of("g"), "Environment", Map.of("Variables", Map.of("A", "g", "B", "g")),
            "Timeout", 3),
        Map.of("Layers", java.util.List.of("l"), "Environment", Map.of("Variables", Map.of("B", "l")),
            "Timeout", 9));

    assertThat(merged).containsEntry("Layers", java.util.List.of("g", "l"))
        .containsEntry("Environment", Map.of("Variables", Map.of("A", "g", "B", "l")))
        .containsEntry("Timeout", 9);
  }
}
