package dev.kansoku.store.embedded;

/**
 * Sorts positions {@code 0..n-1} by a comparison of primitives, without boxing: a flush orders
 * tens of thousands of rows and index entries, and {@code Integer[]} with a lambda comparator made
 * that the larger part of its time. Quicksort (median of three) with insertion sort for short
 * ranges; not stable. Stateless.
 */
final class IndexSort {
  private IndexSort() {}

  /** Compares the rows at two positions, as a comparator does. */
  interface Order {
    int compare(int a, int b);
  }

  static int[] sorted(int n, Order order) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    sort(idx, 0, n - 1, order);
    return idx;
  }

  private static void sort(int[] a, int lo, int hi, Order order) {
    while (hi - lo > 16) {
      int mid = (lo + hi) >>> 1;
      if (order.compare(a[mid], a[lo]) < 0) {
        swap(a, mid, lo);
      }
      if (order.compare(a[hi], a[lo]) < 0) {
        swap(a, hi, lo);
      }
      if (order.compare(a[hi], a[mid]) < 0) {
        swap(a, hi, mid);
      }
      int pivot = a[mid];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (order.compare(a[i], pivot) < 0) {
          i++;
        }
        while (order.compare(a[j], pivot) > 0) {
          j--;
        }
        if (i <= j) {
          swap(a, i++, j--);
        }
      }
      // Recurse into the smaller side, loop on the larger: stack depth stays logarithmic.
      if (j - lo < hi - i) {
        sort(a, lo, j, order);
        lo = i;
      } else {
        sort(a, i, hi, order);
        hi = j;
      }
    }
    for (int i = lo + 1; i <= hi; i++) {
      int v = a[i];
      int j = i - 1;
      while (j >= lo && order.compare(a[j], v) > 0) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = v;
    }
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
