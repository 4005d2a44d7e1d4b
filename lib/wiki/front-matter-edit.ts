import { parseDocument } from "yaml";

/*
 * Reading and changing front matter fields in place, for the editor's form
 * fields (runs in the browser too: no server imports here).
 */

const OPEN = /^---[ \t]*\n/;

function split(source: string): { yaml: string; body: string } | null {
  const text = source.replace(/\r\n?/g, "\n");
  const open = OPEN.exec(text);
  if (!open) return null;
  const rest = text.slice(open[0].length);
  const close = /^---[ \t]*$/m.exec(rest);
  if (!close) return null;
  let body = rest.slice(close.index + close[0].length);
  if (body.startsWith("\n")) body = body.slice(1);
  return { yaml: rest.slice(0, close.index), body };
}

/** Front matter fields as plain values, or null when the YAML does not parse. */
export function readFields(source: string): Record<string, unknown> | null {
  const parts = split(source);
  if (!parts) return null;
  const doc = parseDocument(parts.yaml);
  if (doc.errors.length > 0) return null;
  const value = doc.toJS() as unknown;
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * The source with one front matter field set (or removed when `value` is
 * undefined), keeping the other fields, their order and comments. Returns the
 * source unchanged when its front matter cannot be parsed.
 */
export function setField(source: string, key: string, value: unknown): string {
  const parts = split(source);
  if (!parts) return source;
  const doc = parseDocument(parts.yaml);
  if (doc.errors.length > 0) return source;
  if (value === undefined) doc.delete(key);
  else doc.set(key, value);
  return `---\n${doc.toString({ lineWidth: 0 }).replace(/\n$/, "")}\n---\n${parts.body}`;
}
