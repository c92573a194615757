package dev.poolshift.local.cli;

import java.io.PrintStream;
import java.util.Arrays;

/** Entry point of {@code poolshift-local.jar}: one subcommand per local-runtime use. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a subcommand; returns the process exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
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
        serve [--port N] [--speed X] [SCENARIO.json]                   keep the local AWS services up
        smoke --state-machine-arn ARN --model-package-group NAME       after sam deploy: a synthetic approval
              [--endpoint-url URL] [--region R] [--timeout-seconds 60] must start a rollout (exit 0 PASS, 1 FAIL)
              [--stop] [--json]
      """;
}
