/** Each item's top offset, and the total height at the end: `offsets[count]`. */
export function offsetsOf(count: number, heightOf: (index: number) => number): Float64Array {
  const offsets = new Float64Array(count + 1);
  for (let i = 0; i < count; i++) offsets[i + 1] = (offsets[i] ?? 0) + heightOf(i);
  return offsets;
}

/** The first index whose bottom is below `y` (binary search over the offsets). */
function indexAt(offsets: Float64Array, y: number): number {
  let low = 0;
  let high = offsets.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((offsets[mid + 1] ?? 0) <= y) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The items to render for a viewport, with `overscan` pixels above and below: [start, end). */
export function visibleRange(
  offsets: Float64Array,
  scrollTop: number,
  viewportHeight: number,
  overscan: number,
): { start: number; end: number } {
  const count = offsets.length - 1;
  if (count <= 0) return { start: 0, end: 0 };
  const start = indexAt(offsets, Math.max(0, scrollTop - overscan));
  const end = Math.min(count, indexAt(offsets, scrollTop + viewportHeight + overscan) + 1);
  return { start, end };
}
