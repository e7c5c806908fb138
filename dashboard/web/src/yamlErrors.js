import { LineCounter, parseDocument } from 'yaml';

// Where a server validation error's field ("replicas", "ports[1].containerPort") sits in the
// YAML the user wrote: its line (1-based), or null when the field is not there.
export function lineOf(text, path) {
  if (!path || path.startsWith('(')) return null;
  const segments = [];
  for (const part of path.split('.')) {
    const m = part.match(/^([^[\]]*)((\[\d+\])*)$/);
    if (!m) return null;
    if (m[1]) segments.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) segments.push(Number(idx[1]));
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: false });
  // The deepest part of the path that exists: an unknown field under a known one marks the latter.
  for (let n = segments.length; n > 0; n--) {
    const node = doc.getIn(segments.slice(0, n), true);
    if (node && node.range) return lines.linePos(node.range[0]).line;
    const parent = n > 1 ? doc.getIn(segments.slice(0, n - 1), true) : doc.contents;
    if (parent && parent.items) {
      const pair = parent.items.find((p) => p.key && (p.key.value ?? p.key) === segments[n - 1]);
      if (pair && pair.key && pair.key.range) return lines.linePos(pair.key.range[0]).line;
    }
  }
  return null;
}

/** Whether the text parses as YAML at all, and if not where it does not. */
export function syntaxError(text) {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (!doc.errors.length) return null;
  const e = doc.errors[0];
  return { line: e.linePos ? e.linePos[0].line : null, message: e.message.split('\n')[0] };
}
