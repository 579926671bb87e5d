/**
 * The {@code awsxray} receiver: Kansoku as the X-Ray daemon. X-Ray SDKs send each segment document
 * as one UDP datagram ({@code {"format": "json", "version": 1}}, a newline, the document) to port
 * 2000; the receiver turns it into OTLP spans for the traces pipelines.
 *
 * <p>Configuration ({@code receivers::awsxray}): {@code endpoint} (UDP host:port, default
 * {@code localhost:2000}), {@code transport} ({@code udp}, the only value). The collector's
 * {@code proxy_server} is not implemented and is rejected as an unknown key.
 *
 * <p>Classes: {@link dev.kansoku.aws.xrayreceiver.AwsXrayReceiverFactory} (registered by the server),
 * {@code AwsXrayReceiverConfig}, {@code AwsXrayReceiver} (the listener thread),
 * {@code SegmentDatagram} (framing), {@code SegmentTranslator} (document to spans).
 *
 * <p>Why it looks like this:
 * <ul>
 *   <li>One reader thread, translating inline. Translation costs microseconds; a queue between
 *       reading and translating would only move the drop point from the kernel's buffer to ours.
 *       The socket asks for a 4 MiB receive buffer to ride out bursts.
 *   <li>Mapping follows the collector's awsxrayreceiver attribute for attribute, so the
 *       {@code awsxray} exporter writes the same document back. The departures are listed in
 *       {@code SegmentTranslator}'s class comment, each with its reason.
 *   <li>Bad datagrams are counted and logged at most once per 10 s; UDP cannot tell the sender.
 * </ul>
 *
 * <p>Tests: {@code mvn -q -B -o test -pl kansoku-aws -am}.
 */
package dev.kansoku.aws.xrayreceiver;
