/**
 * A longest common subsequence of two id sequences for small edits: Myers'
 * O((N+M)·D) greedy algorithm over typed arrays, after trimming the shared
 * start and end. jsdiff's `diffArrays` does the same with an object per step;
 * on a 1 MB page with thousands of edited paragraphs that allocation was most
 * of the diff's time (docs/performance.md), so the word diff uses this first
 * and falls back to jsdiff (with its timeout) for edits over `maxEdits`.
 */

/**
 * Mark the kept items of `a[a0, a1)` in `keptA` and of `b[b0, b1)` in
 * `keptB` (1: part of the common subsequence). Returns false, marking
 * nothing, when more than `maxEdits` insertions and deletions are needed.
 */
export function markCommon(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  range: { a0: number; a1: number; b0: number; b1: number },
  keptA: Uint8Array,
  keptB: Uint8Array,
  maxEdits: number,
): boolean {
  let { a0, a1, b0, b1 } = range;
  const prefixFrom = [a0, b0];
  while (a0 < a1 && b0 < b1 && a[a0] === b[b0]) {
    a0++;
    b0++;
  }
  const suffixTo = [a1, b1];
  while (a1 > a0 && b1 > b0 && a[a1 - 1] === b[b1 - 1]) {
    a1--;
    b1--;
  }
  const n = a1 - a0;
  const m = b1 - b0;
  const keep = () => {
    keptA.fill(1, prefixFrom[0], a0);
    keptB.fill(1, prefixFrom[1], b0);
    keptA.fill(1, a1, suffixTo[0]);
    keptB.fill(1, b1, suffixTo[1]);
  };
  if (n === 0 || m === 0) {
    if (n + m > maxEdits) return false;
    keep();
    return true;
  }
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v[k] for k in [-d, d] after step d, to walk the path back.
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[a0 + x] === b[b0 + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    trace.push(v.slice(offset - d, offset + d + 1));
  }
  if (found < 0) return false;
  keep();
  // Walk back from (n, m), marking the diagonal (kept) stretches.
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const previous = trace[d - 1]!; // index k + (d - 1)
    const k = x - y;
    const down = k === -d || (k !== d && previous[k - 1 + d - 1]! < previous[k + 1 + d - 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = previous[prevK + d - 1]!;
    const prevY = prevX - prevK;
    const startX = down ? prevX : prevX + 1;
    const startY = startX - k;
    for (let s = startX, t = startY; s < x; s++, t++) {
      keptA[a0 + s] = 1;
      keptB[b0 + t] = 1;
    }
    x = prevX;
    y = prevY;
  }
  for (let s = 0; s < x; s++) {
    keptA[a0 + s] = 1;
    keptB[b0 + s] = 1;
  }
  return true;
}
