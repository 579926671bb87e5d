package dev.kansoku.pipeline;

/**
 * An extension that wants to know when the whole service can take data: {@link #ready()} once every
 * component has started, {@link #notReady()} as shutdown begins (before receivers stop).
 */
public interface PipelineWatcher {
  void ready();

  void notReady();
}
