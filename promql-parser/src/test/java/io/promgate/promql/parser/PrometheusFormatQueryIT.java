package io.promgate.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test against a real Prometheus: for every query of our corpora that the installed
 * Prometheus accepts, its /api/v1/format_query output equals {@link Printer#pretty}. The installed
 * binary may be older than 3.5 (Debian ships 2.42): queries it rejects (newer syntax) are skipped, and
 * our two documented printing deviations are normalised away.
 */
class PrometheusFormatQueryIT {
  private static final Pattern DATA = Pattern.compile("\"data\":\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static Process prometheus;
  private static Path dir;
  private static String base;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    String bin = findOnPath("prometheus");
    if (bin == null) {
      if ("1".equals(System.getenv("PROMGATE_REQUIRE_EXTERNAL"))) {
        throw new AssertionError("prometheus binary required (PROMGATE_REQUIRE_EXTERNAL=1) but not on PATH");
      }
      Assumptions.abort("prometheus binary not on PATH: skipping the format_query comparison");
    }
    dir = Files.createTempDirectory("promgate-parser-it");
    Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1h\n");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    base = "http://127.0.0.1:" + port;
    prometheus = new ProcessBuilder(bin, "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        if (HTTP.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          break;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (System.nanoTime() > deadline || !prometheus.isAlive()) {
        throw new AssertionError("prometheus did not become ready: " + Files.readString(dir.resolve("prometheus.log")));
      }
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor();
    }
  }

  private static String findOnPath(String name) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(d, name);
      if (f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    return null;
  }

  /** Prometheus' formatted query, or null when it rejects the query. */
  private static String formatQuery(String q) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/format_query"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("query=" + URLEncoder.encode(q, StandardCharsets.UTF_8))).build();
    HttpResponse<String> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() != 200) {
      return null;
    }
    Matcher m = DATA.matcher(resp.body());
    return m.find() ? jsonUnescape(m.group(1)) : null;
  }

  private static String jsonUnescape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char n = s.charAt(++i);
      switch (n) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> sb.append(n);
      }
    }
    return sb.toString();
  }

  private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?(?![\\w.])");

  private static String numbers(String s) {
    return NUMBER.matcher(s).replaceAll(m -> Durations.formatFloat(Double.parseDouble(m.group())));
  }

  /** Prometheus' parse error for a query ("1:5: parse error: ..."), or null when it parses. */
  private static String parseError(String q) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/query"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("time=0&query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)))
        .build();
    HttpResponse<String> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("\"error\":\"invalid parameter \\\\\"query\\\\\": ((?:[^\"\\\\]|\\\\.)*)\"")
        .matcher(resp.body());
    return m.find() ? jsonUnescape(m.group(1)) : null;
  }

  /**
   * Queries whose error message changed between Prometheus 2.x and 3.5 (3.x rewrote number/duration
   * lexing, added duration expressions, quoted UTF-8 names and info()); compared only against 3.x.
   */
  private static final Set<String> CHANGED_SINCE_2X = Set.of("2.5.", "100..4", "foo offset (4d/0)",
      "foo offset 9.5e10", "foo[\"5m\"]", "foo[-1]", "foo[-2^2]", "foo[0+-2^2]", "foo[0]", "foo[1.5m]", "foo[5m/0]",
      "foo[5m1]", "foo[5mm]", "foo[5s%0d]", "foo[5s/0d]", "foo[5y1hs]", "foo[9.5e10]", "foo[]", "foo{\"a\"=}",
      "foo{\"bar\"}", "foo{bar=\"baz\"}[", "info(rate(http_request_counter_total{}[5m]), target_info{foo=\"bar\"})",
      "info(up, up)", "some_metric[5m] OFFSET");

  /**
   * Known wording difference: after "group_left (" that cannot be a complete binary expression, Prometheus
   * reports the token after the label list, we report the "(" (both reject).
   */
  private static final Pattern GROUP_X_PAREN = Pattern.compile("group_(left|right)\\s*\\(");

  private static boolean prometheus2x() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/status/buildinfo")).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.body().contains("\"version\":\"2.");
  }

  @Test
  void parseErrorsMatchRealPrometheus() throws Exception {
    boolean old = prometheus2x();
    List<String> queries = new ArrayList<>();
    TestData.read("prometheus-errors.txt").forEach(f -> queries.add(f[0]));
    TestData.read("tricky.txt").stream().filter(f -> f[1].startsWith("!")).forEach(f -> queries.add(f[0]));
    int compared = 0;
    List<String> mismatches = new ArrayList<>();
    for (String q : queries) {
      String theirs = parseError(q);
      String ours;
      try {
        PromQLParser.parse(q);
        ours = null;
      } catch (ParseException e) {
        ours = e.getMessage();
      }
      if (theirs == null || ours == null || (old && CHANGED_SINCE_2X.contains(q)) || GROUP_X_PAREN.matcher(q).find()) {
        continue; // accepted by one side, or worded differently before 3.x
      }
      compared++;
      if (!theirs.equals(ours)) {
        mismatches.add(q + "\n  prometheus: " + theirs + "\n  promgate:   " + ours);
      }
    }
    assertThat(compared).as("errors compared").isGreaterThan(100);
    assertThat(mismatches).as("%d of %d differ", mismatches.size(), compared).isEmpty();
  }

  /** Rejections that only say "this needs Prometheus 3 syntax" when the installed binary is 2.x. */
  private static final List<String> NEWER_SYNTAX = List.of("missing unit character", "expected duration",
      "\\\"info\\\"", "unexpected duration", "in label matching, expected identifier", "in subquery or range, expected",
      "bad number or duration syntax", "bad duration syntax", "in grouping opts, expected label",
      "duration must be greater than 0");

  /**
   * Differential fuzzing: seeded mutations of real queries must be accepted by us exactly when the real
   * Prometheus accepts them (rejections caused by syntax newer than the installed binary aside).
   */
  @Test
  void acceptsExactlyWhatPrometheusAccepts() throws Exception {
    boolean old = prometheus2x();
    List<String> corpus = new ArrayList<>();
    TestData.read("prometheus-valid.txt").forEach(f -> corpus.add(f[0]));
    java.util.Random r = new java.util.Random(20261128);
    String alphabet = "(){}[],:@+-*/%^=!~<>\"' 0123456789.exabcmshdwy_";
    String[] words = {" without ", " ignoring ", " group_right ", " unless ", "topk(1, ", " atan2 ", " start ", "-",
        "^", " == ", " > bool ", "rate(", "(1)", "1e3", "Inf", "{a=\"b\"}", " by ", " on ", " offset ", " bool ",
        " group_left ", " and ", " or ", "sum", "(", ")", "[5m]", "[5m:]", " @ 100", "{}", ",", " + "};
    Set<String> seen = new java.util.HashSet<>();
    List<String> disagreements = new ArrayList<>();
    int compared = 0;
    while (compared < 2000) {
      StringBuilder q = new StringBuilder(corpus.get(r.nextInt(corpus.size())));
      for (int i = r.nextInt(2) + 1; i > 0; i--) {
        int at = q.length() == 0 ? 0 : r.nextInt(q.length());
        int op = q.length() == 0 ? 0 : r.nextInt(4);
        switch (op) {
          case 0 -> q.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
          case 1 -> q.deleteCharAt(at);
          case 2 -> q.insert(at, words[r.nextInt(words.length)]);
          default -> q.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
        }
      }
      String query = q.toString();
      if (query.isBlank() || !seen.add(query)) {
        continue;
      }
      HttpResponse<String> resp = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/format_query"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
          .build(), HttpResponse.BodyHandlers.ofString());
      boolean theirs = resp.statusCode() == 200;
      if (!theirs && old && NEWER_SYNTAX.stream().anyMatch(resp.body()::contains)) {
        continue;
      }
      compared++;
      String ours = null;
      try {
        PromQLParser.parse(query);
      } catch (ParseException e) {
        ours = e.getMessage();
      }
      if (theirs != (ours == null)) {
        disagreements.add(query + "\n  prometheus: " + resp.body() + "\n  promgate:   " + ours);
      }
    }
    assertThat(disagreements).as("%d of %d mutated queries", disagreements.size(), compared).isEmpty();
  }

  @Test
  void formatQueryMatchesRealPrometheus() throws Exception {
    Set<String> queries = new LinkedHashSet<>();
    try {
      ConformanceScriptsTest.cases().forEach(c -> queries.add(c.query()));
    } catch (org.opentest4j.TestAbortedException noScripts) {
      // the other corpora still run
    }
    TestData.read("prometheus-valid.txt").forEach(f -> queries.add(f[0]));
    TestData.read("tricky.txt").stream().filter(f -> !f[1].startsWith("!")).forEach(f -> queries.add(f[0]));
    Path grafana = Path.of(System.getProperty("promgate.root", ".."), "bench/src/main/resources/grafana-queries.txt");
    if (Files.exists(grafana)) {
      queries.addAll(Files.readAllLines(grafana));
    }
    int compared = 0;
    List<String> mismatches = new ArrayList<>();
    for (String q : queries) {
      String theirs = formatQuery(q);
      if (theirs == null) {
        continue; // syntax newer than the installed Prometheus
      }
      String ours;
      try {
        ours = Printer.pretty(PromQLParser.parse(q));
      } catch (ParseException e) {
        continue; // older dialect (e.g. 2.x-only functions)
      }
      if (theirs.contains("\\x") || ours.indexOf('\uFFFD') >= 0) {
        continue; // invalid UTF-8 in a string: Go keeps the byte, we hold U+FFFD (documented)
      }
      compared++;
      // documented deviation: a literal +Inf left of ^ prints as "Inf" so that it parses back
      String normalized = ours.replace("Inf ^", "+Inf ^").replace("++Inf ^", "+Inf ^");
      // Prometheus 2.x printed numbers with %v (1.2e+07), 3.x with 'f' (12000000): compare values
      if (!numbers(normalized).equals(numbers(theirs))) {
        mismatches.add(q + "\n  prometheus: " + theirs + "\n  promgate:   " + ours);
      }
    }
    assertThat(compared).as("queries compared").isGreaterThan(500);
    assertThat(mismatches).as("%d of %d differ", mismatches.size(), compared).isEmpty();
  }
}
