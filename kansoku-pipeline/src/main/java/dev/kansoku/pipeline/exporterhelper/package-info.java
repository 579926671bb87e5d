/**
 * What every network exporter shares, so each exporter writes only "send one batch once":
 * {@link dev.kansoku.pipeline.exporterhelper.QueuedRetrySender} adds the bounded sending queue,
 * retries with backoff and the shutdown drain; {@link dev.kansoku.pipeline.exporterhelper.ExporterSenders}
 * holds one per signal for an exporter instance.
 *
 * <p>Decisions, and why:
 * <ul>
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
