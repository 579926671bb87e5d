package dev.kansoku.aws.xrayreceiver;

/**
 * An extension that answers X-Ray's sampling calls itself (the kansoku extension, which serves them
 * on its X-Ray API), so the receiver's sampling proxy answers from it instead of forwarding.
 */
public interface LocalSampling {
  /** An answer as X-Ray gives it: HTTP status, the error type (null on success) and the JSON body. */
  record Answer(int status, String errorType, byte[] body) {}

  /**
   * Answers {@code POST path} ({@code /GetSamplingRules} or {@code /SamplingTargets}) with the JSON
   * {@code body} an X-Ray client sent.
   */
  Answer answerSampling(String path, byte[] body);
}
