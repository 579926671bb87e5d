/**
 * What every exporter shares, so each exporter writes only "open my client, send one batch once
 * with it, close it": {@link dev.kansoku.pipeline.exporterhelper.ExporterLifecycle} owns start,
 * the consumers and shutdown of one exporter instance; behind each consumer, {@link
 * dev.kansoku.pipeline.exporterhelper.QueuedRetrySender} adds the bounded sending queue, retries
 * with backoff and the shutdown drain.
 *
 * <p>Decisions, and why:
 * <ul>
 *   <li>Composition, not an abstract base class: the exporter builds an {@code ExporterLifecycle}
 *       from its open, send and close, and implements {@link
 *       dev.kansoku.pipeline.exporterhelper.LifecycleExporter}, whose {@code start}, {@code consumer}
 *       and {@code shutdown} are the lifecycle's, so no exporter repeats them (they used to be three
 *       one-line delegations in each). It stays a {@code final} class with its own checks in
 *       {@code consumer} (a missing URL, a signal it does not export; it overrides it and then asks
 *       the lifecycle) and its own counters; the helper is tested with a fake client and no
 *       exporter. The collector's exporterhelper also wraps a push function rather than being
 *       extended.
 *   <li>The client is a value the helper holds (open returns it, send and close receive it), not
 *       fields of the exporter: so "not started" and "shut down" are decided in one place, and a
 *       send after close is refused (UNAVAILABLE "exporter X is shut down") instead of reaching a
 *       closed client.
 *   <li>Before start a consumer refuses at once (UNAVAILABLE "exporter X is not started") instead of
 *       queueing: the service starts exporters before receivers, so only a bug sends early, and
 *       nothing would send a queued batch if start never came.
 *   <li>Shutdown closes the client after the queues have drained (or the deadline passed), once, and
 *       only if start opened it; then it logs "Exporter X stopped in N ms".
 *   <li>A send may fail for part of a batch: {@code ConsumeException.partial} carries how many items
 *       were not delivered and how to send only those, and the retry loop resends just that part,
 *       counting the delivered part as sent at once (the collector's {@code consumererror.NewTraces}).
 *       The unsent part is a resend action rather than a smaller batch of the signal's type because
 *       it may exist only in the exporter's own form: awsemf's unsent PutLogEvents requests cannot be
 *       rebuilt from metrics without counting cumulative values twice. An exporter whose remainder
 *       is a smaller OTLP request passes {@code () -> send(client, signal, rest)}.
 *   <li>The queue counts batches, not items ({@code queue_size} as the collector defines it): the
 *       batch processor upstream already bounds batch size, and counting batches costs nothing.
 *   <li>A full queue refuses at once with OVERLOADED instead of blocking: the receiver turns that
 *       into 429 / RESOURCE_EXHAUSTED so the client backs off, and no receiver thread is held.
 *   <li>The server's retry delay wins over our backoff when longer; either way the total is capped
 *       by {@code max_elapsed_time}, so a "retry in a day" answer drops the batch rather than
 *       parking a sender thread.
 *   <li>Shutdown ends retry waits by opening a latch, never by interrupting threads: sender threads
 *       may be inside an HTTP client, and with the queue disabled the thread is the caller's own.
 *       A send in flight is bounded by the exporter's per-attempt timeout instead.
 *   <li>With the queue disabled the caller's thread sends and gets the final error, so the
 *       receiver can tell its client the data was not accepted (collector behaviour).
 * </ul>
 */
package dev.kansoku.pipeline.exporterhelper;
