package dev.poolshift.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.poolshift.local.runtime.LocalRuntime;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The documented smoke scripts ({@code local/smoke/}) run as a user runs them, against {@code
 * serve} (in-process, the happy-path scenario, on a free port): the AWS CLI's {@code cli.sh} and
 * the JavaScript v3 clients' {@code js/smoke.mjs}, each a subprocess that must exit 0.
 *
 * <p>{@code ./poolshift test} installs the clients first (the AWS CLI from Debian, {@code npm ci}
 * in {@code local/smoke/js}); a missing client is a failure that says so, not a pass. The only way
 * to skip is the documented opt-out {@code POOLSHIFT_SKIP_CLIENT_SMOKE=1}.
 */
class ServeSmokeScriptsTest {
  static final String OPT_OUT = "POOLSHIFT_SKIP_CLIENT_SMOKE";
  private static final Path SMOKE = Path.of("local/smoke");
  private static LocalRuntime runtime;

  @BeforeAll
  static void serve() {
    Assumptions.assumeFalse("1".equals(System.getenv(OPT_OUT)), OPT_OUT + "=1: client smoke tests skipped");
    runtime = ServeCommand.start(0, 1.0, Path.of("template.yaml"), Path.of("events/scenarios/happy-path.json"));
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void theAwsCliSmokeScriptPassesAgainstServe() throws Exception {
    Path aws = awsCli();

    Result result = run(List.of("bash", SMOKE.resolve("cli.sh").toString(), endpoint()), Map.of("AWS", aws.toString()));

    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains("cli smoke: all checks passed").doesNotContain("FAIL");
  }

  @Test
  void theJavaScriptSmokeScriptPassesAgainstServe() throws Exception {
    Path js = SMOKE.resolve("js");
    if (!Files.isDirectory(js.resolve("node_modules/@aws-sdk/client-cloudwatch"))) {
      fail("the JavaScript smoke clients are not installed: run ./poolshift test (it runs npm ci in " + js
          + "), or set " + OPT_OUT + "=1 to skip the client smoke tests");
    }

    Result result = run(List.of(executable("node"), js.resolve("smoke.mjs").toString(), endpoint()), Map.of());

    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains("js smoke: all checks passed").doesNotContain("FAIL");
  }

  private static String endpoint() {
    return runtime.gateway().endpoint().toString();
  }

  record Result(int exit, String output) {}

  private static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    Path log = Files.createTempFile("smoke", ".log");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(4, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail("smoke script timed out after 4 minutes: " + command + "\n" + Files.readString(log));
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /**
   * The real AWS CLI: {@code POOLSHIFT_AWS_CLI}, else Debian's {@code /usr/bin/aws}, else an
   * {@code aws} on PATH that answers {@code --version} (a pyenv shim without a CLI behind it does not).
   */
  static Path awsCli() throws InterruptedException {
    String configured = System.getenv("POOLSHIFT_AWS_CLI");
    List<Path> candidates = new java.util.ArrayList<>();
    if (configured != null && !configured.isBlank()) {
      candidates.add(Path.of(configured));
    }
    candidates.add(Path.of("/usr/bin/aws"));
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir, "aws"));
      }
    }
    for (Path c : candidates) {
      if (Files.isExecutable(c) && answersVersion(c)) {
        return c;
      }
    }
    return fail("no working AWS CLI (tried " + candidates + "): run ./poolshift test, which installs Debian's "
        + "awscli, or set POOLSHIFT_AWS_CLI, or " + OPT_OUT + "=1 to skip the client smoke tests");
  }

  private static boolean answersVersion(Path aws) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(aws.toString(), "--version").redirectErrorStream(true).start();
      boolean done = p.waitFor(60, TimeUnit.SECONDS);
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!done) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0 && out.startsWith("aws-cli/");
    } catch (IOException e) {
      return false;
    }
  }

  private static String executable(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (!dir.isEmpty() && Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return fail(name + " is not on PATH: the JavaScript smoke needs Node.js (apt-get install nodejs npm), or set "
        + OPT_OUT + "=1 to skip the client smoke tests");
  }
}
