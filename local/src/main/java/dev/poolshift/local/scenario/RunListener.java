package dev.poolshift.local.scenario;

import dev.poolshift.local.runtime.LocalRuntime;

/**
 * Follows a scenario run while it progresses (see {@link ScenarioRunner#runToEnd(Scenario,
 * LocalRuntime, long, RunListener)}). Both calls come from the thread driving the simulation, at a
 * point where no activity runs, so a listener may read the runtime but must never drive it, and
 * should be quick: it is called once per quiescent point (a few hundred times in a rehearsal).
 */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  /** A timeline line the run has passed; lines arrive in time order. */
  default void line(TimelineLine line) {}

  /** Nothing is running at this instant: the runtime's state is consistent and may be read. */
  default void observed(LocalRuntime runtime) {}

  /** This listener, then {@code next}. */
  default RunListener andThen(RunListener next) {
    RunListener first = this;
    return new RunListener() {
      @Override
      public void line(TimelineLine line) {
        first.line(line);
        next.line(line);
      }

      @Override
      public void observed(LocalRuntime runtime) {
        first.observed(runtime);
        next.observed(runtime);
      }
    };
  }
}
