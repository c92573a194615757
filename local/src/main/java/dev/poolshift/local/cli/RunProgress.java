package dev.poolshift.local.cli;

import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.scenario.RunListener;
import dev.poolshift.local.scenario.TimelineLine;
import dev.poolshift.local.sfn.SfnExecutionStatus;
import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * What {@code run} shows while a rehearsal runs: each timeline line as soon as the run has passed
 * its instant, and, on a terminal, one progress line (virtual time reached, wall time spent, the
 * executions still running) rewritten in place below them. The progress line appears only once a
 * run has taken {@link #QUIET_NANOS} of wall time, so short rehearsals print nothing but their
 * timeline, and it is erased before each timeline line and at the end, so it never ends up in
 * what the user copies from the terminal.
 */
final class RunProgress implements RunListener {
  static final long QUIET_NANOS = 500_000_000L;
  static final long REDRAW_NANOS = 100_000_000L;
  private static final String ERASE = "\r\033[K";

  private final PrintStream lines;
  private final PrintStream status;
  private final LongSupplier nanoTime;
  private final long started;
  private long drawnAt;
  private String shown;

  /**
   * @param lines where timeline lines go, or null to print none
   * @param status the terminal the progress line is drawn on, or null for none
   * @param nanoTime the wall clock ({@link System#nanoTime})
   */
  RunProgress(PrintStream lines, PrintStream status, LongSupplier nanoTime) {
    this.lines = lines;
    this.status = status;
    this.nanoTime = nanoTime;
    this.started = nanoTime.getAsLong();
  }

  @Override
  public void line(TimelineLine line) {
    if (lines == null) {
      return;
    }
    String progress = shown;
    erase();
    lines.println(line.formatted());
    lines.flush();
    if (progress != null) {
      draw(progress);
    }
  }

  @Override
  public void observed(LocalRuntime runtime) {
    if (status == null) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (now - started < QUIET_NANOS || (shown != null && now - drawnAt < REDRAW_NANOS)) {
      return;
    }
    long running = runtime.stepFunctions().executions().stream()
        .filter(e -> e.snapshot().status() == SfnExecutionStatus.RUNNING).count();
    draw(String.format(java.util.Locale.ROOT, "  … %s of virtual time, %.1f s of wall time, %d execution%s running",
        TimelineLine.clock(runtime.simulation().elapsedSeconds()), (now - started) / 1e9, running, running == 1 ? "" : "s"));
    drawnAt = now;
  }

  /** Erases the progress line: the run is over. */
  void finish() {
    erase();
  }

  private void draw(String text) {
    status.print(ERASE + text);
    status.flush();
    shown = text;
  }

  private void erase() {
    if (shown != null) {
      status.print(ERASE);
      status.flush();
      shown = null;
    }
  }
}
