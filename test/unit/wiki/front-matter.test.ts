import { describe, expect, it } from "vitest";
import { joinFrontMatter, parseFrontMatter, readFields, setField, splitFrontMatter, withTitle } from "@/lib/wiki/front-matter";

const difference = `---
title: Adoption
kind: difference
summary: How people come to use it.
dimension: Adoption
tkm: Bought into.
sl: Fits how people work.
tags: [adoption, Tools]
sources:
  - The origin post
  - { title: A book, author: Someone, year: 2001 }
---

Body line one.
`;

describe("front matter", () => {
  it("splits the body and reports how many lines precede it", () => {
    const split = splitFrontMatter(difference);
    expect(split.body).toBe("\nBody line one.\n");
    expect(split.bodyLineOffset).toBe(12);
  });

  it("parses a difference page's structured fields and lower-cases tags", () => {
    const parsed = parseFrontMatter(difference);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.fields).toMatchObject({ kind: "difference", dimension: "Adoption", tkm: "Bought into.", tags: ["adoption", "tools"] });
    expect(parsed.fields.sources).toHaveLength(2);
  });

  it("requires the comparison fields on difference pages", () => {
    const parsed = parseFrontMatter(difference.replace("sl: Fits how people work.\n", ""));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues[0]?.message).toMatch(/"sl"/);
  });

  it("refuses fields that a kind does not have", () => {
    const parsed = parseFrontMatter("---\ntitle: X\nkind: concept\nsummary: s\ntkm: no\n---\nx");
    expect(parsed.ok).toBe(false);
  });

  it.each(["js", "javascript", "JS", "coffee"])("refuses ---%s front matter without evaluating it", (lang) => {
    const parsed = parseFrontMatter(`---${lang}\n{ title: require('fs').writeFileSync('/tmp/pwned-${lang}', 'x') }\n---\nbody`);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues[0]?.message).toMatch(/must be YAML/);
  });

  it("does not honour YAML tags that build objects or run code", () => {
    const parsed = parseFrontMatter("---\ntitle: !!js/function 'function(){}'\nkind: concept\nsummary: s\n---\nx");
    expect(parsed.ok).toBe(false);
  });

  it("reports invalid YAML with a line number", () => {
    const parsed = parseFrontMatter("---\ntitle: X\nkind: concept\n  summary: : :\n---\nx");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it("requires front matter", () => {
    const parsed = parseFrontMatter("# Just a body\n");
    expect(parsed.ok).toBe(false);
  });

  it("reads a front matter block closed by YAML's ... marker, as saves always have", () => {
    const dots = "---\ntitle: X\nkind: concept\nsummary: s\n...  \n\nBody\n";
    expect(splitFrontMatter(dots)).toEqual({ yaml: "title: X\nkind: concept\nsummary: s\n", language: "", body: "\nBody\n", bodyLineOffset: 5 });
    expect(parseFrontMatter(dots).ok).toBe(true);
    expect(readFields(dots)).toEqual({ title: "X", kind: "concept", summary: "s" });
  });

  it("writes the --- closer the MDX toolchain reads when a field changes, keeping the body", () => {
    const dots = "---\ntitle: Old\nkind: concept # a comment\nsummary: s\n...\nBody\n";
    expect(withTitle(dots, "New")).toBe("---\ntitle: New\nkind: concept # a comment\nsummary: s\n---\nBody\n");
    expect(withTitle(dots, "Old")).toBe(dots);
  });

  it("splits CRLF sources and a byte order mark the same way as LF ones", () => {
    const crlf = "\uFEFF---\r\ntitle: X\r\n---\r\nBody\r\n";
    expect(splitFrontMatter(crlf)).toEqual({ yaml: "title: X\n", language: "", body: "Body\n", bodyLineOffset: 3 });
  });

  it("finds no front matter without an opening fence line or a closer", () => {
    expect(splitFrontMatter("---").yaml).toBeNull();
    expect(splitFrontMatter("---\ntitle: X\n").yaml).toBeNull();
    expect(splitFrontMatter("text\n---\n").yaml).toBeNull();
    expect(splitFrontMatter("---\ntitle: X\n--- not a fence\n").yaml).toBeNull();
  });

  it("a closer at the very end leaves an empty body", () => {
    expect(splitFrontMatter("---\ntitle: X\n---")).toEqual({ yaml: "title: X\n", language: "", body: "", bodyLineOffset: 2 });
  });

  it("edits only YAML front matter: ---js is left as it is", () => {
    const js = "---js\n{ title: 'X' }\n---\nBody\n";
    expect(readFields(js)).toBeNull();
    expect(setField(js, "title", "Y")).toBe(js);
  });

  it("joins what it splits", () => {
    const split = splitFrontMatter(difference);
    expect(joinFrontMatter(split.yaml!, split.body)).toBe(difference);
  });
});

