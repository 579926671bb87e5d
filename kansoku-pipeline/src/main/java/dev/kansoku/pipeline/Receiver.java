package dev.kansoku.pipeline;

/** Brings data into pipelines. */
public interface Receiver extends Component {}
