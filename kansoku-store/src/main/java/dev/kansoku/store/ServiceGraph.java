package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import dev.kansoku.model.Attributes;
import java.util.List;
import java.util.Map;

/**
 * The services seen in a time window and the calls between them (X-Ray GetServiceGraph, the console's
 * service map). Derived from spans by {@link ServiceGraphBuilder}. Immutable.
 */
public record ServiceGraph(long startNanos, long endNanos, List<Node> nodes, List<Edge> edges) {
  public ServiceGraph {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
  }

  /**
   * A service, or a remote that is not instrumented (a database, a third-party API, an AWS resource)
   * seen only through its callers' CLIENT spans; a remote's stats are the sum of its incoming edges.
   * {@code type} is {@link #SERVICE} for a service, and for a remote X-Ray's type of an inferred node:
   * an AWS resource or service ({@code AWS::DynamoDB::Table}, {@code AWS::SQS::Queue},
   * {@code AWS::DynamoDB} ...) or {@link #REMOTE}. {@code resource} is a service's resource as its
   * latest segment in the window carried it (the span through which the service was entered that
   * started last), where the X-Ray API reads the node's origin; empty for a remote, or a service
   * never entered in the window.
   */
  public record Node(String name, boolean remote, String type, Map<String, Object> resource, RequestStats stats) {
    public static final String SERVICE = "service";
    public static final String REMOTE = "remote";

    public Node {
      requireNonNull(name, "name");
      requireNonNull(type, "type");
      resource = Attributes.copyOf(resource);
      requireNonNull(stats, "stats");
    }
  }

  /** Calls from one service to another, as the caller's client span saw them when there is one. */
  public record Edge(String from, String to, boolean remote, RequestStats stats) {
    public Edge {
      requireNonNull(from, "from");
      requireNonNull(to, "to");
      requireNonNull(stats, "stats");
    }
  }

  /**
   * Request counts and latency. {@code histogram} counts durations per bucket of
   * {@link #BUCKET_BOUNDS_MILLIS} (bucket i: ≤ bound i; the last bucket: above the last bound).
   */
  public record RequestStats(long requests, long errors, long faults, long throttles, long totalNanos,
      List<Long> histogram) {
    public static final List<Long> BUCKET_BOUNDS_MILLIS =
        List.of(1L, 2L, 5L, 10L, 20L, 50L, 100L, 200L, 500L, 1_000L, 2_000L, 5_000L, 10_000L, 30_000L);

    public RequestStats {
      histogram = List.copyOf(histogram);
      if (histogram.size() != BUCKET_BOUNDS_MILLIS.size() + 1) {
        throw new IllegalArgumentException("histogram: " + histogram.size() + " buckets (expected: "
            + (BUCKET_BOUNDS_MILLIS.size() + 1) + ")");
      }
    }

    public double averageMillis() {
      return requests == 0 ? 0 : totalNanos / 1e6 / requests;
    }
  }
}
