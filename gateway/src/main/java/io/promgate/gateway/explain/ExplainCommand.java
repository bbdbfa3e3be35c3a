package io.promgate.gateway.explain;

import io.promgate.gateway.cli.PromgateSubcommand;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code promgate explain [--url URL] [--tenant ID] [--start/--end/--step | --time] QUERY}: asks a running
 * promgate's {@code /api/v1/explain} and prints the plan and diagnoses. Exit 0 when nothing is wrong, 1
 * when a selector is empty (diagnoses printed), 2 when it could not run.
 */
@Command(name = "explain", description = "Explain what a query reads and why it returns nothing.")
public final class ExplainCommand implements PromgateSubcommand, Callable<Integer> {
  @Option(names = "--url", defaultValue = "http://localhost:9095", description = "promgate URL (default: ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--tenant", description = "tenant id (default: the server's default tenant)")
  String tenant;

  @Option(names = "--time", description = "evaluation time (RFC 3339 or Unix seconds; default: now)")
  String time;

  @Option(names = "--start", description = "range start (RFC 3339 or Unix seconds)")
  String start;

  @Option(names = "--end", description = "range end (default: now)")
  String end;

  @Option(names = "--step", description = "range step, e.g. 15s")
  String step;

  @Parameters(index = "0", paramLabel = "QUERY")
  String query;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    StringBuilder form = new StringBuilder("query=").append(ApiClient.enc(query));
    if (time != null && (start != null || end != null)) {
      err.println("promgate explain: --time cannot be combined with --start/--end");
      return 2;
    }
    append(form, "time", time);
    append(form, "start", start);
    append(form, "end", end);
    append(form, "step", step);
    try {
      JsonObject d = new ApiClient(url, tenant).postForm("/api/v1/explain", form.toString());
      out.print(ExplainText.render(d));
      out.flush();
      return d.getJsonArray("diagnoses").isEmpty() ? 0 : 1;
    } catch (ApiClient.Failure e) {
      err.println("promgate explain: " + e.getMessage());
      err.flush();
      return 2;
    }
  }

  private static void append(StringBuilder form, String name, String value) {
    if (value != null) {
      form.append('&').append(name).append('=').append(ApiClient.enc(value));
    }
  }
}
