package dev.poolshift.local.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CloudWatch Logs filter patterns as FilterLogEvents applies them to an event's message. */
class FilterPatternTest {

  @ParameterizedTest(name = "{0} on ''{1}'' -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      ERROR                        | [ERROR 400] BAD REQUEST                  | true
      ERROR                        | [INFO 200] OK                            | false
      ERROR                        | error: lower case                        | false
      AUTHORIZED                   | [ERROR 401] UNAUTHORIZED REQUEST         | false
      AUTHORIZED                   | [SUCCESS 200] AUTHORIZED REQUEST         | true
      ERROR ARGUMENTS              | ERROR bad ARGUMENTS given                | true
      ERROR ARGUMENTS              | ERROR only                               | false
      ?ERROR ?WARN                 | WARN disk almost full                    | true
      ?ERROR ?WARN                 | INFO all fine                            | false
      ERROR -ARGUMENTS             | ERROR timeout                            | true
      ERROR -ARGUMENTS             | ERROR bad ARGUMENTS                      | false
      '"Exception in thread"'      | Exception in thread "main"               | true
      '"Exception in thread"'      | Exception thrown in thread               | false
      '"rollout-42"'               | started rollout-42 on pools              | true
      '" "'                        | anything at all                          | true
      ''                           | anything at all                          | true
      """)
  void termsAndPhrasesMatchUnstructuredEvents(String pattern, String message, boolean matches) {
    assertThat(FilterPattern.parse(pattern).matches(message)).isEqualTo(matches);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiterString = "=>", textBlock = """
      { $.level = "ERROR" } => true
      { $.level = ERROR } => true
      { $.level != "ERROR" } => false
      { $.level = "ERR*" } => true
      { $.message = "*canary*" } => true
      { $.weight = 10 } => true
      { $.weight >= 10 && $.weight < 50 } => true
      { $.weight > 10 } => false
      { $.weight = "10" } => false
      { $.status = 200 } => false
      { $.gate.passed IS FALSE } => true
      { $.gate.passed IS TRUE } => false
      { $.cause IS NULL } => true
      { $.missing NOT EXISTS } => true
      { $.level NOT EXISTS } => false
      { $.missing != "x" } => false
      { $.pools[1].type = "ml.g5.4xlarge" } => true
      { $.pools[5].type = "ml.g5.4xlarge" } => false
      { ($.level = "INFO") || ($.weight = 10) } => true
      { ($.level = "INFO" || $.level = "WARN") && $.weight = 10 } => false
      """)
  void jsonPatternsSelectFieldsOfJsonEvents(String pattern, boolean matches) {
    String event = """
        {"level":"ERROR","message":"shift canary to 10%","weight":10,"status":"200","cause":null,
         "gate":{"passed":false},"pools":[{"type":"ml.g5.2xlarge"},{"type":"ml.g5.4xlarge"}]}""";

    assertThat(FilterPattern.parse(pattern).matches(event)).isEqualTo(matches);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      { $.level = "ERROR" } | not json at all
      { $.level = "ERROR" } | [1, 2, 3]
      """)
  void aJsonPatternMatchesNoEventThatIsNotAJsonObject(String pattern, String message) {
    assertThat(FilterPattern.parse(pattern).matches(message)).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      rollout.started
      ?ERROR WARN
      '"unbalanced'
      { $.level = "ERROR"
      { level = "ERROR" }
      { $.weight > "ten" }
      [ip, user, status]
      %ERR.*%
      """)
  void patternsCloudWatchRefusesAreRefused(String pattern) {
    assertThatThrownBy(() -> FilterPattern.parse(pattern)).isInstanceOf(FilterPattern.InvalidPatternException.class);
  }
}
