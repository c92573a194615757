package dev.poolshift.local.cli;

import java.io.PrintStream;
import java.util.Arrays;

/** Entry point of {@code poolshift-local.jar}: one subcommand per local-runtime use. */
public final class Main {
  private Main() {}

  /**
   * Always ends in {@link System#exit}: threads the runtime cannot stop from here (DynamoDB Local's
   * server, a library's pool) are not daemons, so a command that ended by throwing used to leave
   * the JVM running with nothing left to do.
   */
  public static void main(String[] args) {
    int code;
    try {
      code = run(args, System.out, System.err);
    } finally {
      System.out.flush();
      System.err.flush();
    }
    System.exit(code);
  }

  /**
   * Runs a subcommand; returns the process exit code. An error no command expected is one line on
   * {@code err} and exit code 1; {@code POOLSHIFT_DEBUG=1} adds its stack trace.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      return dispatch(args, out, err);
    } catch (RuntimeException | LinkageError | OutOfMemoryError | StackOverflowError e) {
      err.println("poolshift: " + (args.length > 0 ? args[0] + ": " : "") + describe(e)
          + (debug() ? "" : " (POOLSHIFT_DEBUG=1 prints the stack trace)"));
      if (debug()) {
        e.printStackTrace(err);
      }
      return 1;
    }
  }

  /** The innermost cause's message, on one line: what went wrong, not where. */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName()
        : root.getClass().getSimpleName() + ": " + root.getMessage();
    return message.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  private static boolean debug() {
    return "1".equals(System.getenv("POOLSHIFT_DEBUG"));
  }

  private static int dispatch(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
      out.println(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    return switch (args[0]) {
      case "asl" -> AslCommand.run(rest, out, err);
      case "run" -> RunCommand.run(rest, out, err);
      case "serve" -> ServeCommand.run(rest, out, err);
      case "smoke" -> SmokeCommand.run(rest, out, err);
      case "bench" -> BenchCommand.run(rest, out, err);
      default -> {
        err.println("unknown command '" + args[0] + "'\n" + USAGE);
        yield 2;
      }
    };
  }

  static final String USAGE = """
      usage: poolshift <command> [options]
        asl   --definition FILE --input FILE [--mocks FILE] [--json]   run a state machine definition
        run   SCENARIO.json [--json] [--html REPORT.html]              run a rollout scenario (--html: a page of charts)
        bench N [--bad K] [--throttle RATE] [--seed S] [--sequential] [--json]  N endpoints approved at once: rollouts/s, wall, memory, calls, T_act
        serve [--port N] [--speed X] [--quiet] [SCENARIO.json]         keep the local AWS services up, printing
                                                                       what runs (--quiet: only the clock)
        smoke --state-machine-arn ARN --model-package-group NAME       after sam deploy: a synthetic approval
              [--endpoint-url URL] [--region R] [--timeout-seconds 60] must start a rollout (exit 0 PASS, 1 FAIL)
              [--stop] [--json]
      """;
}
