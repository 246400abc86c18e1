/**
 * A set of code points read from the compact form of unicode-tables.ts: comma-separated ranges,
 * each `gap` or `gap.length` in base 36, where gap = start - previous end - 1 and
 * length = end - start. Plain arrays and no regex: it runs on every mini program engine.
 */
interface CodePointSet {
  has(codePoint: number): boolean;
}

export function decodeCodePointSet(encoded: string): CodePointSet {
  const starts: number[] = [];
  const ends: number[] = [];
  let previousEnd = -1;
  for (const item of encoded.split(',')) {
    const [gap, length = '0'] = item.split('.');
    const start = previousEnd + 1 + parseInt(gap, 36);
    previousEnd = start + parseInt(length, 36);
    starts.push(start);
    ends.push(previousEnd);
  }
  return {
    has(codePoint) {
      if (!(codePoint >= 0)) return false; // also undefined, read past the end of an array
      let low = 0;
      let high = starts.length - 1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        if (codePoint < starts[middle]) high = middle - 1;
        else if (codePoint > ends[middle]) low = middle + 1;
        else return true;
      }
      return false;
    },
  };
}
