package dev.poolshift.local.cli;

import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.scenario.Scenario;
import dev.poolshift.local.scenario.ScenarioException;
import dev.poolshift.local.scenario.ScenarioReport;
import dev.poolshift.local.scenario.ScenarioRunner;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code run SCENARIO.json [--json]}: a rollout rehearsal on the local runtime. */
final class RunCommand {
  private RunCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    Path file = null;
    boolean json = false;
    for (String a : args) {
      if (a.equals("--json")) {
        json = true;
      } else if (a.startsWith("--")) {
        err.println("run: unknown option " + a + "\nusage: run SCENARIO.json [--json]");
        return 2;
      } else if (file == null) {
        file = Path.of(a);
      } else {
        err.println("run: one scenario at a time\nusage: run SCENARIO.json [--json]");
        return 2;
      }
    }
    if (file == null) {
      err.println("usage: run SCENARIO.json [--json]");
      return 2;
    }
    if (!Files.isRegularFile(file)) {
      err.println("run: no such scenario file: " + file);
      return 2;
    }
    Scenario scenario;
    try {
      scenario = Scenario.load(file);
    } catch (ScenarioException e) {
      err.println("run: invalid scenario " + e.getMessage());
      return 2;
    }
    ScenarioReport report;
    try {
      report = ScenarioRunner.run(scenario);
    } catch (ScenarioException e) {
      err.println("run: invalid scenario " + e.getMessage());
      return 2;
    }
    out.print(json ? LocalJson.pretty(report.json()) + "\n" : report.text());
    return report.json().path("finished").asBoolean() ? 0 : 1;
  }
}
