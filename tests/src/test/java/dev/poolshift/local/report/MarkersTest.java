package dev.poolshift.local.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.scenario.Scenario;
import dev.poolshift.local.scenario.ScenarioReport;
import dev.poolshift.local.scenario.ScenarioRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Markers for what people did: an operator's console input, a stop, an injected fault. */
class MarkersTest {

  @Test
  void aConsoleInputIsAnOperatorActionNamingWhoAndWhat() {
    Scenario scenario = Scenario.load(Path.of("events/scenarios/console-plan.json"));
    RunRecorder recorder = new RunRecorder(scenario.start());

    ReportData data;
    try (LocalRuntime runtime = ScenarioRunner.start(scenario, LocalRuntime.Options.of(scenario.template()))) {
      ScenarioReport report = ScenarioRunner.runToEnd(scenario, runtime, System.nanoTime(), recorder);
      data = ReportData.collect(scenario, runtime, report, recorder);
    }

    assertThat(data.markers()).filteredOn(m -> m.kind().equals("operator")).singleElement().satisfies(m -> {
      assertThat(m.at()).isEqualTo(60.0);
      assertThat(m.state()).isEqualTo("plan");
      assertThat(m.title()).contains("operator action plan by alice@example.com from the console");
    });
    assertThat(data.markers()).filteredOn(m -> m.kind().equals("execution-end")).singleElement()
        .satisfies(m -> assertThat(m.state()).isEqualTo("PLANNED"));
    assertThat(data.markers()).noneMatch(m -> m.kind().startsWith("rollback"));
  }
}
