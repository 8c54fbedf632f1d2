package dev.faultline.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
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
 * No module reaches into another's tables. A table belongs to the module whose Flyway migrations
 * ({@code <module>/src/main/resources/db/**}{@code .sql}) create it; a module's SQL (the string
 * literals and text blocks of its main code, literals joined across {@code +}, and its migrations'
 * own references) may name its own tables and, beyond them, only what {@link #INTENDED} lists (an
 * entry no longer needed fails the test). A module that needs another's data calls the owner's
 * repository: storage's queries made for the UI and the notifier live in storage's classes and
 * count as storage's.
 *
 * <p>This test sits in the launcher because it is the one module that sees every other; it reads
 * the sources (not the jars on its classpath), so it checks the working tree whatever was built.
 * SQL is recognised by its upper-case keywords ({@code FROM}, {@code JOIN}, {@code INTO}, {@code
 * UPDATE}, {@code TABLE}, ...) followed by the name of a table some migration creates.
 */
class TableOwnershipTest {

  /** The repository: the launcher's tests run in {@code launcher/}. */
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** Reads of another module's tables that are meant to be, each with its reason. */
  private static final List<Allowance> INTENDED =
      List.of(
          // The storage benchmark fills storage's largest table in bulk (generate_series) and in a
          // scratch copy, to time storage's own queries over months of data: going through the
          // writer would time the writer instead.
          Allowance.writes("bench", "model_window"));

  /** Modules that own tables, by table: from the migrations, never a copied list. */
  @Test
  void everyTableHasOneOwningModule() {
    Map<String, Set<String>> creators = new TreeMap<>();
    for (Module m : modules()) {
      for (String t : m.createdTables()) {
        creators.computeIfAbsent(t, k -> new TreeSet<>()).add(m.name());
      }
    }
    assertFalse(creators.isEmpty(), "no migration found under " + ROOT);
    List<String> shared =
        creators.entrySet().stream()
            .filter(e -> e.getValue().size() > 1)
            .map(e -> e.getKey() + " " + e.getValue())
            .toList();
    assertEquals(List.of(), shared, "tables created by more than one module's migrations");
  }

  @Test
  void noModuleNamesAnotherModulesTables() {
    List<Module> modules = modules();
    Map<String, String> owner = new TreeMap<>();
    modules.forEach(m -> m.createdTables().forEach(t -> owner.put(t, m.name())));
    List<Allowance> allowed = INTENDED;
    Set<Allowance> used = new LinkedHashSet<>();
    List<String> violations = new ArrayList<>();
    for (Module m : modules) {
      for (Reference r : m.references(owner.keySet())) {
        if (m.name().equals(owner.get(r.table()))) {
          continue;
        }
        Allowance match =
            allowed.stream().filter(a -> a.covers(m.name(), r)).findFirst().orElse(null);
        if (match == null) {
          violations.add(
              m.name()
                  + (r.write() ? " writes " : " reads ")
                  + owner.get(r.table())
                  + "'s "
                  + r.table()
                  + " in "
                  + r.where());
        } else {
          used.add(match);
        }
      }
    }
    assertEquals(List.of(), violations, "SQL on tables another module's migrations create");
    List<Allowance> stale = allowed.stream().filter(a -> !used.contains(a)).toList();
    assertEquals(List.of(), stale, "allowances no longer needed: remove them");
  }

  /** Reading or writing a table from outside its module, allowed. */
  record Allowance(String module, String table, boolean write) {
    static Allowance reads(String module, String table) {
      return new Allowance(module, table, false);
    }

    static Allowance writes(String module, String table) {
      return new Allowance(module, table, true);
    }

    boolean covers(String m, Reference r) {
      return module.equals(m) && table.equals(r.table()) && (write || !r.write());
    }
  }

  /** A table named in a module's SQL. */
  record Reference(String table, boolean write, String where) {}

  /** A Maven module with main code or resources: its name is its path under the repository. */
  record Module(String name, Path dir) {

    Path main() {
      return dir.resolve("src/main");
    }

    /** The module's Flyway migrations: every {@code .sql} under {@code resources/db}. */
    List<Path> migrations() {
      return files(main().resolve("resources/db"), ".sql");
    }

    Set<String> createdTables() {
      Set<String> out = new TreeSet<>();
      for (Path f : migrations()) {
        Matcher m = CREATE.matcher(Sql.withoutComments(read(f)));
        while (m.find()) {
          out.add(m.group(1).toLowerCase(java.util.Locale.ROOT));
        }
      }
      return out;
    }

    /** Every known table the module's main code and migrations name. */
    List<Reference> references(Set<String> tables) {
      List<Reference> out = new ArrayList<>();
      for (Path f : files(main().resolve("java"), ".java")) {
        for (String constant : JavaStrings.constants(read(f))) {
          out.addAll(Sql.references(constant, tables, ROOT.relativize(f).toString()));
        }
      }
      for (Path f : files(main().resolve("resources"), ".sql")) {
        String sql = Sql.withoutComments(read(f)).toUpperCase(java.util.Locale.ROOT);
        // keywords in upper case like the Java code's, table names in lower case
        for (String t : tables) {
          sql = sql.replaceAll("\\b" + t.toUpperCase(java.util.Locale.ROOT) + "\\b", t);
        }
        out.addAll(Sql.references(sql, tables, ROOT.relativize(f).toString()));
      }
      return out;
    }
  }

  private static final Pattern CREATE =
      Pattern.compile(
          "(?i)\\bCREATE\\s+(?:UNLOGGED\\s+)?(?:TABLE|(?:MATERIALIZED\\s+)?VIEW)"
              + "\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?([a-z_][a-z0-9_]*+)");

  /** Table references in one piece of SQL. */
  static final class Sql {

    private static final Pattern REFERENCE =
        Pattern.compile(
            "\\b(DELETE\\s+FROM|FROM|JOIN|REFERENCES|INTO|UPDATE|TABLE|TRUNCATE|ANALYZE|LIKE|ON)"
                + "\\s+(?:ONLY\\s+|IF\\s+(?:NOT\\s+)?EXISTS\\s+)?([a-z_][a-z0-9_]*+)(?!\\s*\\()"
                + "|to_regclass\\('([a-z_][a-z0-9_]*+)'\\)");

    private static final Set<String> READS = Set.of("FROM", "JOIN", "REFERENCES", "LIKE", "ON");

    static List<Reference> references(String sql, Set<String> tables, String where) {
      List<Reference> out = new ArrayList<>();
      Matcher m = REFERENCE.matcher(sql);
      while (m.find()) {
        String table = m.group(2) != null ? m.group(2) : m.group(3);
        if (tables.contains(table)) {
          boolean read = m.group(1) == null || READS.contains(m.group(1));
          out.add(new Reference(table, !read, where));
        }
      }
      return out;
    }

    static String withoutComments(String sql) {
      return sql.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\n]*", " ");
    }
  }

  /** The string constants of a Java source, each literal joined to the next across a {@code +}. */
  static final class JavaStrings {

    /** Between two literals of one expression: {@code +}, or {@code + NAME +} (a constant). */
    private static final Pattern JOINED = Pattern.compile("\\s*\\+\\s*(?:[\\w.]+\\s*\\+\\s*)?");

    static List<String> constants(String src) {
      List<String> out = new ArrayList<>();
      StringBuilder current = null;
      int lastEnd = 0;
      int i = 0;
      while (i < src.length()) {
        char c = src.charAt(i);
        if (src.startsWith("//", i)) {
          i = next(src, src.indexOf('\n', i));
        } else if (src.startsWith("/*", i)) {
          int close = src.indexOf("*/", i + 2);
          i = close < 0 ? src.length() : close + 2;
        } else if (c == '\'') {
          i = next(src, src.indexOf('\'', src.charAt(i + 1) == '\\' ? i + 3 : i + 2));
        } else if (c == '"') {
          boolean block = src.startsWith("\"\"\"", i);
          int end = block ? src.indexOf("\"\"\"", i + 3) + 3 : literalEnd(src, i);
          String text =
              block ? src.substring(i + 3, end - 3) : unescape(src.substring(i + 1, end - 1));
          if (current != null && JOINED.matcher(src.substring(lastEnd, i)).matches()) {
            current.append(text);
          } else {
            if (current != null) {
              out.add(current.toString());
            }
            current = new StringBuilder(text);
          }
          lastEnd = end;
          i = end;
        } else {
          i++;
        }
      }
      if (current != null) {
        out.add(current.toString());
      }
      return out;
    }

    private static int next(String src, int index) {
      return index < 0 ? src.length() : index + 1;
    }

    private static int literalEnd(String src, int open) {
      int j = open + 1;
      while (src.charAt(j) != '"') {
        j += src.charAt(j) == '\\' ? 2 : 1;
      }
      return j + 1;
    }

    private static String unescape(String body) {
      return body.replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
    }
  }

  static List<Module> modules() {
    try (Stream<Path> poms = Files.walk(ROOT, 3)) {
      return poms.filter(p -> p.getFileName().toString().equals("pom.xml"))
          .map(Path::getParent)
          .filter(d -> !d.equals(ROOT) && Files.isDirectory(d.resolve("src/main")))
          .filter(
              d -> !d.toString().contains("/target/") && !d.toString().contains("/node_modules/"))
          .map(d -> new Module(ROOT.relativize(d).toString(), d))
          .sorted(java.util.Comparator.comparing(Module::name))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> files(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
