import { StringDecoder } from "node:string_decoder";
import { SaxesParser } from "saxes";
import { AppError } from "@/lib/errors";

/**
 * A streaming reader of MediaWiki XML dumps (export versions 0.10 and 0.11):
 * saxes parses chunk by chunk and the reader yields one page at a time with its
 * revisions, so a dump far larger than memory is read in the memory of its
 * largest page (capped). Malformed XML is an error naming the line, the column
 * and the element it was in; a revision without text, or with a content model
 * this wiki cannot read, marks its page as failed (the import reports it and
 * goes on with the next page).
 */

/** 0.10 and 0.11 are what MediaWiki writes today; 0.6 to 0.9 (older dumps, and fixtures of MediaWiki's own tests) have the same page and revision elements. */
export const SUPPORTED_VERSIONS = ["0.6", "0.7", "0.8", "0.9", "0.10", "0.11"];
/** Content models the import reads: MediaWiki's wikitext, and Propagate's own MDX. */
export const READABLE_MODELS = ["wikitext", "propagate-mdx"];
/** A page's history larger than this is refused (with its title), never buffered. */
export const MAX_PAGE_BYTES = 256 * 1024 * 1024;
/**
 * The most characters between two markup characters ("<") the reader passes
 * to saxes, which holds a text (or a name, an attribute, a CDATA section)
 * whole until the markup after it: a 1 GB element would otherwise be 2 GB of
 * memory before any check saw it. No page here holds more than 256 KB.
 */
export const MAX_TEXT_RUN = 16 * 1024 * 1024;

export type DumpContributor = { username: string } | { ip: string } | { deleted: true };

export type DumpRevision = {
  id: number | null;
  timestamp: Date;
  contributor: DumpContributor;
  minor: boolean;
  comment: string;
  model: string;
  text: string;
};

export type DumpPage = {
  title: string;
  ns: number;
  redirect: string | null;
  revisions: DumpRevision[];
  /** Why this page cannot be imported (unknown content model, missing text…), naming the element. */
  error: string | null;
};

export type DumpInfo = { version: string; namespaces: Map<number, string> };

type RevisionDraft = {
  id: string;
  timestamp: string;
  contributor: { username?: string; ip?: string; deleted?: boolean };
  minor: boolean;
  comment: string;
  model: string;
  text: string | null;
  slots: { role: string; model: string }[];
};

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

/** Read a dump, yielding its pages in order; `onInfo` receives the version and namespaces first. */
export async function* readMediawikiDump(input: AsyncIterable<Buffer | string>, onInfo?: (info: DumpInfo) => void): AsyncGenerator<DumpPage> {
  const parser = new SaxesParser({ position: true });
  const stack: string[] = [];
  const ready: DumpPage[] = [];
  const info: DumpInfo = { version: "", namespaces: new Map() };
  let collected: string[] | null = null;
  let page: DumpPage | null = null;
  let pageBytes = 0;
  let revision: RevisionDraft | null = null;
  let slot: { role: string; model: string } | null = null;
  let namespaceKey: number | null = null;
  let failure: Error | null = null;

  const where = () => `line ${parser.line}, column ${parser.column}${stack.length > 0 ? `, in <${stack.at(-1)}>` : ""}`;
  const fail = (message: string) => {
    failure ??= new AppError("invalid:input", message);
  };
  const pageFail = (message: string) => {
    if (page && !page.error) page.error = message;
  };
  const revisionName = () => `Revision ${revision?.id || "(no id)"} of page "${page?.title ?? "?"}"`;

  // saxes closes the elements left open before it reports a stray close tag: name the last one closed too.
  let lastClosed = "";
  parser.on("error", (error) => {
    const after = lastClosed && error.message.includes("close tag") ? ` (after <${lastClosed}>)` : "";
    fail(`The XML is malformed at ${where()}${after}: ${error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, "")}`);
  });
  parser.on("opentag", (tag) => {
    const name = localName(tag.name);
    const parent = stack.at(-1);
    stack.push(name);
    if (stack.length === 1) {
      if (name !== "mediawiki") return fail(`The root element is <${tag.name}>, not <mediawiki>: this is not a MediaWiki export.`);
      const version = String(tag.attributes.version ?? "");
      if (!SUPPORTED_VERSIONS.includes(version)) {
        return fail(`<mediawiki version="${version}">: this import reads export versions ${SUPPORTED_VERSIONS.join(" and ")}.`);
      }
      info.version = version;
      return;
    }
    if (name === "namespace" && parent === "namespaces") {
      namespaceKey = Number(tag.attributes.key);
      collected = [];
    } else if (name === "page" && parent === "mediawiki") {
      if (info.namespaces.size > 0 || info.version) onInfo?.(info);
      onInfo = undefined;
      page = { title: "", ns: 0, redirect: null, revisions: [], error: null };
      pageBytes = 0;
    } else if (name === "redirect" && parent === "page" && page) {
      page.redirect = String(tag.attributes.title ?? "");
    } else if (name === "revision" && parent === "page") {
      revision = { id: "", timestamp: "", contributor: {}, minor: false, comment: "", model: "", text: null, slots: [] };
    } else if (name === "contributor" && revision) {
      if (tag.attributes.deleted === "deleted") revision.contributor.deleted = true;
    } else if (name === "minor" && revision) {
      revision.minor = true;
    } else if (name === "content" && parent === "revision") {
      slot = { role: "", model: "" };
    } else if (name === "text" && parent === "revision" && revision) {
      if (tag.attributes.deleted === "deleted") revision.text = "";
      else collected = [];
    } else if (name === "upload" || name === "logitem" || name === "discussionthreadinginfo") {
      // Files, logs and LiquidThreads data: not pages; skipped (the report counts skipped pages only).
    } else if (["title", "ns", "id", "parentid", "timestamp", "username", "ip", "comment", "model", "format", "sha1", "role", "origin"].includes(name)) {
      collected = [];
    }
  });
  parser.on("text", (text) => {
    if (!collected) return;
    if (stack.at(-1) === "text" && page) {
      pageBytes += text.length;
      if (pageBytes > MAX_PAGE_BYTES) {
        pageFail(`Page "${page.title}" has more than ${MAX_PAGE_BYTES / 1024 / 1024} MB of history; it was not imported.`);
        collected = null;
        return;
      }
    }
    collected.push(text);
  });
  parser.on("cdata", (text) => collected?.push(text));
  parser.on("closetag", (tag) => {
    const name = localName(tag.name);
    stack.pop();
    lastClosed = name;
    const parent = stack.at(-1);
    const value = collected?.join("") ?? "";
    if (name === "namespace" && namespaceKey !== null) {
      info.namespaces.set(namespaceKey, value);
      namespaceKey = null;
    } else if (page && parent === "page") {
      if (name === "title") page.title = value;
      else if (name === "ns") page.ns = Number(value);
    } else if (revision && parent === "revision") {
      if (name === "id") revision.id = value;
      else if (name === "timestamp") revision.timestamp = value;
      else if (name === "comment") revision.comment = value;
      else if (name === "model") revision.model = value;
      else if (name === "text" && revision.text === null && collected) revision.text = value;
    } else if (revision && parent === "contributor") {
      if (name === "username") revision.contributor.username = value;
      else if (name === "ip") revision.contributor.ip = value;
    } else if (slot && parent === "content") {
      if (name === "role") slot.role = value;
      else if (name === "model") slot.model = value;
    }
    if (name === "content" && slot && revision) {
      revision.slots.push(slot);
      slot = null;
    }
    if (name === "revision" && revision && page) {
      finishRevision(revision);
      revision = null;
    }
    if (name === "page" && page && parent === "mediawiki") {
      if (!page.error && !page.title) page.error = "A <page> has no <title> element.";
      ready.push(page);
      page = null;
    }
    if (name === "mediawiki") onInfo?.(info);
    if (["text", "title", "ns", "id", "parentid", "timestamp", "username", "ip", "comment", "model", "format", "sha1", "role", "origin", "namespace"].includes(name)) collected = null;
  });

  function finishRevision(draft: RevisionDraft): void {
    if (!page || page.error) return;
    for (const s of draft.slots) {
      if (!s.role) return pageFail(`${revisionName()} has a <content> slot without a <role> element.`);
      if (s.model && !READABLE_MODELS.includes(s.model)) {
        return pageFail(`${revisionName()} has the unknown content model "${s.model}" in the <model> of its "${s.role}" slot; this import reads ${READABLE_MODELS.join(" and ")}.`);
      }
    }
    const model = draft.model || (page.ns === 828 ? "Scribunto" : "wikitext");
    if (!READABLE_MODELS.includes(model)) return pageFail(`${revisionName()} has the unknown content model "${model}" in its <model> element; this import reads ${READABLE_MODELS.join(" and ")}.`);
    if (draft.text === null) return pageFail(`${revisionName()} has no <text> element for its main slot.`);
    const timestamp = new Date(draft.timestamp);
    if (Number.isNaN(timestamp.getTime())) return pageFail(`${revisionName()} has no valid <timestamp> ("${draft.timestamp}").`);
    const c = draft.contributor;
    const contributor: DumpContributor = c.deleted || (!c.username && !c.ip) ? { deleted: true } : c.username ? { username: c.username } : { ip: c.ip! };
    const id = Number(draft.id);
    page.revisions.push({ id: Number.isInteger(id) && id > 0 ? id : null, timestamp, contributor, minor: draft.minor, comment: draft.comment, model, text: draft.text });
  }

  const decoder = new StringDecoder("utf8");
  let run = 0;
  /** Count the characters since the last "<" (one indexOf pass over the chunk); refuse a run longer than MAX_TEXT_RUN before saxes holds it. */
  const guard = (text: string) => {
    let from = 0;
    for (let at = text.indexOf("<"); at !== -1; at = text.indexOf("<", at + 1)) {
      if (run + at - from > MAX_TEXT_RUN) break;
      run = 0;
      from = at + 1;
    }
    run += text.length - from;
    if (run > MAX_TEXT_RUN) {
      const inside = stack.length > 0 ? ` in <${stack.at(-1)}>${page?.title ? ` of page "${page.title}"` : ""}` : "";
      throw new AppError("invalid:input", `After line ${parser.line}${inside}, the dump holds more than ${MAX_TEXT_RUN / 1024 / 1024} MB of text without markup; no page here can be that large, so the import stopped there.`);
    }
  };
  for await (const chunk of input) {
    const text = typeof chunk === "string" ? chunk : decoder.write(chunk);
    guard(text);
    parser.write(text);
    if (failure) throw failure;
    while (ready.length > 0) yield ready.shift()!;
  }
  parser.write(decoder.end());
  try {
    parser.close();
  } catch (error) {
    fail(`The XML is malformed at ${where()}: ${(error as Error).message}`);
  }
  if (failure) throw failure;
  if (stack.length > 0) throw new AppError("invalid:input", `The XML ends inside <${stack.at(-1)}>: the dump is cut short.`);
  if (!info.version) throw new AppError("invalid:input", "The file has no <mediawiki> element: this is not a MediaWiki export.");
  while (ready.length > 0) yield ready.shift()!;
}
