package dev.kansoku.contrib.filterprocessor;

import dev.kansoku.contrib.TestService;

/** A push → filter → capture service for one signal, with the filter's settings written as YAML. */
final class FilterPipelines {
  private FilterPipelines() {}

  static String yaml(String signal, String filter) {
    return """
        receivers:
          push:
        processors:
          filter:
        %s
        exporters:
          capture:
        service:
          pipelines:
            %s:
              receivers: [push]
              processors: [filter]
              exporters: [capture]
        """.formatted(filter.stripIndent().indent(4).stripTrailing(), signal);
  }

  static TestService start(String signal, String filter) throws Exception {
    return TestService.start(yaml(signal, filter));
  }
}
