package dev.kansoku.aws.xray;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.annotation.Nullable;

/**
 * How spans become segment documents; immutable. The defaults are ADOT's: nothing indexed, the
 * collector feature gates {@code exporter.awsxray.skiptimestampvalidation} and
 * {@code exporter.xray.allowDot} on (both beta, so enabled by default).
 */
public final class XrayOptions {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Random 64-bit ids, as the collector makes for exceptions and local-root service segments. */
  static final Supplier<String> RANDOM_IDS = () -> {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  };

  public static final XrayOptions DEFAULT = new XrayOptions(List.of(), false, null, true, true, RANDOM_IDS,
      () -> System.currentTimeMillis() / 1000);

  final List<String> indexedAttributes;
  final boolean indexAllAttributes;
  @Nullable final List<String> logGroupNames;
  final boolean skipTimestampValidation;
  final boolean allowDotInAnnotationKeys;
  final Supplier<String> ids;
  final LongSupplier epochSeconds;

  private XrayOptions(List<String> indexedAttributes, boolean indexAllAttributes, @Nullable List<String> logGroupNames,
      boolean skipTimestampValidation, boolean allowDotInAnnotationKeys, Supplier<String> ids,
      LongSupplier epochSeconds) {
    this.indexedAttributes = List.copyOf(indexedAttributes);
    this.indexAllAttributes = indexAllAttributes;
    this.logGroupNames = logGroupNames == null ? null : List.copyOf(logGroupNames);
    this.skipTimestampValidation = skipTimestampValidation;
    this.allowDotInAnnotationKeys = allowDotInAnnotationKeys;
    this.ids = ids;
    this.epochSeconds = epochSeconds;
  }

  /** Attributes written as annotations (indexed) instead of metadata; {@code indexed_attributes}. */
  public XrayOptions withIndexedAttributes(List<String> names) {
    return new XrayOptions(requireNonNull(names, "names"), indexAllAttributes, logGroupNames,
        skipTimestampValidation, allowDotInAnnotationKeys, ids, epochSeconds);
  }

  /** Every annotatable attribute becomes an annotation; {@code index_all_attributes}. */
  public XrayOptions withIndexAllAttributes(boolean all) {
    return new XrayOptions(indexedAttributes, all, logGroupNames, skipTimestampValidation, allowDotInAnnotationKeys,
        ids, epochSeconds);
  }

  /**
   * Log groups for {@code aws.cloudwatch_logs} when the resource names none; {@code aws_log_groups}.
   * Null means not configured.
   */
  public XrayOptions withLogGroupNames(@Nullable List<String> names) {
    return new XrayOptions(indexedAttributes, indexAllAttributes, names, skipTimestampValidation,
        allowDotInAnnotationKeys, ids, epochSeconds);
  }

  /**
   * When false, a span whose trace id does not start with an epoch second from the last 28 days
   * (5 minutes of clock skew allowed) is dropped, as the collector does with its feature gate off.
   * When true (the default), W3C trace ids pass through as {@code 1-<first 8 hex>-<24 hex>}.
   */
  public XrayOptions withSkipTimestampValidation(boolean skip) {
    return new XrayOptions(indexedAttributes, indexAllAttributes, logGroupNames, skip, allowDotInAnnotationKeys, ids,
        epochSeconds);
  }

  /** When false, '.' in annotation keys becomes '_' (the collector's behaviour before v0.97). */
  public XrayOptions withAllowDotInAnnotationKeys(boolean allow) {
    return new XrayOptions(indexedAttributes, indexAllAttributes, logGroupNames, skipTimestampValidation, allow, ids,
        epochSeconds);
  }

  /** Source of 16-hex-digit ids for exceptions and generated segments; tests make it predictable. */
  XrayOptions withIds(Supplier<String> ids) {
    return new XrayOptions(indexedAttributes, indexAllAttributes, logGroupNames, skipTimestampValidation,
        allowDotInAnnotationKeys, requireNonNull(ids, "ids"), epochSeconds);
  }

  /** The clock for trace-id age validation, in epoch seconds. */
  XrayOptions withEpochSeconds(LongSupplier epochSeconds) {
    return new XrayOptions(indexedAttributes, indexAllAttributes, logGroupNames, skipTimestampValidation,
        allowDotInAnnotationKeys, ids, requireNonNull(epochSeconds, "epochSeconds"));
  }
}
