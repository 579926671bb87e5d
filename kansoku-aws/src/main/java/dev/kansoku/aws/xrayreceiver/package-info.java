/**
 * The {@code awsxray} receiver: Kansoku as the X-Ray daemon. X-Ray SDKs send each segment document
 * as one UDP datagram ({@code {"format": "json", "version": 1}}, a newline, the document) to port
 * 2000; the receiver turns it into OTLP spans for the traces pipelines.
 *
 * <p>Configuration ({@code receivers::awsxray}): {@code endpoint} (UDP host:port, default
 * {@code localhost:2000}), {@code transport} ({@code udp}, the only value), {@code proxy_server}
 * (the daemon's TCP port for the SDKs' sampling calls; off unless present; {@code ProxyConfig}).
 *
 * <p>The same sampling proxy stands alone as the {@code awsproxy} extension
 * ({@link dev.kansoku.aws.xrayreceiver.AwsProxyExtensionFactory}, {@code AwsProxyExtension}), whose
 * settings are {@code ProxyConfig}'s keys at the top level.
 *
 * <p>Classes: {@link dev.kansoku.aws.xrayreceiver.AwsXrayReceiverFactory} (registered by the server),
 * {@code AwsXrayReceiverConfig}, {@code AwsXrayReceiver} (the listener thread),
 * {@code SegmentDatagram} (framing), {@link dev.kansoku.aws.xrayreceiver.SegmentsToSpans} (document to
 * spans, with {@code SegmentResource}, {@code SegmentCause} and {@code SegmentFields}; also the
 * translator of the kansoku endpoint's PutTraceSegments),
 * {@code SamplingProxy} (the TCP listener, shared with awsproxy),
 * {@link dev.kansoku.aws.xrayreceiver.LocalSampling} (what
 * an extension implements to answer it) and {@code SignedForwarder} (X-Ray upstream).
 *
 * <p>Why it looks like this:
 * <ul>
 *   <li>One reader thread, translating inline. Translation costs microseconds; a queue between
 *       reading and translating would only move the drop point from the kernel's buffer to ours.
 *       The socket asks for a 4 MiB receive buffer to ride out bursts.
 *   <li>Mapping follows the collector's awsxrayreceiver attribute for attribute, so the
 *       {@code awsxray} exporter writes the same document back. The departures are listed in
 *       {@code SegmentsToSpans}' class comment, each with its reason.
 *   <li>Bad datagrams are counted and logged at most once per 10 s; UDP cannot tell the sender.
 *   <li>The sampling proxy serves only GetSamplingRules and GetSamplingTargets, and only when
 *       {@code proxy_server} is configured: it is unsigned and, when forwarding, signs with the
 *       collector's credentials, so it should do no more than samplers need.
 * </ul>
 *
 * <p>Tests: {@code mvn -q -B -o test -pl kansoku-aws -am}.
 */
package dev.kansoku.aws.xrayreceiver;
