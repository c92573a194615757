package dev.poolshift.local.dynamodb;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one DynamoDB Local server of this JVM ({@code com.amazonaws:DynamoDBLocal}, in memory),
 * started on first use and shared: it takes seconds to start, and it keeps a separate database
 * per access key id and Region, so {@link DynamoDbService} instances isolate themselves by key.
 *
 * <p>Its SQLite binding needs a native library as a file: it is copied from the classpath to a
 * temporary directory named by {@code sqlite4java.library.path} before the server starts.
 */
public final class DynamoDbLocal {
  private static DynamoDbLocal instance;

  private final DynamoDBProxyServer server;
  private final URI endpoint;

  private DynamoDbLocal(DynamoDBProxyServer server, int port) {
    this.server = server;
    this.endpoint = URI.create("http://127.0.0.1:" + port + "/");
  }

  /** The server's endpoint, starting it if needed. */
  public static synchronized URI endpoint() {
    if (instance == null) {
      instance = start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          instance.server.stop();
        } catch (Exception ignored) {
          // the JVM is going away; nothing to clean up that matters
        }
      }, "dynamodb-local-stop"));
    }
    return instance.endpoint;
  }

  private static DynamoDbLocal start() {
    System.setProperty("sqlite4java.library.path", extractNativeLibrary().toString());
    Exception last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      // DynamoDB Local prints its banner to standard output, which belongs to the runtime's own
      // output (run --json must print nothing but its document): send it to standard error.
      java.io.PrintStream out = System.out;
      System.setOut(System.err);
      try {
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(
            new String[] {"-inMemory", "-port", String.valueOf(port)});
        server.start();
        dev.poolshift.local.lambda.LogCapture.quietLibraries();
        return new DynamoDbLocal(server, port);
      } catch (Exception e) {
        // Most likely another process took the port between probing and binding: try another.
        last = e;
      } finally {
        System.setOut(out);
      }
    }
    throw new IllegalStateException("DynamoDB Local did not start: " + last.getMessage(), last);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for DynamoDB Local", e);
    }
  }

  /**
   * Copies the SQLite native library for this machine to a temporary directory. First choice is
   * the library the build ships under {@code native/sqlite4java/} (Linux x86-64, macOS x86-64);
   * otherwise the copy DynamoDB Local bundles for its own platforms (also ARM64), saved under the
   * plain name {@code sqlite4java} looks for last.
   */
  private static Path extractNativeLibrary() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
    String bundled = "com/amazonaws/services/dynamodbv2/local/shared/access/sqlite/native/";
    List<String[]> candidates = new ArrayList<>();
    if (os.contains("linux") && x64) {
      candidates.add(new String[] {"native/sqlite4java/libsqlite4java-linux-amd64.so", "libsqlite4java-linux-amd64.so"});
      candidates.add(new String[] {bundled + "Linux/x86_64/libsqlite4java.so", "libsqlite4java.so"});
    } else if (os.contains("linux") && arm64) {
      candidates.add(new String[] {bundled + "Linux/aarch64/libsqlite4java.so", "libsqlite4java.so"});
    } else if (os.contains("mac") && arm64) {
      candidates.add(new String[] {bundled + "Mac/aarch64/libsqlite4java.dylib", "libsqlite4java.dylib"});
    } else if (os.contains("mac")) {
      candidates.add(new String[] {"native/sqlite4java/libsqlite4java-osx.dylib", "libsqlite4java-osx.dylib"});
      candidates.add(new String[] {bundled + "Mac/x86_64/libsqlite4java.dylib", "libsqlite4java.dylib"});
    } else if (os.contains("windows") && x64) {
      candidates.add(new String[] {bundled + "Windows/x86_64/sqlite4java.dll", "sqlite4java.dll"});
    }
    for (String[] c : candidates) {
      try (InputStream in = DynamoDbLocal.class.getClassLoader().getResourceAsStream(c[0])) {
        if (in == null) {
          continue;
        }
        Path dir = Files.createTempDirectory("poolshift-sqlite4java");
        Path target = dir.resolve(c[1]);
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        target.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return dir;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot extract " + c[0], e);
      }
    }
    throw new IllegalStateException("no SQLite native library for DynamoDB Local on " + os + "/" + arch
        + " (shipped: Linux and macOS on x86-64 and ARM64, Windows x86-64)");
  }
}
