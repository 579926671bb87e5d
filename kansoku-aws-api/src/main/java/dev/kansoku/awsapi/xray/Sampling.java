package dev.kansoku.awsapi.xray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Centralised sampling with X-Ray's built-in rule only: {@code Default} (priority 10000, one trace a
 * second, then 5 %). Enough for ADOT's and the X-Ray SDKs' remote samplers, which poll
 * GetSamplingRules every 5 minutes and GetSamplingTargets every 10 s and fall back to local rules
 * when either fails. One rule shared by all clients means each gets the whole reservoir of 1/s
 * (ceil(1 / clients) is 1 for any number of clients), so no per-client state is needed.
 */
final class Sampling {
  static final String DEFAULT_RULE = "Default";
  static final double FIXED_RATE = 0.05;
  static final int RESERVOIR_SIZE = 1;
  static final int PRIORITY = 10000;
  /** How often clients should report, as X-Ray tells them. */
  static final int INTERVAL_SECONDS = 10;
  /** How long a quota holds, as AWS's example does: five minutes. */
  static final int QUOTA_TTL_SECONDS = 300;

  private Sampling() {}

  static ObjectNode rules(String region) {
    ObjectNode out = XrayApi.MAPPER.createObjectNode();
    ObjectNode record = out.putArray("SamplingRuleRecords").addObject();
    ObjectNode rule = record.putObject("SamplingRule")
        .put("RuleName", DEFAULT_RULE)
        .put("RuleARN", "arn:aws:xray:" + region + "::sampling-rule/" + DEFAULT_RULE)
        .put("ResourceARN", "*")
        .put("Priority", PRIORITY)
        .put("FixedRate", FIXED_RATE)
        .put("ReservoirSize", RESERVOIR_SIZE)
        .put("ServiceName", "*")
        .put("ServiceType", "*")
        .put("Host", "*")
        .put("HTTPMethod", "*")
        .put("URLPath", "*")
        .put("Version", 1);
    rule.putObject("Attributes");
    record.put("CreatedAt", 0.0).put("ModifiedAt", 0.0);
    return out;
  }

  static ObjectNode targets(JsonNode body) {
    ArrayNode docs = XrayApi.array(body, "SamplingStatisticsDocuments");
    if (docs.size() > 25) {
      throw new XrayApi.InvalidRequest("SamplingStatisticsDocuments: " + docs.size() + " documents (at most 25)");
    }
    double now = System.currentTimeMillis() / 1000.0;
    ObjectNode out = XrayApi.MAPPER.createObjectNode();
    ArrayNode targets = out.putArray("SamplingTargetDocuments");
    ArrayNode unprocessed = out.putArray("UnprocessedStatistics");
    for (JsonNode d : docs) {
      String name = d.path("RuleName").asText("");
      if (!DEFAULT_RULE.equals(name)) {
        unprocessed.addObject().put("RuleName", name).put("ErrorCode", "400")
            .put("Message", "unknown sampling rule \"" + name + "\" (this server has only " + DEFAULT_RULE + ")");
        continue;
      }
      targets.addObject().put("RuleName", name).put("FixedRate", FIXED_RATE).put("ReservoirQuota", RESERVOIR_SIZE)
          .put("ReservoirQuotaTTL", Math.floor(now) + QUOTA_TTL_SECONDS).put("Interval", INTERVAL_SECONDS);
    }
    // No UnprocessedBoostStatistics: the X-Ray SDK for Java (2.18) refuses a response with that member.
    out.put("LastRuleModification", 0.0);
    return out;
  }
}
