package io.promgate.gateway.cli;

import io.promgate.gateway.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Print promgate's version.")
final class VersionCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.println("promgate " + Version.get());
    return 0;
  }
}
