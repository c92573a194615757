package dev.poolshift.local.cli;

import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.report.HtmlReport;
import dev.poolshift.local.report.ReportData;
import dev.poolshift.local.report.RunRecorder;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.scenario.RunListener;
import dev.poolshift.local.scenario.Scenario;
import dev.poolshift.local.scenario.ScenarioException;
import dev.poolshift.local.scenario.ScenarioReport;
import dev.poolshift.local.scenario.ScenarioRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * {@code run SCENARIO.json [--json] [--html FILE]}: a rollout rehearsal on the local runtime.
 *
 * <p>The timeline streams as the run reaches each instant (standard output; with {@code --json}
 * standard error, and only on a terminal, so standard output stays one JSON document), with a
 * progress line on standard error when it is a terminal. {@code --html} also writes the
 * rehearsal as one self-contained page of charts ({@link HtmlReport}).
 */
final class RunCommand {
  static final String USAGE = "usage: run SCENARIO.json [--json] [--html REPORT.html]";

  private RunCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, err == System.err && Terminal.stderrIsTerminal(), System::nanoTime);
  }

  /**
   * @param stderrIsTerminal whether {@code err} is a terminal the progress line may be drawn on
   * @param nanoTime the wall clock the progress line reads ({@link System#nanoTime})
   */
  static int run(String[] args, PrintStream out, PrintStream err, boolean stderrIsTerminal, LongSupplier nanoTime) {
    Path file = null;
    Path html = null;
    boolean json = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--json")) {
        json = true;
      } else if (a.equals("--html") || a.startsWith("--html=")) {
        String value = a.equals("--html") ? (i + 1 < args.length ? args[++i] : "") : a.substring("--html=".length());
        if (value.isEmpty() || value.startsWith("--")) {
          err.println("run: --html needs a file name\n" + USAGE);
          return 2;
        }
        html = Path.of(value);
      } else if (a.startsWith("--")) {
        err.println("run: unknown option " + a + "\n" + USAGE);
        return 2;
      } else if (file == null) {
        file = Path.of(a);
      } else {
        err.println("run: one scenario at a time\n" + USAGE);
        return 2;
      }
    }
    if (file == null) {
      err.println(USAGE);
      return 2;
    }
    if (!Files.isRegularFile(file)) {
      err.println("run: no such scenario file: " + file);
      return 2;
    }
    if (html != null && html.toAbsolutePath().getParent() != null && !Files.isDirectory(html.toAbsolutePath().getParent())) {
      err.println("run: no such folder for the HTML report: " + html.toAbsolutePath().getParent());
      return 2;
    }
    Scenario scenario;
    try {
      scenario = Scenario.load(file);
    } catch (ScenarioException e) {
      err.println("run: invalid scenario " + e.getMessage());
      return 2;
    }
    PrintStream lines = json ? (stderrIsTerminal ? err : null) : out;
    if (lines != null) {
      lines.print("scenario " + scenario.name() + "\n");
    }
    RunProgress progress = new RunProgress(lines, stderrIsTerminal ? err : null, nanoTime);
    RunRecorder recorder = html == null ? null : new RunRecorder(scenario.start());
    RunListener listener = recorder == null ? progress : progress.andThen(recorder);
    ScenarioReport report;
    String page = null;
    long wallStart = System.nanoTime();
    try (LocalRuntime runtime = ScenarioRunner.start(scenario, LocalRuntime.Options.of(scenario.template()))) {
      try {
        report = ScenarioRunner.runToEnd(scenario, runtime, wallStart, listener);
      } finally {
        progress.finish();
      }
      if (recorder != null) {
        page = HtmlReport.render(ReportData.collect(scenario, runtime, report, recorder));
      }
    } catch (ScenarioException e) {
      err.println("run: invalid scenario " + e.getMessage());
      return 2;
    }
    if (page != null) {
      try {
        Files.writeString(html, page, StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("run: could not write the HTML report " + html + ": " + e.getMessage());
        return 2;
      }
    }
    if (json) {
      out.print(LocalJson.pretty(report.json()) + "\n");
    } else {
      out.print(report.summary());
    }
    if (page != null) {
      (json ? err : out).printf("HTML report: %s (%d KB)%n", html, (page.getBytes(StandardCharsets.UTF_8).length + 1023) / 1024);
    }
    return report.json().path("finished").asBoolean() ? 0 : 1;
  }
}
