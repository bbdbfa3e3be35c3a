package io.promgate.gateway.cli;

import io.promgate.routing.config.ConfigException;
import io.promgate.routing.config.ConfigLoader;
import io.promgate.routing.config.PromgateConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code promgate check config FILE}: exit 0 when valid, 1 with every problem listed when not. */
@Command(name = "check", description = "Check files.", subcommands = CheckCommand.Config.class)
final class CheckCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing what to check (config)");
  }

  @Command(name = "config", description = "Validate a promgate YAML config.")
  static final class Config implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE")
    Path[] files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      int bad = 0;
      for (Path f : files) {
        try {
          PromgateConfig c = ConfigLoader.load(f);
          spec.commandLine().getOut().println(f + ": OK (" + c.backends().size() + " backends, "
              + c.routes().size() + " routes" + (c.storage().isPresent() ? ", local store" : ", stateless") + ")");
        } catch (ConfigException e) {
          bad++;
          for (String p : e.problems()) {
            spec.commandLine().getErr().println(f + ": " + p);
          }
        }
      }
      spec.commandLine().getOut().flush();
      spec.commandLine().getErr().flush();
      return bad == 0 ? 0 : 1;
    }
  }
}
