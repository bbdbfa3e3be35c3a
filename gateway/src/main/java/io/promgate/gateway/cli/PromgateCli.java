package io.promgate.gateway.cli;

import io.promgate.gateway.Version;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code promgate}: the command line. Subcommands: run, check config, version, and plugged-in ones. */
@Command(name = "promgate", mixinStandardHelpOptions = true, versionProvider = PromgateCli.VersionProvider.class,
    description = "A PromQL gateway that looks like Prometheus to every client.",
    subcommands = {RunCommand.class, CheckCommand.class, VersionCommand.class})
public final class PromgateCli implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Vert.x otherwise sets and restores the thread's context class loader around every handler it calls
    // (a security-manager check each time, measurable on the pass-through path). promgate deploys no
    // verticles from other class loaders, so there is nothing to switch to. -Dvertx.disableTCCL=false wins.
    if (System.getProperty("vertx.disableTCCL") == null) {
      System.setProperty("vertx.disableTCCL", "true");
    }
    int code = commandLine().execute(args);
    if (code != 0 || !RunCommand.isServing()) {
      System.exit(code);
    }
  }

  /** The full command line, with subcommands from {@link PromgateSubcommand} providers. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new PromgateCli());
    for (PromgateSubcommand sub : ServiceLoader.load(PromgateSubcommand.class)) {
      cl.addSubcommand(sub);
    }
    return cl;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (run, check config, version)");
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"promgate " + Version.get()};
    }
  }
}
