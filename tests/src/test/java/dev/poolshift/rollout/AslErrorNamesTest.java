package dev.poolshift.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.aws.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every Poolshift error name the workflow matches or sets must be a real exception class:
 * Step Functions matches Lambda errors by the exception's fully qualified class name, so a typo
 * (or a renamed class) silently turns a handled error into an unhandled one.
 */
class AslErrorNamesTest {
  private static final Pattern NAME = Pattern.compile("dev\\.poolshift\\.[A-Za-z0-9_.$]+");

  @Test
  void everyPoolshiftErrorNameInTheWorkflowIsARolloutExceptionClass() throws Exception {
    Object asl = Json.parse(Files.readString(Path.of("statemachine/rollout.asl.json")));
    TreeSet<String> names = new TreeSet<>();
    collect(asl, null, names);

    assertThat(names).as("names found").contains(
        "dev.poolshift.rollout.TransientServiceException",
        "dev.poolshift.rollout.EndpointBusyException",
        "dev.poolshift.rollout.EndpointLockedException",
        "dev.poolshift.rollout.EndpointWaitTimedOutException",
        "dev.poolshift.rollout.CanaryRejectedException",
        "dev.poolshift.rollout.OperatorAbortException");
    List<String> broken = new ArrayList<>();
    for (String name : names) {
      try {
        Class<?> c = Class.forName(name);
        if (!RolloutException.class.isAssignableFrom(c)) {
          broken.add(name + " (not a RolloutException)");
        }
      } catch (ClassNotFoundException e) {
        broken.add(name + " (no such class)");
      }
    }
    assertThat(broken).isEmpty();
  }

  @Test
  void theErrorNamesTheFunctionsSendOrReportAreClassesToo() throws Exception {
    for (String name : List.of(CanaryAlarmException.class.getName(),
        PackageRejectedException.class.getName(), DeploymentFailedException.class.getName())) {
      assertThat(RolloutException.class.isAssignableFrom(Class.forName(name))).isTrue();
    }
  }

  /** ErrorEquals entries, and string literals inside {@code failure} expressions. */
  private static void collect(Object node, String key, TreeSet<String> names) {
    if (node instanceof Map<?, ?> m) {
      m.forEach((k, v) -> collect(v, String.valueOf(k), names));
    } else if (node instanceof List<?> l) {
      l.forEach(v -> collect(v, key, names));
    } else if (node instanceof String s && ("ErrorEquals".equals(key) || s.startsWith("{%"))) {
      Matcher matcher = NAME.matcher(s);
      while (matcher.find()) {
        names.add(matcher.group());
      }
    }
  }
}
