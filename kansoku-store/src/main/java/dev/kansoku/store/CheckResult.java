package dev.kansoku.store;

import javax.annotation.Nullable;

/** The answer of {@link Storage#check()}: ok, or the error that stops the store from serving. */
public record CheckResult(boolean ok, @Nullable Throwable error) {
  public static final CheckResult OK = new CheckResult(true, null);

  public static CheckResult failed(Throwable error) {
    return new CheckResult(false, java.util.Objects.requireNonNull(error, "error"));
  }
}
