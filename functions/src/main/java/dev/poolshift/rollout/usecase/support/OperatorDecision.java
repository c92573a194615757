package dev.poolshift.rollout.usecase.support;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A person's decision on a held step: the output a console action completes the step's HOLD
 * wait with ({@code $decision} in the workflow, which branches on {@code decision}).
 *
 * @param by who decided (the console action's trigger), when known
 */
public record OperatorDecision(Decision decision, String by, String reason) {

  /** What the held rollout does next. */
  public enum Decision {
    /** Skip the remaining steps: move to the final config. */
    PROMOTE("promote"),
    /** Go on to the next canary step only (promote after the last). */
    CONTINUE("continue");

    private final String wire;

    Decision(String wire) {
      this.wire = wire;
    }

    @JsonValue
    public String wire() {
      return wire;
    }
  }
}
