package dev.kansoku.aws.emf;

/** One EMF log event and where it goes; {@code message} is the JSON text. */
record EmfEvent(String logGroup, String logStream, long timestampMs, String message) {}
