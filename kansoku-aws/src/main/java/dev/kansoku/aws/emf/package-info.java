/**
 * The {@code awsemf} exporter: metrics as CloudWatch Embedded Metric Format (EMF) log events,
 * written with PutLogEvents, as ADOT's awsemf exporter does.
 *
 * <ul>
 *   <li>{@link dev.kansoku.aws.emf.EmfTranslator} — OTLP → EMF JSON; the only stateful part is the
 *       per-series previous values for cumulative → delta (DeltaCache, 5-minute expiry).
 *   <li>{@link dev.kansoku.aws.emf.AwsEmfExporterFactory} / AwsEmfExporter — configuration, queue and
 *       retry (exporterhelper), stdout destination; events grouped by log stream into PutLogEvents
 *       requests, failures as {@code ConsumeException}.
 *   <li>Package {@code dev.kansoku.aws.logs} — CloudWatch Logs' limits, the batcher that cuts
 *       requests within them and the PutLogEvents sender (group/stream creation, which failures to
 *       retry), shared with {@code kansoku ship}.
 * </ul>
 *
 * <p>Rationale, where Kansoku chose between behaviours of the reference
 * (opentelemetry-collector-contrib exporter/awsemfexporter, internal/aws/cwlogs):
 *
 * <ul>
 *   <li>Output is deterministic: dimension names sorted, metrics and events in arrival order. Go
 *       iterates maps in random order there; the golden tests compare JSON trees, so both agree.
 *   <li>JSON text follows Go's encoding/json (float format, HTML escaping, field order), and a
 *       metric's "Unit" is written even when empty, as the reference's untagged struct does.
 *   <li>Every data point quirk that changes output is kept: the scope name carries over to a later
 *       unnamed scope; a data point inherits the log group/stream/timestamp settled by the previous
 *       point of the same metric; a negative delta reports the raw value (non-monotonic sums too);
 *       histograms are statistic sets and never deltas; summaries are deltas only when the resource
 *       says receiver=prometheus.
 *   <li>Exponential histogram splits (over 100 buckets) go to separate events, since they share a
 *       metric name and labels.
 *   <li>Throttling is retried (the reference makes every 4xx permanent); invalid values of
 *       dimension_rollup_option, output_destination, version and log_retention are configuration
 *       errors rather than silently ignored; an unparsable metric_name_selectors regex is a
 *       configuration error (the reference panics); other invalid declarations and descriptors are
 *       dropped with a warning, as there.
 *   <li>A batch is translated once; retries resend only the PutLogEvents requests that failed.
 *       Re-translating would turn a cumulative value into a zero delta and duplicate events.
 *   <li>Log stream default is otel-stream-&lt;uuid per exporter&gt; and log group default
 *       /metrics/&lt;namespace&gt; (so /metrics/dice-server for the seed), as in the reference.
 * </ul>
 */
package dev.kansoku.aws.emf;
