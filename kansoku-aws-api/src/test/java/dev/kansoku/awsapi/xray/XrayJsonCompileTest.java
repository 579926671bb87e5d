package dev.kansoku.awsapi.xray;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Compiling documents into X-Ray's nested form, for the cases a well-behaved trace never has. */
class XrayJsonCompileTest {
  @Test
  void subsegmentsWhoseParentsLoop_stayDocumentsOfTheirOwn() {
    List<ObjectNode> out = XrayJson.compile(List.of(
        "{\"id\": \"a\", \"name\": \"s\", \"start_time\": 1}",
        "{\"id\": \"b\", \"type\": \"subsegment\", \"parent_id\": \"c\", \"start_time\": 2}",
        "{\"id\": \"c\", \"type\": \"subsegment\", \"parent_id\": \"b\", \"start_time\": 3}",
        "{\"id\": \"d\", \"type\": \"subsegment\", \"parent_id\": \"a\", \"start_time\": 4}"));
    assertThat(out).extracting(n -> n.path("id").asText()).containsExactly("a", "b", "c");
    assertThat(out.get(0).path("subsegments")).singleElement()
        .satisfies(d -> assertThat(d.path("id").asText()).isEqualTo("d"));
    assertThat(out.get(1).path("parent_id").asText()).isEqualTo("c");
  }

  @Test
  void embeddedAndIndependentSubsegments_shareTheParentsList_byStartTime() {
    List<ObjectNode> out = XrayJson.compile(List.of(
        "{\"id\": \"a\", \"start_time\": 1, \"subsegments\": [{\"id\": \"e\", \"start_time\": 5}]}",
        "{\"id\": \"x\", \"type\": \"subsegment\", \"trace_id\": \"t\", \"parent_id\": \"a\", \"start_time\": 3}",
        "{\"id\": \"y\", \"type\": \"subsegment\", \"trace_id\": \"t\", \"parent_id\": \"a\", \"start_time\": 2}"));
    assertThat(out).singleElement().satisfies(a -> assertThat(a.path("subsegments"))
        .extracting(n -> n.path("id").asText()).containsExactly("e", "y", "x"));
  }
}
