package io.promgate.gateway.cli;

import io.promgate.gateway.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Print promgate's version.")
final class VersionCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println("promgate " + Version.get());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
