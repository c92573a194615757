package dev.poolshift;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The functions' package structure, read from the sources: packages depend on each other
 * without cycles, and the domain ({@code dev.poolshift.rollout} and its sub-packages but the
 * use cases) reaches neither AWS nor the use cases.
 */
class PackageStructureTest {
  private static final Path FUNCTIONS = Path.of("functions/src/main/java");
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern IMPORT = Pattern.compile(
      "^import (?:static )?([\\w.]+);", Pattern.MULTILINE);
  /** Fully qualified references in code: a package name followed by a type name. */
  private static final Pattern QUALIFIED = Pattern.compile(
      "\\b((?:dev\\.poolshift|software\\.amazon|com\\.amazonaws)(?:\\.[a-z]\\w*)+)\\.[A-Z]");

  @Test
  void packagesOfTheFunctionsDependOnEachOtherWithoutCycles() {
    Map<String, Set<String>> deps = dependencies(FUNCTIONS, "dev.poolshift");

    assertThat(cycles(deps)).as("package cycles").isEmpty();
  }

  @Test
  void theDomainImportsNoAwsTypeAndNoUseCase() {
    Map<String, Set<String>> deps = dependencies(FUNCTIONS, "");
    Map<String, Set<String>> offending = new TreeMap<>();
    deps.forEach((pkg, targets) -> {
      if (!pkg.startsWith("dev.poolshift.rollout") || pkg.startsWith("dev.poolshift.rollout.usecase")) {
        return;
      }
      targets.stream().filter(t -> t.startsWith("software.amazon") || t.startsWith("com.amazonaws")
              || t.startsWith("dev.poolshift.rollout.usecase") || t.startsWith("dev.poolshift.aws")
              || t.startsWith("dev.poolshift.handler"))
          .forEach(t -> offending.computeIfAbsent(pkg, k -> new TreeSet<>()).add(t));
    });

    assertThat(offending).isEmpty();
  }

  @Test
  void theCycleCheckFindsACycle() {
    Map<String, Set<String>> deps = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"),
        "d", Set.of("a"));

    assertThat(cycles(deps)).containsExactly(List.of("a", "b", "c"));
  }

  /** Package → the packages its files import or name, limited to those starting with {@code prefix}. */
  static Map<String, Set<String>> dependencies(Path root, String prefix) {
    Map<String, Set<String>> deps = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String text = Files.readString(file);
        Matcher p = PACKAGE.matcher(text);
        if (!p.find()) {
          continue;
        }
        String pkg = p.group(1);
        Set<String> targets = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher i = IMPORT.matcher(text);
        while (i.find()) {
          String target = packageOf(i.group(1));
          if (target.startsWith(prefix) && !target.equals(pkg)) {
            targets.add(target);
          }
        }
        Matcher q = QUALIFIED.matcher(text);
        while (q.find()) {
          if (q.group(1).startsWith(prefix) && !q.group(1).equals(pkg)) {
            targets.add(q.group(1));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return deps;
  }

  /** The package of an imported name: the segments before the first capitalised one. */
  private static String packageOf(String imported) {
    List<String> parts = new ArrayList<>();
    for (String part : imported.split("\\.")) {
      if (Character.isUpperCase(part.charAt(0))) {
        break;
      }
      parts.add(part);
    }
    return String.join(".", parts);
  }

  /** Strongly connected components of more than one package (Tarjan), each sorted. */
  static List<List<String>> cycles(Map<String, Set<String>> deps) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<List<String>> out = new ArrayList<>();
    int[] counter = {0};
    for (String v : new TreeSet<>(deps.keySet())) {
      if (!index.containsKey(v)) {
        connect(v, deps, index, low, stack, onStack, out, counter);
      }
    }
    return out;
  }

  private static void connect(String v, Map<String, Set<String>> deps, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> out,
      int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : deps.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, deps, index, low, stack, onStack, out, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> component = new ArrayList<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        out.add(component.stream().sorted().toList());
      }
    }
  }
}
