package dev.kansoku.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Asked by a receiver before it reads or decodes a request: may this many bytes come in now? The
 * memory_limiter answers, so its limit holds before a large request is in memory, not only after
 * it was decoded (when the heap may already be gone). A refusal is a retryable
 * {@link ConsumeException#overloaded}, which receivers answer with RESOURCE_EXHAUSTED / 429.
 *
 * <p>Bytes are the receiver's estimate of the heap the request will take while it is in flight
 * (body, decompressed body, decoded objects). The permit is held until the pipeline has answered,
 * so the bytes of all requests in flight together are bounded. Implementations are thread-safe and
 * never block.
 */
public interface Admission {
  /** Admits everything; for receivers whose pipelines have no memory_limiter. */
  Admission ALWAYS = bytes -> Permit.NONE;

  /** Reserves {@code bytes} until the permit is closed, or refuses. */
  Permit admit(long bytes) throws ConsumeException;

  /** Bytes reserved for one request. Closing is idempotent. */
  interface Permit extends AutoCloseable {
    Permit NONE = new Permit() {
      @Override
      public void grow(long bytes) {}

      @Override
      public void close() {}
    };

    /** Reserves {@code bytes} more, when the request turns out bigger (e.g. once its body is decompressed). */
    void grow(long bytes) throws ConsumeException;

    @Override
    void close();
  }

  /** A processor that gates admission (memory_limiter); the service hands its gate to receivers. */
  interface Source {
    Admission admission();
  }

  /** Admission by every gate in turn; a refusal by one releases what the others reserved. */
  static Admission all(List<Admission> gates) {
    List<Admission> copy = List.copyOf(gates);
    if (copy.isEmpty()) {
      return ALWAYS;
    }
    if (copy.size() == 1) {
      return copy.get(0);
    }
    return bytes -> {
      List<Permit> held = new ArrayList<>(copy.size());
      try {
        for (Admission a : copy) {
          held.add(a.admit(bytes));
        }
      } catch (ConsumeException | RuntimeException e) {
        held.forEach(Permit::close);
        throw e;
      }
      return new Permit() {
        @Override
        public void grow(long more) throws ConsumeException {
          for (Permit p : held) {
            p.grow(more);
          }
        }

        @Override
        public void close() {
          held.forEach(Permit::close);
        }
      };
    };
  }
}
