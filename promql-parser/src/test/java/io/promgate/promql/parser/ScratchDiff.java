package io.promgate.promql.parser;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import org.junit.jupiter.api.Test;

class ScratchDiff {
  @Test
  void diff() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    List<String> corpus = new ArrayList<>();
    TestData.read("prometheus-valid.txt").forEach(f -> corpus.add(f[0]));
    java.nio.file.Files.readAllLines(java.nio.file.Path.of("../bench/src/main/resources/grafana-queries.txt")).forEach(corpus::add);
    Random r = new Random(42);
    String alphabet = "(){}[],:@+-*/%^=!~<>\"' 0123456789.exabcmshdwy_";
    String[] words = {" without ", " ignoring ", " group_right ", " unless ", "topk(1, ", "count_values(\"x\", ", " atan2 ", " start ", " end() ", "-", "^", " == ", " > bool ", "rate(", "(1)", "1e3", "Inf", "{a=\"b\"}", " by ", " on ", " offset ", " bool ", " group_left ", " and ", " or ", "sum", "(", ")", "[5m]", "[5m:]", " @ 100", "{}", ",", " + "};
    int disagree = 0;
    Set<String> seen = new HashSet<>();
    for (int n = 0; n < 40000 && disagree < 60; n++) {
      StringBuilder q = new StringBuilder(corpus.get(r.nextInt(corpus.size())));
      if (q.toString().contains("\"") && q.toString().matches(".*[{,]\\s*\"[^\"]*\"\\s*[=!,}].*")) continue;
      for (int i = r.nextInt(2) + 1; i > 0; i--) {
        int at = q.length() == 0 ? 0 : r.nextInt(q.length());
        switch (r.nextInt(4)) {
          case 0 -> q.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
          case 1 -> { if (q.length() > 0) q.deleteCharAt(at); }
          case 2 -> q.insert(at, words[r.nextInt(words.length)]);
          default -> { if (q.length() > 0) q.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length()))); }
        }
      }
      String s = q.toString();
      if (!seen.add(s)) continue;
      HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:39123/api/v1/format_query"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("query=" + URLEncoder.encode(s, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
      boolean theirs = resp.statusCode() == 200;
      String ours;
      try { PromQLParser.parse(s); ours = null; } catch (ParseException e) { ours = e.getMessage(); }
      String body = resp.body();
      if (!theirs && (body.contains("missing unit character") || body.contains("expected duration") || body.contains("\\\"info\\\"")
          || body.contains("unexpected duration") || body.contains("in label matching, expected identifier") || body.contains("in subquery or range, expected")
          || body.contains("bad number or duration syntax") || body.contains("bad duration syntax"))) continue;
      if (theirs != (ours == null)) {
        disagree++;
        System.out.println("DIFF " + (theirs ? "prom-ok " : "prom-err ") + s + "\n   prom: " + resp.body() + "\n   ours: " + ours);
      }
    }
    System.out.println("disagreements " + disagree);
  }
}
