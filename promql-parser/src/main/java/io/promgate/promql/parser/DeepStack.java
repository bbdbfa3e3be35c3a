package io.promgate.promql.parser;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs recursive work (parse tree to AST, type checking, printing) on the caller's thread, and only if
 * that overflows the stack, again on a short-lived thread with a large stack. Machine-generated queries
 * (a thousand "or" terms) nest deeper than a default thread stack allows, while Prometheus, with Go's
 * growing stacks, accepts them; the retry keeps the common case free of thread hand-offs.
 */
final class DeepStack {
  private static final long BIG_STACK = 512L * 1024 * 1024;

  private DeepStack() {
  }

  static <T> T run(Supplier<T> work) {
    try {
      return work.get();
    } catch (StackOverflowError shallow) {
      AtomicReference<T> result = new AtomicReference<>();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread t = new Thread(null, () -> {
        try {
          result.set(work.get());
        } catch (Throwable e) {
          failure.set(e);
        }
      }, "promql-deep-stack", BIG_STACK);
      t.start();
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while parsing a deeply nested query", e);
      }
      Throwable f = failure.get();
      if (f instanceof RuntimeException re) {
        throw re;
      } else if (f instanceof Error err) {
        throw err;
      }
      return result.get();
    }
  }
}
