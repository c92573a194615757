package dev.poolshift.local.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.local.runtime.LocalRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Following a run while it progresses: the timeline as virtual time reaches each line. */
class RunListenerTest {

  record Received(TimelineLine line, double virtualSecondsThen) {}

  @Test
  void eachTimelineLineArrivesOnceTheRunHasReachedItInTimeOrderAndTheReportKeepsThem() {
    Scenario scenario = Scenario.load(Path.of("events/scenarios/fallback-type-failure.json"));
    List<Received> received = new ArrayList<>();
    int[] observed = {0};

    ScenarioReport report;
    try (LocalRuntime runtime = ScenarioRunner.start(scenario, LocalRuntime.Options.of(scenario.template()))) {
      report = ScenarioRunner.runToEnd(scenario, runtime, System.nanoTime(), new RunListener() {
        @Override
        public void line(TimelineLine line) {
          received.add(new Received(line, runtime.simulation().elapsedSeconds()));
        }

        @Override
        public void observed(LocalRuntime r) {
          observed[0]++;
        }
      });
    }

    double end = report.json().path("virtualSeconds").asDouble();
    assertThat(received).extracting(r -> r.line()).containsExactlyElementsOf(report.timeline());
    assertThat(received).allSatisfy(r -> assertThat(r.virtualSecondsThen()).isGreaterThanOrEqualTo(r.line().atSeconds()));
    assertThat(received).extracting(r -> r.line().atSeconds()).isSorted();
    Received approval = received.stream().filter(r -> r.line().text().startsWith("model package ")).findFirst().orElseThrow();
    assertThat(approval.virtualSecondsThen()).as("the approval is told long before the run ends at %s s", end)
        .isLessThan(approval.line().atSeconds() + 60).isLessThan(end / 2);
    assertThat(observed[0]).as("quiescent points observed").isGreaterThan(received.size() / 4);
  }

  @Test
  void theTextReportIsTheHeaderTheStreamedLinesAndTheSummary() {
    Scenario scenario = Scenario.load(Path.of("events/scenarios/console-plan.json"));
    StringBuilder streamed = new StringBuilder();

    ScenarioReport report;
    try (LocalRuntime runtime = ScenarioRunner.start(scenario, LocalRuntime.Options.of(scenario.template()))) {
      report = ScenarioRunner.runToEnd(scenario, runtime, System.nanoTime(), new RunListener() {
        @Override
        public void line(TimelineLine line) {
          streamed.append(line.formatted()).append('\n');
        }
      });
    }

    assertThat(report.text()).isEqualTo(report.header() + streamed + report.summary());
    assertThat(streamed).contains("  +0:01:00    plan-fraud-scoring-v2 > Resolve the rollout plan\n");
  }
}
