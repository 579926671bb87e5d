package dev.kansoku.contrib.ottl;

import static dev.kansoku.contrib.attraction.TestAttrs.attrs;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OTTL's comparison rules and precedence, one condition per line against one log record. */
class OttlConditionsTest {
  private static final List<KeyValue> ATTRS = List.of(attrs("s", "abc", "i", 5, "d", 2.5, "b", true, "bytes",
      new byte[] {1, 2}).toArray(KeyValue[]::new)) ;
  private static final LogRecord LOG = LogRecord.newBuilder().addAllAttributes(ATTRS)
      .addAttributes(KeyValue.newBuilder().setKey("list").setValue(AnyValue.newBuilder().setArrayValue(
          ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setIntValue(1)))))
      .setSeverityNumberValue(13).setBody(AnyValue.newBuilder().setStringValue("héllo")).build();

  private static void check(String condition, boolean expected) {
    OttlConditions c = OttlConditions.compile(List.of(condition), OttlContext.LOG, "logs::log_record");
    assertThat(c.anyMatch(OttlItem.log(Resource.getDefaultInstance(), InstrumentationScope.getDefaultInstance(), LOG)))
        .as(condition).isEqualTo(expected);
  }

  @Test
  void comparisons_followOttlRules() {
    check("attributes[\"i\"] == 5", true);
    check("attributes[\"i\"] == 5.0", true);
    check("attributes[\"d\"] > 2", true);
    check("attributes[\"d\"] < -2.5", false);
    check("attributes[\"i\"] == \"5\"", false);
    check("attributes[\"i\"] != \"5\"", true);
    check("attributes[\"i\"] < \"6\"", false);
    check("attributes[\"s\"] < \"abd\"", true);
    check("attributes[\"s\"] >= \"abc\"", true);
    check("body > \"hz\"", true); // é (U+00E9) sorts after z by its UTF-8 bytes
    check("body < \"h\\u00ff\"", true);
    check("attributes[\"b\"] == true", true);
    check("attributes[\"b\"] > false", true);
    check("attributes[\"missing\"] == nil", true);
    check("attributes[\"missing\"] <= nil", true);
    check("attributes[\"missing\"] != \"\"", true);
    check("attributes[\"missing\"] < 1", false);
    check("nil == nil", true);
    check("attributes[\"bytes\"] != nil", true);
    check("attributes[\"list\"] == attributes[\"list\"]", true);
    check("attributes[\"list\"] < attributes[\"list\"]", false);
    check("severity_number == SEVERITY_NUMBER_WARN", true);
    check("severity_number >= SEVERITY_NUMBER_WARN2", false);
  }

  @Test
  void precedence_notThenAndThenOr() {
    check("true or false and false", true);
    check("(true or false) and false", false);
    check("not false and false", false);
    check("not (false and false)", true);
    check("not not true", true);
    check("false or not attributes[\"i\"] == 4", true);
  }

  @Test
  void isMatch_readsValuesAsStrings() {
    check("IsMatch(attributes[\"i\"], \"^5$\")", true);
    check("IsMatch(attributes[\"d\"], \"^2\\\\.5$\")", true);
    check("IsMatch(attributes[\"bytes\"], \"^0102$\")", true);
    check("IsMatch(attributes[\"list\"], \"^\\\\[1\\\\]$\")", true);
    check("IsMatch(attributes[\"missing\"], \".*\")", false);
    check("IsMatch(body, \"ll\") == true", true);
    check("not IsMatch(body, \"^x\")", true);
  }

  @Test
  void severalConditions_anyOneDrops() {
    OttlConditions c = OttlConditions.compile(List.of("attributes[\"s\"] == \"x\"", "attributes[\"i\"] == 5"),
        OttlContext.LOG, "p");
    assertThat(c.anyMatch(OttlItem.log(Resource.getDefaultInstance(), InstrumentationScope.getDefaultInstance(), LOG)))
        .isTrue();
    assertThat(OttlConditions.compile(List.of(), OttlContext.LOG, "p")).isNull();
  }
}
