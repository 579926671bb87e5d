package dev.kansoku.contrib.attraction;

import static dev.kansoku.contrib.attraction.TestAttrs.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import org.junit.jupiter.api.Test;

/** Strings as Go writes them: expectations are what Go's strconv, encoding/json and pdata print. */
class GoValuesTest {
  private static void checkFloat(double d, String formatFloat, String asString) {
    assertThat(GoValues.formatFloat(d)).as("FormatFloat(%s, 'f', -1, 64)", d).isEqualTo(formatFloat);
    assertThat(GoValues.asString(value(d))).as("AsString(%s)", d).isEqualTo(asString);
  }

  @Test
  void floats_shortestDigits() {
    checkFloat(99.1, "99.1", "99.1");
    checkFloat(123.0, "123", "123");
    checkFloat(0.1 + 0.2, "0.30000000000000004", "0.30000000000000004");
    checkFloat(-0.0, "-0", "-0");
    checkFloat(1e20, "100000000000000000000", "100000000000000000000");
    checkFloat(1e21, "1000000000000000000000", "1e+21");
    checkFloat(1.5e300, "15" + "0".repeat(299), "1.5e+300");
    checkFloat(0.000001, "0.000001", "0.000001");
    checkFloat(1.5e-7, "0.00000015", "1.5e-7");
    checkFloat(1e-10, "0.0000000001", "1e-10");
    checkFloat(5e-324, "0." + "0".repeat(323) + "5", "5e-324");
    // Java 17's Double.toString prints these with too many digits (1.9999999999999998E23, 8.409999999999999E21 …)
    checkFloat(2e23, "200000000000000000000000", "2e+23");
    checkFloat(8.41e21, "8410000000000000000000", "8.41e+21");
    checkFloat(2.82879384806159E17, "282879384806159000", "282879384806159000");
    checkFloat(Double.MAX_VALUE, "17976931348623157" + "0".repeat(292), "1.7976931348623157e+308");
    checkFloat(Double.NaN, "NaN", "json: unsupported value: NaN");
    checkFloat(Double.NEGATIVE_INFINITY, "-Inf", "json: unsupported value: -Inf");
  }

  @Test
  void asString_scalars() {
    assertThat(GoValues.asString(value("a"))).isEqualTo("a");
    assertThat(GoValues.asString(value(true))).isEqualTo("true");
    assertThat(GoValues.asString(value(-9L))).isEqualTo("-9");
    assertThat(GoValues.asString(value(new byte[] {(byte) 0xfb, (byte) 0xff}))).isEqualTo("+/8=");
    assertThat(GoValues.asString(AnyValue.getDefaultInstance())).isEqualTo("");
  }

  @Test
  void asString_mapsAndLists_asGoJson() {
    AnyValue map = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
        .addValues(kv("z", value(1.5e-7)))
        .addValues(kv("a", value("<b>&\"x\"\n\u0001\u2028")))
        .addValues(kv("é", value(true)))
        .addValues(kv("m", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(value(1L)).addValues(AnyValue.getDefaultInstance()).addValues(value(new byte[] {1}))).build()))
        .addValues(kv("a", value("last wins")))).build();
    assertThat(GoValues.asString(map))
        .isEqualTo("{\"a\":\"last wins\",\"m\":[1,null,\"AQ==\"],\"z\":1.5e-7,\"é\":true}");
    AnyValue special = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
        .addValues(value("<b>&\"x\"\n\u0001\u2028\b\f\t"))).build();
    assertThat(GoValues.asString(special)).isEqualTo("[\"\\u003cb\\u003e\\u0026\\\"x\\\"\\n\\u0001\\u2028\\b\\f\\t\"]");
    AnyValue withNaN = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(value(Double.NaN))).build();
    assertThat(GoValues.asString(withNaN)).isEmpty();
  }

  private static KeyValue kv(String k, AnyValue v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }
}
