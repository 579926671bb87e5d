package dev.kansoku.store.embedded;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Little binary primitives shared by the WAL and block codecs: LEB128 varints, zigzag for signed
 * deltas, fixed 64-bit words, length-prefixed UTF-8. {@link Out} and {@link In} are not thread-safe;
 * each is owned by one thread for one encode or decode.
 */
final class Buf {
  private Buf() {}

  /** A growable byte array. */
  static final class Out {
    byte[] bytes;
    int size;

    Out(int capacity) {
      bytes = new byte[Math.max(16, capacity)];
    }

    Out() {
      this(256);
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    Out u8(int v) {
      ensure(1);
      bytes[size++] = (byte) v;
      return this;
    }

    Out varint(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        bytes[size++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      bytes[size++] = (byte) v;
      return this;
    }

    Out zigzag(long v) {
      return varint((v << 1) ^ (v >> 63));
    }

    Out i32(int v) {
      ensure(4);
      bytes[size++] = (byte) (v >>> 24);
      bytes[size++] = (byte) (v >>> 16);
      bytes[size++] = (byte) (v >>> 8);
      bytes[size++] = (byte) v;
      return this;
    }

    Out i64(long v) {
      ensure(8);
      for (int i = 56; i >= 0; i -= 8) {
        bytes[size++] = (byte) (v >>> i);
      }
      return this;
    }

    Out f64(double v) {
      return i64(Double.doubleToRawLongBits(v));
    }

    Out str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      varint(b.length);
      return raw(b, 0, b.length);
    }

    Out raw(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, bytes, size, len);
      size += len;
      return this;
    }

    Out raw(Out o) {
      return raw(o.bytes, 0, o.size);
    }

    byte[] toArray() {
      return Arrays.copyOf(bytes, size);
    }

    void reset() {
      size = 0;
    }
  }

  /** Reads what {@link Out} wrote, from a heap or mapped buffer. */
  static final class In {
    final ByteBuffer buf;

    In(ByteBuffer buf) {
      this.buf = buf;
    }

    In(byte[] b, int off, int len) {
      this(ByteBuffer.wrap(b, off, len).slice());
    }

    boolean hasMore() {
      return buf.hasRemaining();
    }

    int position() {
      return buf.position();
    }

    int u8() {
      return buf.get() & 0xFF;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = buf.get();
        v |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return v;
        }
      }
      throw new IllegalStateException("varint longer than 10 bytes");
    }

    int varint32() {
      return Math.toIntExact(varint());
    }

    long zigzag() {
      long v = varint();
      return (v >>> 1) ^ -(v & 1);
    }

    int i32() {
      return buf.getInt();
    }

    long i64() {
      return buf.getLong();
    }

    double f64() {
      return Double.longBitsToDouble(buf.getLong());
    }

    String str() {
      int n = varint32();
      if (buf.hasArray()) {
        String s = new String(buf.array(), buf.arrayOffset() + buf.position(), n, StandardCharsets.UTF_8);
        buf.position(buf.position() + n);
        return s;
      }
      byte[] b = new byte[n];
      buf.get(b);
      return new String(b, StandardCharsets.UTF_8);
    }

    /** The next {@code n} bytes as their own reader; advances past them. */
    In slice(int n) {
      ByteBuffer s = buf.slice();
      s.limit(n);
      buf.position(buf.position() + n);
      return new In(s);
    }
  }
}
