package dev.kansoku.contrib.attraction;

import static dev.kansoku.contrib.attraction.TestAttrs.actions;
import static dev.kansoku.contrib.attraction.TestAttrs.attrs;
import static dev.kansoku.contrib.attraction.TestAttrs.map;
import static dev.kansoku.contrib.attraction.TestAttrs.raw;
import static dev.kansoku.contrib.attraction.TestAttrs.settings;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.common.v1.KeyValue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upstream's attraction cases (same inputs, same expected attributes), then Kansoku's own. */
class ActionsTest {
  private static void check(Actions a, List<KeyValue> input, Map<String, Object> expected) {
    assertThat(raw(a.apply(input))).isEqualTo(expected);
  }

  @Test
  void insertValue() throws Exception {
    Actions a = actions("[{key: attribute1, action: insert, value: 123}]");
    check(a, attrs(), map("attribute1", 123));
    check(a, attrs("anotherkey", "bob"), map("anotherkey", "bob", "attribute1", 123));
    check(a, attrs("attribute1", "bob"), map("attribute1", "bob"));
  }

  @Test
  void insertFromAttribute() throws Exception {
    Actions a = actions("[{key: string key, action: insert, from_attribute: anotherkey}]");
    check(a, attrs(), map());
    check(a, attrs("bob", 1), map("bob", 1));
    check(a, attrs("anotherkey", 8892342), map("anotherkey", 8892342, "string key", 8892342));
    check(a, attrs("anotherkey", 8892342, "string key", "here"), map("anotherkey", 8892342, "string key", "here"));
  }

  @Test
  void updateValue() throws Exception {
    Actions a = actions("[{key: db.secret, action: update, value: redacted}]");
    check(a, attrs(), map());
    check(a, attrs("boo", "foo"), map("boo", "foo"));
    check(a, attrs("db.secret", "password1234"), map("db.secret", "redacted"));
  }

  @Test
  void updateFromAttribute() throws Exception {
    Actions a = actions("[{key: boo, action: update, from_attribute: foo}]");
    check(a, attrs(), map());
    check(a, attrs("boo", "bob"), map("boo", "bob"));
    check(a, attrs("foo", "over there"), map("foo", "over there"));
    check(a, attrs("foo", "there is a party over here", "boo", "not here"),
        map("foo", "there is a party over here", "boo", "there is a party over here"));
  }

  @Test
  void upsertValue() throws Exception {
    Actions a = actions("[{key: region, action: upsert, value: planet-earth}]");
    check(a, attrs(), map("region", "planet-earth"));
    check(a, attrs("mission", "to mars"), map("mission", "to mars", "region", "planet-earth"));
    check(a, attrs("mission", "to mars", "region", "solar system"), map("mission", "to mars", "region", "planet-earth"));
  }

  @Test
  void extract() throws Exception {
    Actions a = actions("[{key: user_key, action: extract,"
        + " pattern: '^\\/api\\/v1\\/document\\/(?P<new_user_key>.*)\\/update\\/(?P<version>.*)$'}]");
    check(a, attrs(), map());
    check(a, attrs("boo", "ghosts are scary"), map("boo", "ghosts are scary"));
    check(a, attrs("boo", "ghosts are scary", "user_key", 1234), map("boo", "ghosts are scary", "user_key", 1234));
    check(a, attrs("user_key", "does not match", "boo", "ghosts are scary"),
        map("user_key", "does not match", "boo", "ghosts are scary"));
    check(a, attrs("user_key", "/api/v1/document/12345678/update", "boo", "ghosts are scary"),
        map("user_key", "/api/v1/document/12345678/update", "boo", "ghosts are scary"));
    check(a, attrs("user_key", "/api/v1/document/12345678/update/v1", "foo", "casper the friendly ghost"),
        map("user_key", "/api/v1/document/12345678/update/v1", "new_user_key", "12345678", "version", "v1",
            "foo", "casper the friendly ghost"));
    check(a, attrs("user_key", "/api/v1/document/12345678/update/v1", "new_user_key", "2321", "version", "na",
            "foo", "casper the friendly ghost"),
        map("user_key", "/api/v1/document/12345678/update/v1", "new_user_key", "12345678", "version", "v1",
            "foo", "casper the friendly ghost"));
    check(a, attrs("user_key", "/api/v1/document/12345678/update/v1", "new_user_key", "2321",
            "foo", "casper the friendly ghost"),
        map("user_key", "/api/v1/document/12345678/update/v1", "new_user_key", "12345678", "version", "v1",
            "foo", "casper the friendly ghost"));
  }

  @Test
  void upsertFromAttribute() throws Exception {
    Actions a = actions("[{key: new_user_key, action: upsert, from_attribute: user_key}]");
    check(a, attrs(), map());
    check(a, attrs("boo", "ghosts are scary"), map("boo", "ghosts are scary"));
    check(a, attrs("user_key", 2245, "foo", "casper the friendly ghost"),
        map("user_key", 2245, "new_user_key", 2245, "foo", "casper the friendly ghost"));
    check(a, attrs("user_key", 2245, "new_user_key", 5422, "foo", "casper the friendly ghost"),
        map("user_key", 2245, "new_user_key", 2245, "foo", "casper the friendly ghost"));
  }

  @Test
  void delete_keyAndPattern() throws Exception {
    Actions a = actions("[{key: duplicate_key, pattern: ^duplicate_key_., action: delete}]");
    check(a, attrs(), map());
    check(a, attrs("boo", "ghosts are scary"), map("boo", "ghosts are scary"));
    check(a, attrs("duplicate_key", 3245.6, "original_key", 3245.6), map("original_key", 3245.6));
    check(a, attrs("duplicate_key_a", 3245.6, "duplicate_key_b", 3245.6, "duplicate_key_c", 3245.6,
        "original_key", 3245.6, "not_duplicate_key", 3246.6), map("original_key", 3245.6, "not_duplicate_key", 3246.6));
  }

  @Test
  void delete_patternOnly() throws Exception {
    Actions a = actions("[{pattern: duplicate.*, action: delete}]");
    check(a, attrs(), map());
    check(a, attrs("boo", "ghosts are scary"), map("boo", "ghosts are scary"));
    check(a, attrs("duplicate_key", 3245.6, "original_key", 3245.6), map("original_key", 3245.6));
  }

  @Test
  void hash_sha256OfTheValueBytes() throws Exception {
    Actions a = actions("[{key: updateme, pattern: ^updatemeby.*, action: hash}]");
    check(a, attrs(), map());
    check(a, attrs("boo", "foo"), map("boo", "foo"));
    // sha256("foo"), of int64 24 and of float64 2.4 as 8 bytes little-endian, of one byte 1 and 0
    check(a, attrs("updateme", "foo"), map("updateme", "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"));
    check(a, attrs("updateme", 24), map("updateme", sha256Hex(le().putLong(24).array())));
    check(a, attrs("updateme", 2.4), map("updateme", sha256Hex(le().putDouble(2.4).array())));
    check(a, attrs("updateme", true), map("updateme", "4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a"));
    check(a, attrs("updateme", false), map("updateme", "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"));
    check(a, attrs("updatemebyregexp", false, "donotupdatemebyregexp", false),
        map("updatemebyregexp", "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "donotupdatemebyregexp", false));
  }

  @Test
  void hash_upstreamProcessorValues() throws Exception {
    Actions a = actions("[{key: user.email, action: hash}, {key: user.id, action: hash},"
        + " {key: user.balance, action: hash}, {key: user.authenticated, action: hash}]");
    check(a, attrs("user.email", "john.doe@example.com"),
        map("user.email", "836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f"));
    check(a, attrs("user.id", 10), map("user.id", "a111f275cc2e7588000001d300a31e76336d15b9d314cd1a1d8f3d3556975eed"));
    check(a, attrs("user.balance", 99.1),
        map("user.balance", "05fabd78b01be9692863cb0985f600c99da82979af18db5c55173c2a30adb924"));
    check(a, attrs("user.authenticated", true),
        map("user.authenticated", "4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a"));
    // bytes, maps and lists are not hashed but emptied, as upstream's hasher does
    check(a, attrs("user.email", new byte[] {1, 2, 3}), map("user.email", ""));
  }

  @Test
  void hash_repeatedAndCollidingStrings_eachGetsItsOwnDigest() throws Exception {
    Actions a = actions("[{key: k, action: hash}]");
    // "Aa" and "BB" share String.hashCode, so they land on the same slot of the recent-hash table.
    String aa = sha256Hex("Aa".getBytes(UTF_8));
    String bb = sha256Hex("BB".getBytes(UTF_8));
    for (int i = 0; i < 3; i++) {
      check(a, attrs("k", "Aa"), map("k", aa));
      check(a, attrs("k", "BB"), map("k", bb));
      check(a, attrs("k", "BB"), map("k", bb));
    }
    String longValue = "x".repeat(2000);
    check(a, attrs("k", longValue), map("k", sha256Hex(longValue.getBytes(UTF_8))));
  }

  @Test
  void fromAttributeNoChange_returnsTheSameList() throws Exception {
    Actions a = actions("[{key: boo, action: insert, from_attribute: boo}, {key: boo, action: update,"
        + " from_attribute: boo}, {key: boo, action: upsert, from_attribute: boo}]");
    List<KeyValue> in = attrs("boo", "ghosts are scary");
    assertThat(a.apply(in)).isSameAs(in);
  }

  @Test
  void ordering() throws Exception {
    Actions a = actions("[{key: operation, action: insert, value: default},"
        + " {key: svc.operation, action: upsert, from_attribute: operation}, {key: operation, action: delete}]");
    check(a, attrs("foo", "casper the friendly ghost"), map("foo", "casper the friendly ghost", "svc.operation", "default"));
    check(a, attrs("foo", "casper the friendly ghost", "operation", "arithmetic"),
        map("foo", "casper the friendly ghost", "svc.operation", "arithmetic"));
    check(a, attrs("foo", "casper the friendly ghost", "svc.operation", "some value"),
        map("foo", "casper the friendly ghost", "svc.operation", "default"));
    check(a, attrs("foo", "casper the friendly ghost", "operation", "arithmetic", "svc.operation", "add"),
        map("foo", "casper the friendly ghost", "svc.operation", "arithmetic"));
  }

  @Test
  void actionNames_anyCase() throws Exception {
    Actions a = actions("[{key: one, action: Delete}, {key: two, value: 123, action: INSERT},"
        + " {key: three, from_attribute: two, action: upDaTE}, {key: five, from_attribute: two, action: upsert},"
        + " {key: two, pattern: '^/api/v1/document/(?P<documentId>.*)/update$', action: EXTRact}]");
    check(a, attrs("one", 1, "three", 3), map("three", 123, "two", 123, "five", 123));
  }

  @Test
  void fromContext_givesNothing_soOnlyDefaultValueApplies() throws Exception {
    check(actions("[{key: dest, from_context: source, action: insert}]"), attrs(), map());
    check(actions("[{key: dest, from_context: client.address, action: insert}]"), attrs(), map());
    check(actions("[{key: dest, from_context: metadata.origin, action: upsert, default_value: unknown}]"), attrs(),
        map("dest", "unknown"));
  }

  @Test
  void defaultValue() throws Exception {
    Actions a = actions("[{key: region, from_attribute: cloud.region, default_value: us-east-1, action: insert},"
        + " {key: tier, value: gold, default_value: silver, action: upsert},"
        + " {key: env, value: '', default_value: development, action: upsert},"
        + " {key: retries, default_value: 3, action: update}]");
    check(a, attrs("cloud.region", "eu-west-1"), map("cloud.region", "eu-west-1", "region", "eu-west-1", "tier", "gold",
        "env", "development"));
    check(a, attrs("retries", "x"), map("retries", 3, "region", "us-east-1", "tier", "gold", "env", "development"));
  }

  @Test
  void valuesKeepTheirYamlType() throws Exception {
    Actions a = actions("[{key: s, value: '123', action: insert}, {key: i, value: 123, action: insert},"
        + " {key: d, value: 1.5, action: insert}, {key: b, value: true, action: insert},"
        + " {key: big, value: 18446744073709551615, action: insert}, {key: l, value: [1, a], action: insert},"
        + " {key: m, value: {x: 1}, action: insert}]");
    List<KeyValue> out = a.apply(attrs());
    assertThat(raw(out.subList(0, 5))).isEqualTo(map("s", "123", "i", 123, "d", 1.5, "b", true, "big", -1L));
    assertThat(GoValues.asString(out.get(5).getValue())).isEqualTo("[1,\"a\"]");
    assertThat(GoValues.asString(out.get(6).getValue())).isEqualTo("{\"x\":1}");
  }

  @Test
  void convert_upstreamCases() throws Exception {
    Actions a = actions("[{key: to.int, action: convert, converted_type: int},"
        + " {key: to.double, action: convert, converted_type: double},"
        + " {key: to.string, action: convert, converted_type: string}]");
    check(a, attrs("to.int", 1), map("to.int", 1));
    check(a, attrs("to.int", true), map("to.int", 1));
    check(a, attrs("to.int", false), map("to.int", 0));
    check(a, attrs("to.int", "123"), map("to.int", 123));
    check(a, attrs("to.int", "int-10"), map("to.int", "int-10"));
    check(a, attrs("to.double", "123"), map("to.double", 123.0));
    check(a, attrs("to.double", "123.6"), map("to.double", 123.6));
    check(a, attrs("to.double", "int-10"), map("to.double", "int-10"));
    check(a, attrs("to.string", 99.1), map("to.string", "99.1"));
  }

  @Test
  void convert_goParsingRules() throws Exception {
    Actions toInt = actions("[{key: v, action: convert, converted_type: int}]");
    check(toInt, attrs("v", "+12"), map("v", 12));
    check(toInt, attrs("v", "-7"), map("v", -7));
    check(toInt, attrs("v", " 12"), map("v", " 12"));
    check(toInt, attrs("v", "12.5"), map("v", "12.5"));
    check(toInt, attrs("v", "1e3"), map("v", "1e3"));
    check(toInt, attrs("v", "٣"), map("v", "٣")); // Arabic-Indic three: Go takes ASCII digits only
    check(toInt, attrs("v", "9223372036854775808"), map("v", "9223372036854775808"));
    check(toInt, attrs("v", 12.9), map("v", 12));
    check(toInt, attrs("v", -12.9), map("v", -12));
    check(toInt, attrs("v", 1e300), map("v", Long.MIN_VALUE));
    Actions toDouble = actions("[{key: v, action: convert, converted_type: double}]");
    check(toDouble, attrs("v", "1e3"), map("v", 1000.0));
    check(toDouble, attrs("v", ".5"), map("v", 0.5));
    check(toDouble, attrs("v", "0x1p-2"), map("v", 0.25));
    check(toDouble, attrs("v", "-Infinity"), map("v", Double.NEGATIVE_INFINITY));
    check(toDouble, attrs("v", "1e400"), map("v", "1e400"));
    check(toDouble, attrs("v", "1d"), map("v", "1d"));
    check(toDouble, attrs("v", " 1"), map("v", " 1"));
    check(toDouble, attrs("v", 7), map("v", 7.0));
    check(toDouble, attrs("v", true), map("v", 1.0));
    Actions toString = actions("[{key: v, action: convert, converted_type: string}]");
    check(toString, attrs("v", 1e21), map("v", "1e+21"));
    check(toString, attrs("v", 0.000001), map("v", "0.000001"));
    check(toString, attrs("v", 1.5e-7), map("v", "1.5e-7"));
    check(toString, attrs("v", 123.0), map("v", "123"));
    check(toString, attrs("v", true), map("v", "true"));
    check(toString, attrs("v", -42), map("v", "-42"));
    check(toString, attrs("v", new byte[] {1, 2, 3}), map("v", "AQID"));
  }

  @Test
  void delete_movesTheLastAttributeIntoTheGap_asPdataDoes() throws Exception {
    List<KeyValue> out = actions("[{key: b, action: delete}]").apply(attrs("a", 1, "b", 2, "c", 3, "d", 4));
    assertThat(out.stream().map(KeyValue::getKey)).containsExactly("a", "d", "c");
    out = actions("[{pattern: ^b|^c, action: delete}]").apply(attrs("a", 1, "b", 2, "c", 3, "d", 4));
    assertThat(out.stream().map(KeyValue::getKey)).containsExactly("a", "d");
  }

  @Test
  void invalidConfigurations_nameThePath() {
    invalid("[{key: one, action: delete}, {key: '', value: 123, action: upsert}]",
        "actions::1::key: missing (action upsert needs the attribute's key)");
    invalid("[{key: invalid, action: invalid}]", "actions::0::action: unsupported action \"invalid\" (expected one of"
        + " insert, update, upsert, delete, hash, extract, convert)");
    invalid("[{key: k}]", "actions::0::action: missing (expected one of insert, update, upsert, delete, hash, extract,"
        + " convert)");
    invalid("[{key: MissingValueFromAttributes, action: insert}]",
        "actions::0: action insert needs one of value, from_attribute, from_context or default_value");
    invalid("[{key: BothSet, value: 123, from_attribute: aa, action: upsert}]",
        "actions::0: value, from_attribute and from_context exclude each other; set only one");
    invalid("[{key: key, pattern: '(?P<operation_website>.*?)$', from_attribute: aa, action: insert}]",
        "actions::0::pattern: not used by action insert; remove it");
    invalid("[{key: aa, action: extract}]",
        "actions::0::pattern: missing (action extract needs a pattern with named groups)");
    invalid("[{key: Key, pattern: '(?P<operation_website>.*?)$', value: value, action: extract}]",
        "actions::0: value, from_attribute and from_context are not used by action extract; remove them");
    invalid("[{key: key, pattern: '(?P<operation_website>.*?)$', from_attribute: aa, action: extract}]",
        "actions::0: value, from_attribute and from_context are not used by action extract; remove them");
    invalid("[{key: aa, pattern: '(?P<invalid.regex>.*?)$', action: extract}]",
        "actions::0::pattern: error parsing regexp: invalid named capture: `(?P<invalid.regex>`: `(?P<invalid.regex>.*?)$`");
    invalid("[{key: aa, pattern: '.*$', action: extract}]",
        "actions::0::pattern: \".*$\" has no named groups (write (?P<name>...) for each attribute to extract)");
    invalid("[{key: aa, pattern: '^\\/api\\/v1\\/document\\/(?P<new_user_key>.*)\\/update\\/(.*)$', action: extract}]",
        "actions::0::pattern: \"^\\/api\\/v1\\/document\\/(?P<new_user_key>.*)\\/update\\/(.*)$\" has a group without a"
            + " name; name every group, or make it non-capturing with (?:...)");
    invalid("[{action: delete}]", "actions::0: set key, pattern or both for action delete");
    invalid("[{key: a, value: 1, action: hash}]", "actions::0: value and from_attribute are not used by action hash;"
        + " remove them");
    invalid("[{key: a, pattern: '(a', action: delete}]",
        "actions::0::pattern: error parsing regexp: Unclosed group: `(a`");
    invalid("[{key: a, action: convert}]", "actions::0::converted_type: missing (expected int, double or string)");
    invalid("[{key: a, action: convert, converted_type: float}]",
        "actions::0::converted_type: \"float\" (expected int, double or string)");
    invalid("[{key: a, value: 1, action: insert, converted_type: int}]",
        "actions::0::converted_type: not used by action insert; remove it");
    invalid("[{key: a, action: convert, converted_type: int, pattern: x}]",
        "actions::0: value, from_attribute, from_context and pattern are not used by action convert; remove them");
  }

  private static void invalid(String yaml, String message) {
    assertThatThrownBy(() -> Actions.compile(settings(yaml), "actions"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  private static ByteBuffer le() {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static String sha256Hex(byte[] bytes) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
      sb.append(String.format("%02x", b));
    }
    return sb.toString();
  }
}
