package dev.poolshift;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The repository stands alone: someone who clones it has no document beside it, so no file may
 * send them to one, and the pages in {@code docs/} may only name tests that exist. Run from the
 * repository root (the surefire working directory), walking every file but build output and
 * caches.
 */
class RepositoryHygieneTest {
  static final Path ROOT = Path.of("").toAbsolutePath();
  /** Directories that are not the project's own text: build output, caches, VCS, IDE state. */
  static final Set<String> SKIPPED_DIRECTORIES =
      Set.of("target", ".git", "node_modules", ".cache", ".aws-sam", ".idea", ".vscode");
  /**
   * Pointers at documents outside the repository: the shared reference folder and the reference
   * files once kept there, and rows of the outside situation list, also when a comment wraps the
   * words over two lines. Built from parts so that this file does not match itself.
   */
  static final Pattern OUTSIDE_POINTER = Pattern.compile(String.join("|",
      Pattern.quote("shared" + "/reference"),
      Pattern.quote(".." + "/shared"),
      Pattern.quote("sagemaker-deploy" + "-api.md"),
      Pattern.quote("asl-and-eventbridge" + "-semantics.md"),
      "fault" + "[-\\s*#/]+" + "matrix" + "[\\s*#/]+" + "row"),
      Pattern.CASE_INSENSITIVE);
  /** {@code `Class#method`}, {@code `Outer.Nested#method`} or a package-qualified class. */
  static final Pattern METHOD_REFERENCE =
      Pattern.compile("`((?:[a-z][a-z0-9]*\\.)*[A-Z]\\w*(?:\\.[A-Z]\\w*)*)#(\\w+)`");
  /** A bad console input named by its file, e.g. {@code `04-six-pools`}. */
  static final Pattern BAD_INPUT_CASE = Pattern.compile("`(\\d{2}-[a-z0-9-]+)`");
  static final List<Path> SOURCE_ROOTS = List.of(Path.of("functions/src/main/java"),
      Path.of("local/src/main/java"), Path.of("tests/src/test/java"));

  @Test
  void noFilePointsAtADocumentOutsideTheRepository() throws IOException {
    assertThat(ROOT.resolve("template.yaml")).as("run from the repository root").exists();
    List<String> found = new ArrayList<>();

    for (Path file : projectFiles()) {
      String text = textOf(file);
      if (text == null) {
        continue;
      }
      Matcher m = OUTSIDE_POINTER.matcher(text);
      while (m.find()) {
        found.add(ROOT.relativize(file) + ":" + lineOf(text, m.start()) + ": " + m.group());
      }
    }

    assertThat(found).as("pointers at documents outside the repository; say what the situation is,"
        + " or name it in docs/situations.md or docs/sagemaker.md").isEmpty();
  }

  @Test
  void thePointerCheckFindsEveryFormAndNothingElse() {
    // Numbers are appended, not written after "row", so that no search for such a row finds
    // this file either.
    assertThat(Stream.of("see ../sha" + "red/ARCHITECTURE.md", "Shared" + "/Reference/x.md",
        "sagemaker-deploy" + "-api.md §1.0", "asl-and-eventbridge" + "-semantics.md §2.4",
        "(fault" + "-matrix row " + 12 + ")", "fault" + " matrix row " + 40,
        "the fault" + "\n * matrix row " + 40, "# Fault" + " matrix row " + 7)
        .filter(s -> OUTSIDE_POINTER.matcher(s).find())).hasSize(8);
    assertThat(Stream.of("a table row " + 3, "the matrix row", "shared" + "/ state", "fault matrices")
        .filter(s -> OUTSIDE_POINTER.matcher(s).find())).isEmpty();
  }

  @Test
  void everyMethodTheDocsNameExistsAndEveryTestNamedIsATest() throws IOException {
    Map<String, List<Path>> sources = javaSourcesBySimpleName();
    List<String> broken = new ArrayList<>();
    int checked = 0;

    try (Stream<Path> pages = Files.list(ROOT.resolve("docs"))) {
      for (Path page : pages.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        Matcher m = METHOD_REFERENCE.matcher(Files.readString(page));
        while (m.find()) {
          checked++;
          String problem = problemWith(m.group(1), m.group(2), sources);
          if (problem != null) {
            broken.add(ROOT.relativize(page) + ": " + m.group(1) + "#" + m.group(2) + ": " + problem);
          }
        }
      }
    }

    assertThat(checked).as("Class#method references read from docs/ (is the pattern still right?)")
        .isGreaterThan(150);
    assertThat(broken).isEmpty();
  }

  @Test
  void everyBadInputTheSituationsPageNamesIsACase() throws IOException {
    Path cases = ROOT.resolve("tests/src/test/resources/console/bad-inputs");
    Set<String> named = new LinkedHashSet<>();
    Matcher m = BAD_INPUT_CASE.matcher(Files.readString(ROOT.resolve("docs/situations.md")));
    while (m.find()) {
      named.add(m.group(1));
    }

    assertThat(named).as("bad-input cases named in docs/situations.md").hasSizeGreaterThan(40);
    assertThat(named).allSatisfy(name -> assertThat(cases.resolve(name + ".json")).exists());
  }

  // ---------------------------------------------------------------- helpers

  /** Null when {@code className#methodName} resolves to a method (a test method, for a test class). */
  static String problemWith(String className, String methodName, Map<String, List<Path>> sources) {
    String[] parts = className.split("\\.");
    int firstClass = 0;
    while (Character.isLowerCase(parts[firstClass].charAt(0))) {
      firstClass++;
    }
    String binaryName;
    if (firstClass > 0) {
      binaryName = String.join(".", Arrays.copyOfRange(parts, 0, firstClass + 1));
    } else {
      List<Path> candidates = sources.getOrDefault(parts[0], List.of());
      if (candidates.size() != 1) {
        return candidates.isEmpty() ? "no such class in " + SOURCE_ROOTS
            : "ambiguous, qualify it with its package: " + candidates;
      }
      binaryName = binaryNameOf(candidates.get(0));
    }
    for (int i = firstClass + 1; i < parts.length; i++) {
      binaryName += "$" + parts[i];
    }
    Class<?> type;
    try {
      type = Class.forName(binaryName, false, RepositoryHygieneTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return "no class " + binaryName;
    }
    List<Method> methods = Arrays.stream(type.getDeclaredMethods())
        .filter(x -> x.getName().equals(methodName)).toList();
    if (methods.isEmpty()) {
      return "no method " + methodName + " in " + binaryName;
    }
    boolean testClass = binaryName.endsWith("Test") || binaryName.contains("Test$");
    if (testClass && methods.stream().noneMatch(RepositoryHygieneTest::isTest)) {
      return methodName + " is not a test";
    }
    return null;
  }

  static boolean isTest(Method m) {
    return m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ParameterizedTest.class);
  }

  static Map<String, List<Path>> javaSourcesBySimpleName() throws IOException {
    Map<String, List<Path>> byName = new TreeMap<>();
    for (Path root : SOURCE_ROOTS) {
      try (Stream<Path> files = Files.walk(ROOT.resolve(root))) {
        files.filter(f -> f.toString().endsWith(".java")).forEach(f -> byName
            .computeIfAbsent(f.getFileName().toString().replace(".java", ""), k -> new ArrayList<>())
            .add(ROOT.relativize(f)));
      }
    }
    return byName;
  }

  /** {@code tests/src/test/java/dev/poolshift/X.java} → {@code dev.poolshift.X}. */
  static String binaryNameOf(Path source) {
    for (Path root : SOURCE_ROOTS) {
      if (source.startsWith(root)) {
        String relative = root.relativize(source).toString().replace(".java", "");
        return relative.replace(source.getFileSystem().getSeparator(), ".");
      }
    }
    throw new IllegalArgumentException(source + " is under no source root");
  }

  /** Every regular file of the project, build output and caches left out. */
  static List<Path> projectFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return !dir.equals(ROOT) && SKIPPED_DIRECTORIES.contains(dir.getFileName().toString())
            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        // A worktree's .git is a file, not a directory.
        if (attrs.isRegularFile() && !SKIPPED_DIRECTORIES.contains(file.getFileName().toString())) {
          files.add(file);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return files;
  }

  /** The file as UTF-8 text, or null when it is binary (has a NUL byte). */
  static String textOf(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (byte b : bytes) {
      if (b == 0) {
        return null;
      }
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
