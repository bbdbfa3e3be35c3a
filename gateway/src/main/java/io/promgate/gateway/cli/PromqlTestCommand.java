package io.promgate.gateway.cli;

import io.promgate.promql.engine.promqltest.PromqlTestRunner;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code promgate promqltest FILE...}: runs Prometheus promqltest scripts against promgate's engine. Prints
 * {@code FILE: N passed, M failed, K skipped} per file, then the totals as the last line; exit code 1 when
 * any eval failed (or a file could not be read), 0 otherwise. Skips are evals that need native histograms.
 */
@Command(name = "promqltest", description = "Run promqltest scripts against the engine; exit 1 if any eval failed.")
public final class PromqlTestCommand implements PromgateSubcommand, Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "promqltest scripts (*.test)")
  List<Path> files;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
    PromqlTestRunner.Result r = new PromqlTestRunner().run(files, out);
    out.flush();
    return r.failed() > 0 ? 1 : 0;
  }

  /** picocli hands out a PrintWriter (tests capture it); the runner prints to a PrintStream. */
  private static final class WriterOutputStream extends java.io.OutputStream {
    private final java.io.PrintWriter w;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    WriterOutputStream(java.io.PrintWriter w) {
      this.w = w;
    }

    @Override
    public void write(int b) {
      line.write(b);
      if (b == '\n') {
        flush();
      }
    }

    @Override
    public void flush() {
      w.print(line.toString(StandardCharsets.UTF_8));
      line.reset();
      w.flush();
    }
  }
}
