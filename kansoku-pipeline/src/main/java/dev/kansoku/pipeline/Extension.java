package dev.kansoku.pipeline;

/** A part that is not in the data path (authenticators, the store); started first, stopped last. */
public interface Extension extends Component {}
