package io.promgate.gateway.lint;

import io.promgate.gateway.cli.PromgateSubcommand;
import io.promgate.gateway.explain.ApiClient;
import io.promgate.gateway.explain.ExplainText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code promgate lint-dashboard [--url URL] [--tenant ID] [--range 1h] [--format text|json] DASHBOARD.json...}:
 * sends each dashboard to a running promgate's {@code POST /api/v1/lint/dashboard} (variables resolved
 * and every target explained there, so CLI and API give the same verdicts) and prints per panel OK or
 * the diagnosis. Exit 0 when every panel is fine, 1 when a panel would show "No data" or does not parse,
 * 2 when it could not run (unreadable file, not JSON, promgate unreachable or refusing).
 */
@Command(name = "lint-dashboard", description = "Find Grafana panels that would show \"No data\", and say why.")
public final class LintDashboardCommand implements PromgateSubcommand, Callable<Integer> {
  @Option(names = "--url", defaultValue = "http://localhost:9095", description = "promgate URL (default: ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--tenant", description = "tenant id (default: the server's default tenant)")
  String tenant;

  @Option(names = "--range", defaultValue = "1h", description = "dashboard time range ending now (default: ${DEFAULT-VALUE})")
  String range;

  @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
  String format;

  @Parameters(arity = "1..*", paramLabel = "DASHBOARD.json")
  List<Path> files;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!format.equals("text") && !format.equals("json")) {
      err.println("promgate lint-dashboard: --format must be text or json, got " + format);
      err.flush();
      return 2;
    }
    ApiClient client = new ApiClient(url, tenant);
    JsonArray allPanels = new JsonArray();
    int problems = 0;
    try {
      for (Path f : files) {
        String json;
        try {
          json = Files.readString(f);
          new JsonObject(json);
        } catch (IOException | RuntimeException e) {
          throw new ApiClient.Failure(f + ": not a readable dashboard JSON: " + e.getMessage());
        }
        JsonObject r = client.postJson("/api/v1/lint/dashboard?range=" + ApiClient.enc(range), json);
        problems += r.getInteger("problems", 0);
        for (Object o : r.getJsonArray("panels")) {
          allPanels.add(((JsonObject) o).copy().put("dashboard", f.toString()));
        }
        if (format.equals("text")) {
          out.print(text(f, r));
        }
      }
    } catch (ApiClient.Failure e) {
      err.println("promgate lint-dashboard: " + e.getMessage());
      err.flush();
      return 2;
    }
    if (format.equals("json")) {
      out.println(new JsonObject().put("panels", allPanels).put("problems", problems).encodePrettily());
    }
    out.flush();
    return problems == 0 ? 0 : 1;
  }

  static String text(Path file, JsonObject r) {
    StringBuilder sb = new StringBuilder();
    sb.append(file).append(": ").append(r.getString("title")).append('\n');
    int ok = 0;
    for (Object o : r.getJsonArray("panels")) {
      JsonObject p = (JsonObject) o;
      String status = p.getString("status");
      if (status.equals("ok")) {
        ok++;
      }
      sb.append(String.format(Locale.ROOT, "  %-8s #%s %s%n", status.toUpperCase(Locale.ROOT).replace('_', ' '),
          p.getValue("id"), p.getString("title")));
      if (p.getString("note") != null) {
        sb.append("           ").append(p.getString("note")).append('\n');
      }
      for (Object d : p.getJsonArray("diagnoses", new JsonArray())) {
        sb.append(ExplainText.diagnosis((JsonObject) d, "           "));
      }
    }
    sb.append(String.format(Locale.ROOT, "%d panels, %d ok, %d with problems%n", r.getJsonArray("panels").size(), ok,
        r.getInteger("problems")));
    return sb.toString();
  }
}
