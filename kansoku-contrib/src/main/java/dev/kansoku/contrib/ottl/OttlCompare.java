package dev.kansoku.contrib.ottl;

import com.google.protobuf.ByteString;
import dev.kansoku.contrib.attraction.GoValues;
import io.opentelemetry.proto.common.v1.AnyValue;
import javax.annotation.Nullable;

/**
 * OTTL's comparison rules (its LANGUAGE.md, "Comparison Rules"): nil equals only nil; numbers compare
 * across int and float; strings by their bytes; booleans with false before true; bytes bytewise; maps
 * and lists only for (in)equality. Anything else is "not equal" and neither less nor greater.
 */
final class OttlCompare {
  enum Op {
    EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

    final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }
  }

  private OttlCompare() {}

  static boolean compare(@Nullable Object a, @Nullable Object b, Op op) {
    if (a == null && b == null) {
      return op == Op.EQ || op == Op.LE || op == Op.GE;
    }
    if (a == null) {
      return compare(b, null, op); // as upstream: only "!=" can hold, so the operator need not be mirrored
    }
    if (a instanceof Long x) {
      if (b instanceof Long y) {
        return ordered(Long.compare(x, y), op);
      }
      return b instanceof Double y ? doubles(x, y, op) : op == Op.NE;
    }
    if (a instanceof Double x) {
      if (b instanceof Long y) {
        return doubles(x, (double) y, op);
      }
      return b instanceof Double y ? doubles(x, y, op) : op == Op.NE;
    }
    if (a instanceof String x) {
      return b instanceof String y ? ordered(GoValues.compareUtf8(x, y), op) : op == Op.NE;
    }
    if (a instanceof Boolean x) {
      return b instanceof Boolean y ? ordered(Boolean.compare(x, y), op) : op == Op.NE;
    }
    if (a instanceof ByteString x) {
      return b instanceof ByteString y ? ordered(ByteString.unsignedLexicographicalComparator().compare(x, y), op)
          : op == Op.NE;
    }
    if (a instanceof AnyValue x && b instanceof AnyValue y && (op == Op.EQ || op == Op.NE)) {
      return x.equals(y) == (op == Op.EQ);
    }
    return op == Op.NE;
  }

  /** With Go's float rules: NaN is unequal to everything, itself included. */
  private static boolean doubles(double x, double y, Op op) {
    return switch (op) {
      case EQ -> x == y;
      case NE -> x != y;
      case LT -> x < y;
      case LE -> x <= y;
      case GT -> x > y;
      case GE -> x >= y;
    };
  }

  private static boolean ordered(int c, Op op) {
    return switch (op) {
      case EQ -> c == 0;
      case NE -> c != 0;
      case LT -> c < 0;
      case LE -> c <= 0;
      case GT -> c > 0;
      case GE -> c >= 0;
    };
  }
}
