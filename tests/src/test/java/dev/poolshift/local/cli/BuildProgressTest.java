package dev.poolshift.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What {@code ./poolshift} prints while it builds the jar: Maven's batch output condensed by
 * {@code local/build-progress.awk} to the module, the step, and the count of downloads.
 */
class BuildProgressTest {

  @Test
  void aFirstBuildSaysWhichModuleAndStepItIsInAndHowManyFilesItDownloaded() throws Exception {
    StringBuilder maven = new StringBuilder("""
        [INFO] Scanning for projects...
        [INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/a/a/1/a-1.pom
        """);
    for (int i = 0; i < 230; i++) {
      maven.append("[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/x/").append(i)
          .append(".jar (12 kB at 80 kB/s)\n");
    }
    maven.append("""
        [INFO] -----------------< dev.poolshift:poolshift-functions >------------------
        [INFO] Building Poolshift functions 0.1.0-SNAPSHOT                        [1/2]
        [INFO] --- maven-resources-plugin:2.6:resources (default-resources) @ poolshift-functions ---
        [INFO] --- maven-compiler-plugin:3.14.1:compile (default-compile) @ poolshift-functions ---
        [INFO] Building Poolshift local runtime 0.1.0-SNAPSHOT                    [2/2]
        [INFO] --- maven-dependency-plugin:3.8.1:copy (sqlite4java-native) @ poolshift-local ---
        [INFO] --- maven-compiler-plugin:3.14.1:compile (default-compile) @ poolshift-local ---
        [ERROR] /x/Y.java:[3,1] class, interface, enum, or record expected
        [INFO] --- maven-shade-plugin:3.6.1:shade (default) @ poolshift-local ---
        [INFO] BUILD SUCCESS
        """);

    String shown = awk(maven.toString());

    assertThat(shown).isEqualTo("""
        poolshift:   downloading dependencies from Maven Central
        poolshift:   100 files downloaded
        poolshift:   200 files downloaded
        poolshift: [1/2] Poolshift functions
        poolshift:   compiling
        poolshift: [2/2] Poolshift local runtime
        poolshift:   copying the native libraries DynamoDB Local needs
        poolshift:   compiling
        [ERROR] /x/Y.java:[3,1] class, interface, enum, or record expected
        poolshift:   packaging it with its dependencies into one runnable jar
        poolshift:   230 files downloaded from Maven Central in all
        """);
  }

  private static String awk(String input) throws IOException, InterruptedException {
    Path in = Files.createTempFile("maven", ".log");
    try {
      Files.writeString(in, input, StandardCharsets.UTF_8);
      Process p = new ProcessBuilder("awk", "-f", "local/build-progress.awk", in.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      return out;
    } finally {
      Files.deleteIfExists(in);
    }
  }
}
