package dev.poolshift.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Measures how small the SDK's service modules get when they keep only the classes Poolshift
 * reaches (docs/cold-start.md, "Package size"). Not part of the build: it writes trimmed copies of
 * the service jars found in a dependency folder, to be proven by running the handlers and the
 * scenarios from them. Its arguments: the functions' classes (a folder or a jar), the folder of
 * their dependency jars, the folder to write to.
 *
 * <pre>
 * java -cp tests/target/test-classes dev.poolshift.aws.SdkModuleTrim \
 *     functions/target/classes functions/target/lib functions/target/trimmed
 * </pre>
 *
 * <p>A service module keeps: every class outside its model, marshallers, paginators, waiters and
 * async client; the closure of class references from Poolshift's classes, not followed through
 * the service client itself (it names every operation), plus the marshaller of every request
 * reached; the outer request and response class of every operation, which verifying the service
 * client loads (loaded, never linked, so their own references may be missing); and every
 * modelled exception with its builders, which the client registers when it is built. Resources
 * are kept as they are.
 */
public final class SdkModuleTrim {
  private static final String SERVICES = "software/amazon/awssdk/services/";
  private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([\\w/$]+)[;<]");
  private static final Pattern OPERATION_CLASS = Pattern.compile("/model/[^/$]+(Request|Response|Exception)$");

  private SdkModuleTrim() {}

  public static void main(String[] args) throws IOException {
    Path classes = Path.of(args[0]);
    Path lib = Path.of(args[1]);
    Path out = Path.of(args[2]);
    Files.createDirectories(out);

    Map<String, byte[]> ours = new HashMap<>();
    if (Files.isDirectory(classes)) {
      try (Stream<Path> files = Files.walk(classes)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
          String name = classes.relativize(f).toString().replace('\\', '/');
          ours.put(name.substring(0, name.length() - ".class".length()), Files.readAllBytes(f));
        }
      }
    } else {
      try (ZipFile zip = new ZipFile(classes.toFile())) {
        for (ZipEntry e : zip.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
          try (InputStream in = zip.getInputStream(e)) {
            ours.put(e.getName().substring(0, e.getName().length() - ".class".length()),
                in.readAllBytes());
          }
        }
      }
    }
    Map<Path, Module> modules = new TreeMap<>();
    try (Stream<Path> jars = Files.list(lib)) {
      for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
        Module m = Module.read(jar);
        if (m != null) {
          modules.put(jar, m);
        }
      }
    }

    Map<String, byte[]> serviceClasses = new HashMap<>();
    modules.values().forEach(m -> serviceClasses.putAll(m.classes));
    Set<String> keep = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    ours.keySet().forEach(c -> mark(c, keep, todo));
    for (Module m : modules.values()) {
      m.classes.keySet().stream().filter(c -> !m.trimmable(c)).forEach(c -> mark(c, keep, todo));
    }
    follow(todo, keep, ours, serviceClasses, modules);
    for (Module m : modules.values()) {
      for (String c : List.copyOf(keep)) {
        if (c.startsWith(m.prefix + "model/") && c.endsWith("Request") && !c.contains("$")) {
          String marshaller = m.prefix + "transform/" + c.substring(c.lastIndexOf('/') + 1)
              + "Marshaller";
          if (m.classes.containsKey(marshaller)) {
            mark(marshaller, keep, todo);
          }
        }
      }
    }
    follow(todo, keep, ours, serviceClasses, modules);

    for (Map.Entry<Path, Module> e : modules.entrySet()) {
      Module m = e.getValue();
      Path target = out.resolve(e.getKey().getFileName());
      int kept = m.write(e.getKey(), target, c -> keep.contains(c) || keep.contains(outer(c))
          || OPERATION_CLASS.matcher(c).find()
          || OPERATION_CLASS.matcher(outer(c)).find() && outer(c).endsWith("Exception"));
      System.out.printf("%s classes %d -> %d, %.2f MB -> %.2f MB%n", e.getKey().getFileName(),
          m.classes.size(), kept, Files.size(e.getKey()) / 1e6, Files.size(target) / 1e6);
    }
  }

  private static void follow(Deque<String> todo, Set<String> keep, Map<String, byte[]> ours,
      Map<String, byte[]> serviceClasses, Map<Path, Module> modules) {
    while (!todo.isEmpty()) {
      String c = todo.pop();
      byte[] bytes = ours.containsKey(c) ? ours.get(c) : serviceClasses.get(c);
      if (bytes == null) {
        continue;
      }
      Module owner = modules.values().stream().filter(m -> c.startsWith(m.prefix)).findFirst()
          .orElse(null);
      boolean barrier = owner != null && owner.clients.contains(c);
      for (String d : references(bytes)) {
        if (barrier && owner.trimmable(d)) {
          continue;
        }
        mark(d, keep, todo);
      }
    }
  }

  private static void mark(String c, Set<String> keep, Deque<String> todo) {
    if (keep.add(c)) {
      todo.push(c);
    }
  }

  private static String outer(String c) {
    int dollar = c.indexOf('$');
    return dollar < 0 ? c : c.substring(0, dollar);
  }

  /** Every class a class file names: class entries and the types in its descriptors. */
  static Set<String> references(byte[] bytes) {
    ClassModel model = ClassFile.of().parse(bytes);
    Set<String> refs = new HashSet<>();
    for (PoolEntry entry : model.constantPool()) {
      if (entry instanceof ClassEntry ce) {
        String name = ce.asInternalName();
        refs.add(name.startsWith("[") ? stripArray(name) : name);
      } else if (entry instanceof Utf8Entry utf) {
        Matcher m = DESCRIPTOR_CLASS.matcher(utf.stringValue());
        while (m.find()) {
          refs.add(m.group(1));
        }
      }
    }
    return refs;
  }

  private static String stripArray(String name) {
    Matcher m = DESCRIPTOR_CLASS.matcher(name);
    return m.find() ? m.group(1) : name;
  }

  /** One SDK service module: its classes by internal name, its package and its sync clients. */
  private record Module(String prefix, Map<String, byte[]> classes, Set<String> clients) {

    static Module read(Path jar) throws IOException {
      Map<String, byte[]> classes = new HashMap<>();
      String prefix = null;
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        for (ZipEntry e : zip.stream().toList()) {
          String name = e.getName();
          if (!name.endsWith(".class") || name.startsWith("META-INF/")) {
            continue;
          }
          String cls = name.substring(0, name.length() - ".class".length());
          if (cls.startsWith(SERVICES) && cls.indexOf('/', SERVICES.length()) > 0) {
            String p = cls.substring(0, cls.indexOf('/', SERVICES.length()) + 1);
            if (prefix == null) {
              prefix = p;
            } else if (!prefix.equals(p)) {
              return null;
            }
          }
          try (InputStream in = zip.getInputStream(e)) {
            classes.put(cls, in.readAllBytes());
          }
        }
      }
      if (prefix == null) {
        return null;
      }
      String p = prefix;
      Set<String> clients = new HashSet<>();
      for (String c : classes.keySet()) {
        String simple = c.substring(p.length());
        if (!simple.contains("/") && !simple.contains("Async") && simple.endsWith("Client")
            && !simple.contains("$")) {
          clients.add(c);
        }
      }
      return new Module(p, classes, clients);
    }

    boolean trimmable(String c) {
      if (!c.startsWith(prefix)) {
        return false;
      }
      String rest = c.substring(prefix.length());
      return rest.startsWith("model/") || rest.startsWith("transform/")
          || rest.startsWith("paginators/") || rest.startsWith("waiters/") || rest.contains("Async");
    }

    int write(Path from, Path to, Predicate<String> kept) throws IOException {
      int count = 0;
      try (ZipFile zip = new ZipFile(from.toFile());
          OutputStream file = Files.newOutputStream(to);
          ZipOutputStream jar = new ZipOutputStream(file)) {
        for (ZipEntry e : zip.stream().toList()) {
          String name = e.getName();
          boolean isClass = name.endsWith(".class") && !name.startsWith("META-INF/");
          if (isClass && !kept.test(name.substring(0, name.length() - ".class".length()))) {
            continue;
          }
          count += isClass ? 1 : 0;
          jar.putNextEntry(new ZipEntry(name));
          try (InputStream in = zip.getInputStream(e)) {
            in.transferTo(jar);
          }
          jar.closeEntry();
        }
      }
      return count;
    }
  }
}
