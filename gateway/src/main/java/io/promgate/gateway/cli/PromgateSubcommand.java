package io.promgate.gateway.cli;

/**
 * The hook for subcommands that live outside this package ({@code promqltest}, {@code explain},
 * {@code lint-dashboard}): a class annotated with picocli's {@code @Command(name = "...")}, implementing
 * {@code Callable<Integer>} (the exit code) and this marker, listed in
 * {@code META-INF/services/io.promgate.gateway.cli.PromgateSubcommand}. {@link PromgateCli} adds every one
 * it finds with {@link java.util.ServiceLoader}, so wiring a new subcommand touches no existing file but
 * that services list.
 *
 * <p>Example: {@code @Command(name = "promqltest", description = "Run promqltest scripts")
 * final class PromqlTestCommand implements PromgateSubcommand, Callable<Integer> { @Parameters List<Path>
 * files; public Integer call() { ... return failed == 0 ? 0 : 1; } }}
 */
public interface PromgateSubcommand {}
