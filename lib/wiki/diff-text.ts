/** Text helpers of the diff: line endings, lines, the span where two texts differ, whitespace. */
export function normalise(text: string): string {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return t.includes("\r") ? t.replace(/\r\n?/g, "\n") : t;
}

export function toLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Length of the common prefix of two strings, compared in native-sized chunks. */
function commonPrefix(a: string, b: string, max: number): number {
  let i = 0;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (i + step <= max && a.slice(i, i + step) === b.slice(i, i + step)) i += step;
  }
  return i;
}

function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (i + step <= max && a.slice(a.length - i - step, a.length - i) === b.slice(b.length - i - step, b.length - i)) {
      i += step;
    }
  }
  return i;
}

function atLineStart(text: string, index: number): boolean {
  return index === 0 || text.charCodeAt(index - 1) === 10;
}

/**
 * Character offsets bounding the lines that may differ: `a` and `b` share
 * `[0, start)` and their tails from `oldEnd` / `newEnd`, all on line starts.
 */
export function differingSpan(a: string, b: string): { start: number; oldEnd: number; newEnd: number } {
  let start = commonPrefix(a, b, Math.min(a.length, b.length));
  start = start === 0 ? 0 : a.lastIndexOf("\n", start - 1) + 1;
  const tail = commonSuffix(a, b, Math.min(a.length, b.length) - start);
  let oldEnd = a.length - tail;
  let newEnd = b.length - tail;
  if (!atLineStart(a, oldEnd) || !atLineStart(b, newEnd)) {
    const newline = a.indexOf("\n", oldEnd);
    const skip = newline === -1 ? tail : newline + 1 - oldEnd;
    oldEnd += skip;
    newEnd += skip;
  }
  return { start, oldEnd, newEnd };
}

/** Number of lines in `text[from, to)`, where `from` is a line start. */
export function countLines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) count++;
  return to > from && text.charCodeAt(to - 1) !== 10 ? count + 1 : count;
}

/** The `count` lines ending just before line start `index`. */
export function linesBefore(text: string, index: number, count: number): string[] {
  const lines: string[] = [];
  let end = index - 1;
  while (lines.length < count && end >= 0) {
    const lineStart = text.lastIndexOf("\n", end - 1) + 1;
    lines.push(text.slice(lineStart, end));
    end = lineStart - 1;
  }
  return lines.reverse();
}

/** The `count` lines starting at line start `index`. */
export function linesAfter(text: string, index: number, count: number): string[] {
  const lines: string[] = [];
  let from = index;
  while (lines.length < count && from < text.length) {
    const newline = text.indexOf("\n", from);
    const lineEnd = newline === -1 ? text.length : newline;
    lines.push(text.slice(from, lineEnd));
    from = lineEnd + 1;
  }
  return lines;
}

export function isBlank(line: string): boolean {
  return line.trim() === "";
}

/** Whether a UTF-16 code unit is whitespace as `\s` defines it. */
export function isSpace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 160) return false;
  return (
    code === 160 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}
