import { describe, expect, it } from "vitest";
import { MAX_MDX_BYTES, MAX_MDX_ISSUES, validateMdxBody, type MdxIssue } from "@/lib/mdx/validate";

/** The body yields exactly one issue, with this rule; returns it. */
function onlyIssue(body: string, rule: string, options?: { lineOffset?: number }): MdxIssue {
  const issues = validateMdxBody(body, options);
  expect(issues, JSON.stringify(issues)).toHaveLength(1);
  expect(issues[0]!.rule).toBe(rule);
  return issues[0]!;
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

const fence = "```";

const realisticPage = `## Overview

Kevin Jones compares [[Traditional knowledge management]] with [[Social learning|social learning]].
Read the [original post](https://example.com/2008/differences "The post"), go [home](/),
see [the history](/wiki/Adoption#history) or [write to the editors](mailto:editors@example.com).
Bare links such as https://example.com/garden and www.example.com work too.

<Callout type="tip" title="Before you edit">
Read the **style guide** first; it is *short*.
</Callout>

<Quote author="Howard Johnson" source="Comment on the post" href="https://example.com/2008/differences#comments" date="2008-06-12">
Knowledge management is the nursery; social learning is the garden.
</Quote>

<Comparison title="Media" tkm="Few formats." sl="Text, pictures, video and podcasts." />

<Figure src="/media/garden.png" alt="A garden in bloom" caption="The garden" width="640" height="480" />

<Video src="https://media.example.com/talk.mp4" poster="/media/talk.jpg" caption="The 2008 talk" title="Talk" />

<Audio src="/media/episode-50.mp3" caption="PodCascadia episode 50" title="Episode 50" />

| Aspect | TKM | SL |
| --- | :-: | --: |
| Media | few | ~~one~~ many |

- [x] Compare the two
- [ ] Add sources[^1]

1. First
   - nested *item*
2. Second

> A quoted line with a [relative link](../Adoption).

![A seedling](/media/seedling.png "Seedling")

${fence}html
<script>{alert(1)}</script>
${fence}

Inline code may hold \`{process.env.SECRET}\` and \`<iframe src="javascript:x">\`; a < b, and \\{braces\\} are escaped.

[^1]: The footnote.
`;

describe("validateMdxBody accepts", () => {
  it("a realistic page using all six components, https, site-relative and mailto links, wiki links, a table and code", () => {
    expect(validateMdxBody(realisticPage)).toEqual([]);
  });

  it("wiki links with and without a label", () => {
    expect(validateMdxBody("See [[Page title]] and [[Page title|the label]].\n")).toEqual([]);
  });

  it("a GFM table, strikethrough and a task list", () => {
    expect(validateMdxBody("| a | b |\n| - | - |\n| 1 | ~~2~~ |\n\n- [x] done\n- [ ] todo\n")).toEqual([]);
  });

  it("a fenced code block containing <script>{alert(1)}</script>", () => {
    expect(validateMdxBody(`${fence}html\n<script>{alert(1)}</script>\n${fence}\n`)).toEqual([]);
  });

  it("code blocks holding imports, expressions, comments and unsafe links", () => {
    const body = `~~~\nimport fs from 'fs'\nexport const x = 1\n{process.env.DATABASE_URL}\n<!-- comment -->\n[x](javascript:alert(1))\n~~~\n`;
    expect(validateMdxBody(body)).toEqual([]);
  });

  it("inline code holding braces and tags", () => {
    expect(validateMdxBody("Use `{x}`, `<script>` and `<!-- -->` in text.\n")).toEqual([]);
  });

  it("escaped braces and a spaced less-than sign", () => {
    expect(validateMdxBody("Sets are written \\{a, b\\} and 1 < 2.\n")).toEqual([]);
  });

  it("a Callout with markdown children and allowed components nested inside", () => {
    const body = `<Callout type="warning">\n\n- one\n- two\n\n<Figure src="/a.png" alt="A" />\n\n</Callout>\n`;
    expect(validateMdxBody(body)).toEqual([]);
  });

  it("a line of 70 `- ` markers, which is a thematic break rather than nesting", () => {
    expect(validateMdxBody(`Text\n\n${"- ".repeat(70).trim()}\n\nMore\n`)).toEqual([]);
  });

  it("62 nested block quotes", () => {
    expect(validateMdxBody(`${"> ".repeat(62)}x`)).toEqual([]);
  });

  it("a body of exactly 256 KB", () => {
    expect(validateMdxBody("a".repeat(MAX_MDX_BYTES))).toEqual([]);
  });

  it("an empty body", () => {
    expect(validateMdxBody("")).toEqual([]);
  });
});

describe("size and nesting limits", () => {
  it("rejects a 5 MB body with one issue, fast", () => {
    const { value, ms } = timed(() => validateMdxBody("hello world\n".repeat(440_000)));
    expect(value).toHaveLength(1);
    expect(value[0]).toMatchObject({ line: 1, column: 1, rule: "max-size" });
    expect(value[0]!.message).toContain("256 KB");
    expect(ms).toBeLessThan(500);
  });

  it("rejects a body one byte over 256 KB", () => {
    onlyIssue("a".repeat(MAX_MDX_BYTES + 1), "max-size");
  });

  it("counts UTF-8 bytes, not characters", () => {
    onlyIssue("é".repeat(MAX_MDX_BYTES / 2 + 1), "max-size");
  });

  it("rejects 100,000 nested block quotes with one issue, fast", () => {
    const { value, ms } = timed(() => validateMdxBody(`${"> ".repeat(100_000)}x`));
    expect(value).toHaveLength(1);
    expect(value[0]).toMatchObject({ line: 1, rule: "max-depth" });
    expect(ms).toBeLessThan(500);
  });

  it("rejects 100,000 nested list markers on one line, fast", () => {
    const { value, ms } = timed(() => validateMdxBody(`${"- ".repeat(100_000)}x`));
    expect(value).toHaveLength(1);
    expect(value[0]!.rule).toBe("max-depth");
    expect(ms).toBeLessThan(500);
  });

  it("rejects 80 nested lists written with indentation", () => {
    const body = Array.from({ length: 80 }, (_, i) => `${"  ".repeat(i)}- item ${i}`).join("\n");
    const issue = onlyIssue(body, "max-depth");
    expect(issue.message).toContain("64 levels");
  });

  it("rejects 500 indented list levels before parsing, fast", () => {
    const body = Array.from({ length: 500 }, (_, i) => `${"  ".repeat(i)}- a`).join("\n");
    const { value, ms } = timed(() => validateMdxBody(body));
    expect(value).toHaveLength(1);
    expect(value[0]!.rule).toBe("max-depth");
    expect(ms).toBeLessThan(500);
  });

  it("rejects 40 nested lists, which the parsed tree shows are 80+ nodes deep", () => {
    const body = Array.from({ length: 40 }, (_, i) => `${"  ".repeat(i)}- item`).join("\n");
    const issue = onlyIssue(body, "max-depth");
    expect(issue.line).toBe(32);
  });

  it("rejects 64 nested block quotes, whose text sits 66 nodes deep", () => {
    onlyIssue(`${"> ".repeat(64)}x`, "max-depth");
  });

  it("rejects 70 nested Callouts at the first one too deep", () => {
    const body = `${"<Callout>\n\n".repeat(70)}x\n\n${"</Callout>\n\n".repeat(70)}`;
    expect(onlyIssue(body, "max-depth").line).toBe(129);
  });
});

describe("code is refused", () => {
  it("rejects `import fs from 'fs'`", () => {
    const issue = onlyIssue("import fs from 'fs'\n", "no-esm");
    expect(issue).toMatchObject({ line: 1, column: 1 });
    expect(issue.message).toContain("`import` statements are not allowed");
  });

  it("rejects `export const x = 1`", () => {
    const issue = onlyIssue("# Title\n\nexport const x = 1\n", "no-esm");
    expect(issue).toMatchObject({ line: 3, column: 1 });
    expect(issue.message).toContain("`export` statements are not allowed");
  });

  it("rejects an export that is not even valid JavaScript, at the line it starts", () => {
    expect(onlyIssue("export default function () {\n", "no-esm")).toMatchObject({ line: 1, column: 1 });
  });

  it("explains that prose starting with a lowercase `export` is read as code", () => {
    const issue = onlyIssue("Intro\n\nexport the data\nas CSV\n", "no-esm");
    expect(issue).toMatchObject({ line: 3, column: 1 });
    expect(issue.message).toContain("reword the line");
  });

  it("rejects {process.env.DATABASE_URL}", () => {
    const issue = onlyIssue("Intro\n\n{process.env.DATABASE_URL}\n", "no-expression");
    expect(issue).toMatchObject({ line: 3, column: 1 });
    expect(issue.message).toContain("process.env.DATABASE_URL");
  });

  it("rejects an inline constructor escape expression", () => {
    const issue = onlyIssue("Text {({}).constructor.constructor('return process')()} more\n", "no-expression");
    expect(issue).toMatchObject({ line: 1, column: 6 });
  });

  it("rejects an MDX comment {/* … */}", () => {
    expect(onlyIssue("{/* hidden */}\n", "no-expression").message).toContain("comments");
  });

  it("rejects an expression inside an allowed component", () => {
    expect(onlyIssue("<Callout>\n{danger}\n</Callout>\n", "no-expression").line).toBe(2);
  });

  it("rejects an attribute expression <Callout title={x}>", () => {
    const issue = onlyIssue("<Callout title={x}>\nHi\n</Callout>\n", "no-attribute-expression");
    expect(issue).toMatchObject({ line: 1, column: 10 });
    expect(issue.message).toContain("`title`");
  });

  it("rejects a spread attribute <Callout {...props}>", () => {
    const issue = onlyIssue("<Callout {...props}>\nHi\n</Callout>\n", "no-spread-attribute");
    expect(issue).toMatchObject({ line: 1, column: 10 });
  });

  it("rejects an expression used as a URL prop", () => {
    expect(onlyIssue('<Figure src={"javascript:alert(1)"} alt="x" />\n', "no-attribute-expression").message).toContain("`src`");
  });
});

describe("elements outside the allowlist are refused", () => {
  const tags = ["script", "iframe", "style", "form", "base", "meta", "object", "svg", "a", "div", "img", "link", "embed", "input", "button", "video", "audio"];
  it.each(tags)("rejects the lowercase element <%s>", (tag) => {
    const issue = onlyIssue(`Text\n\n<${tag} />\n`, "no-html-element");
    expect(issue).toMatchObject({ line: 3, column: 1 });
    expect(issue.message).toContain(`<${tag}>`);
  });

  it("rejects <script>alert(1)</script> inline", () => {
    expect(onlyIssue("Hello <script>alert(1)</script>\n", "no-html-element").column).toBe(7);
  });

  it("rejects <a href> with a hint to use a Markdown link", () => {
    expect(onlyIssue('<a href="https://example.com">x</a>\n', "no-html-element").message).toContain("[text](url)");
  });

  it("rejects a lowercase spelling of an allowed component, suggesting the right one", () => {
    expect(onlyIssue("<callout>x</callout>\n", "no-html-element").message).toContain("<Callout>");
  });

  it("rejects a member expression name <Callout.Body>", () => {
    onlyIssue("<Callout.Body />\n", "no-html-element");
  });

  it("rejects a namespaced name <svg:rect>", () => {
    onlyIssue("<svg:rect />\n", "no-html-element");
  });

  it("rejects a fragment <>x</>", () => {
    const issue = onlyIssue("<>x</>\n", "no-fragment");
    expect(issue.message).toContain("Fragments");
  });

  it("rejects an unknown component <Evil />", () => {
    const issue = onlyIssue("<Evil />\n", "unknown-component");
    expect(issue.message).toContain("<Evil>");
    expect(issue.message).toContain("<Callout>");
  });

  it("rejects a disallowed element nested inside an allowed component", () => {
    expect(onlyIssue("<Callout>\n<iframe src=\"https://evil.example\" />\n</Callout>\n", "no-html-element").line).toBe(2);
  });
});

describe("component props are checked against the schemas", () => {
  it("rejects an unknown prop", () => {
    const issue = onlyIssue('<Callout tone="loud">\nHi\n</Callout>\n', "unknown-prop");
    expect(issue).toMatchObject({ line: 1, column: 10 });
    expect(issue.message).toContain("`tone`");
    expect(issue.message).toContain("`type`, `title`");
  });

  it("rejects an event handler prop", () => {
    onlyIssue('<Comparison tkm="a" sl="b" onClick="alert(1)" />\n', "unknown-prop");
  });

  it("rejects props named after Object.prototype members such as __proto__ and constructor", () => {
    expect(onlyIssue('<Callout __proto__="x">\nHi\n</Callout>\n', "unknown-prop").message).toContain("`__proto__`");
    expect(onlyIssue('<Comparison tkm="a" sl="b" constructor="x" />\n', "unknown-prop").message).toContain("`constructor`");
  });

  it("rejects a bare boolean prop that is not in the schema", () => {
    onlyIssue("<Callout open>\nHi\n</Callout>\n", "unknown-prop");
  });

  it("rejects a known prop written without a value", () => {
    onlyIssue("<Callout title>\nHi\n</Callout>\n", "invalid-prop");
  });

  it("rejects a missing required prop", () => {
    const issue = onlyIssue('<Figure src="/a.png" />\n', "missing-prop");
    expect(issue.message).toContain("`alt`");
  });

  it("rejects an empty required alt text", () => {
    onlyIssue('<Figure src="/a.png" alt="" />\n', "invalid-prop");
  });

  it("rejects a value outside the enum, reporting zod's message", () => {
    const issue = onlyIssue('<Callout type="danger">\nHi\n</Callout>\n', "invalid-prop");
    expect(issue.message).toContain('expected one of "note"|"tip"|"warning"');
  });

  it("rejects a title over 200 characters", () => {
    onlyIssue(`<Callout title="${"x".repeat(201)}">\nHi\n</Callout>\n`, "invalid-prop");
  });

  it("rejects a width that is not a digit string", () => {
    onlyIssue('<Figure src="/a.png" alt="A" width="640px" />\n', "invalid-prop");
  });

  it("rejects a prop given twice", () => {
    onlyIssue('<Callout title="a" title="b">\nHi\n</Callout>\n', "invalid-prop");
  });

  it("rejects children on <Figure>", () => {
    const issue = onlyIssue('<Figure src="/a.png" alt="A">\nA caption\n</Figure>\n', "no-children");
    expect(issue.message).toContain("<Figure>");
  });

  it("rejects children on <Comparison>", () => {
    onlyIssue('<Comparison tkm="a" sl="b">x</Comparison>\n', "no-children");
  });

  it("reports every problem of one element", () => {
    const issues = validateMdxBody('<Callout title={x} foo="1" type="bad">\nHi\n</Callout>\n');
    expect(issues.map((i) => i.rule)).toEqual(["no-attribute-expression", "unknown-prop", "invalid-prop"]);
    expect(issues.map((i) => i.column)).toEqual([10, 20, 28]);
  });
});

describe("unsafe URLs are refused", () => {
  it.each([
    ["plain", "javascript:alert(1)"],
    ["mixed case", "JaVaScRiPt:alert(1)"],
    ["a decimal entity", "&#106;avascript:alert(1)"],
    ["a hex entity", "&#x6A;avascript:alert(1)"],
    ["a named colon entity", "javascript&colon;alert(1)"],
    ["a &Tab; entity", "java&Tab;script:alert(1)"],
    ["a &NewLine; entity", "java&NewLine;script:alert(1)"],
    ["a tab in a pointy destination", "<java\tscript:alert(1)>"],
    ["a leading %20", "%20javascript:alert(1)"],
    ["leading spaces in a pointy destination", "<   javascript:alert(1)>"],
    ["a percent-encoded letter", "%6Aavascript:alert(1)"],
    ["data: HTML", "data:text/html,<script>alert(1)</script>"],
    ["vbscript:", "vbscript:msgbox(1)"],
    ["a protocol-relative host", "//evil.example"],
  ])("rejects a markdown link to %s", (_, url) => {
    const issue = onlyIssue(`Intro\n\n[click](${url})\n`, "unsafe-url");
    expect(issue).toMatchObject({ line: 3, column: 1 });
    expect(issue.message).toContain("Unsafe link URL");
  });

  it("rejects a reference-style link whose definition is javascript:", () => {
    const issue = onlyIssue("[x][1]\n\n[1]: javascript:alert(1)\n", "unsafe-url");
    expect(issue).toMatchObject({ line: 3, column: 1 });
  });

  it("rejects an autolink <javascript:alert(1)>", () => {
    const issue = onlyIssue("Text\n\n<javascript:alert(1)>\n", "unsafe-url");
    expect(issue).toMatchObject({ line: 3, column: 1 });
    expect(issue.message).toContain("javascript:alert(1)");
  });

  it("rejects a safe autolink too, since MDX has no autolinks, suggesting [text](url)", () => {
    expect(onlyIssue("<https://example.com>\n", "no-autolink").message).toContain("[text](https://example.com)");
  });

  it("rejects an image ![x](javascript:alert(1))", () => {
    expect(onlyIssue("![x](javascript:alert(1))\n", "unsafe-url").message).toContain("Unsafe image URL");
  });

  it("rejects a Figure src with a NUL inside javascript:", () => {
    const issue = onlyIssue('<Figure src="java\u0000script:alert(1)" alt="x" />\n', "unsafe-url");
    expect(issue).toMatchObject({ line: 1, column: 9 });
  });

  it("rejects a Figure src starting with a control character", () => {
    const issue = onlyIssue('<Figure src="\u0001javascript:alert(1)" alt="x" />\n', "unsafe-url");
    expect(issue.message).toContain("\\u0001javascript:alert(1)");
  });

  it("rejects a Figure src with a newline inside javascript:", () => {
    onlyIssue('<Figure src="java\nscript:alert(1)" alt="x" />\n', "unsafe-url");
  });

  it("rejects a Figure src with an entity-encoded scheme", () => {
    onlyIssue('<Figure src="&#106;avascript:alert(1)" alt="x" />\n', "unsafe-url");
  });

  it("rejects a Quote href to javascript:", () => {
    onlyIssue('<Quote author="A" href="javascript:alert(1)">\nx\n</Quote>\n', "unsafe-url");
  });

  it("rejects a Video poster with a data: URL", () => {
    onlyIssue('<Video src="/v.mp4" caption="c" poster="data:image/svg+xml,<svg onload=alert(1)>" />\n', "unsafe-url");
  });

  it("rejects an Audio src on another host written protocol-relative", () => {
    onlyIssue('<Audio src="//evil.example/a.mp3" caption="c" />\n', "unsafe-url");
  });

  it("rejects an empty link URL", () => {
    onlyIssue("[x]()\n", "unsafe-url");
  });
});

describe("raw HTML is refused with a clear message", () => {
  it("rejects an HTML comment on its own line", () => {
    const issue = onlyIssue("# Title\n\n<!-- note to self -->\n", "no-html");
    expect(issue).toMatchObject({ line: 3, column: 1 });
    expect(issue.message).toMatch(/^HTML comments are not allowed; /);
  });

  it("rejects an HTML comment inside a paragraph at its `<`", () => {
    const issue = onlyIssue("Some <!-- hidden --> text\n", "no-html");
    expect(issue).toMatchObject({ line: 1, column: 6 });
    expect(issue.message).toMatch(/^HTML comments are not allowed; /);
  });

  it("rejects an HTML comment inside a component", () => {
    expect(onlyIssue("<Callout>\n<!-- hidden -->\n</Callout>\n", "no-html").line).toBe(2);
  });

  it("rejects a doctype", () => {
    onlyIssue("<!DOCTYPE html>\n", "no-html");
  });

  it("rejects a processing instruction", () => {
    onlyIssue("<?php echo 1; ?>\n", "no-html");
  });
});

describe("malformed MDX is reported with line and column", () => {
  it("reports an unclosed component at its opening tag", () => {
    const issue = onlyIssue("# Title\n\n<Callout>\n\nText\n", "mdx-syntax");
    expect(issue).toMatchObject({ line: 3, column: 1 });
    expect(issue.message).toContain("`<Callout>` is not closed");
  });

  it("reports a component left open in a paragraph", () => {
    const issue = onlyIssue("# Title\n\nSee <Callout>this\n\nMore.\n", "mdx-syntax");
    expect(issue).toMatchObject({ line: 3, column: 1 });
    expect(issue.message).toContain("before the end of the paragraph");
  });

  it("reports a stray `{` where its paragraph ends, suggesting an escape", () => {
    const issue = onlyIssue("# Title\n\nPrices rose { sharply.\n\nMore text.\n", "mdx-syntax");
    expect(issue).toMatchObject({ line: 3, column: 23 });
    expect(issue.message).toContain("\\{");
  });

  it("reports an unclosed `{` at the end of the file", () => {
    const issue = onlyIssue("Text\n\n{", "mdx-syntax");
    expect(issue).toMatchObject({ line: 3, column: 2 });
  });

  it("reports braces that are not JavaScript", () => {
    expect(onlyIssue("a {foo bar} b\n", "mdx-syntax")).toMatchObject({ line: 1, column: 7 });
  });

  it("reports a mismatched closing tag", () => {
    const issue = onlyIssue("Text\n\n<Callout></Quote>\n", "mdx-syntax");
    expect(issue).toMatchObject({ line: 3, column: 10 });
    expect(issue.message).toContain("</Quote>");
  });

  it("reports a `<` glued to text as a malformed tag", () => {
    expect(onlyIssue("if a<2 then\n", "mdx-syntax").message).toContain("Malformed tag");
  });
});

describe("lineOffset", () => {
  it("shifts the line of an issue found in the tree", () => {
    expect(onlyIssue("import fs from 'fs'\n", "no-esm", { lineOffset: 7 })).toMatchObject({ line: 8, column: 1 });
  });

  it("shifts the line of a parse error and of positions in its message", () => {
    const issue = onlyIssue("Text\n\n<Callout></Quote>\n", "mdx-syntax", { lineOffset: 10 });
    expect(issue.line).toBe(13);
    expect(issue.message).toContain("line 13, column 1");
  });

  it("shifts the line of a size or depth issue", () => {
    expect(onlyIssue(`${"> ".repeat(100)}x`, "max-depth", { lineOffset: 4 }).line).toBe(5);
  });
});

describe("issue list", () => {
  it("sorts issues by position", () => {
    const issues = validateMdxBody("[a](javascript:x)\n\n{b}\n\n<Evil />\n");
    expect(issues.map((i) => [i.line, i.rule])).toEqual([
      [1, "unsafe-url"],
      [3, "no-expression"],
      [5, "unknown-component"],
    ]);
  });

  it("lists at most the first 100 problems plus a count of the rest", () => {
    const issues = validateMdxBody("{x}\n\n".repeat(150));
    expect(issues).toHaveLength(MAX_MDX_ISSUES + 1);
    expect(issues.at(-1)).toMatchObject({ rule: "too-many-issues" });
    expect(issues.at(-1)!.message).toContain("50 more");
  });
});

describe("a second front matter block (the compiler would strip it and compile what it hid)", () => {
  const smuggled = ["---", "x: |", "  " + fence, "---", "{String(process.getBuiltinModule('child_process').execSync('id'))}", fence, ""].join("\n");

  it("is refused, so code hidden behind it never reaches the compiler", () => {
    const issue = onlyIssue(smuggled, "front-matter-twice");
    expect(issue).toMatchObject({ line: 1, column: 1 });
  });

  it.each(["---\nx: 1\n---\n\nText.\n", "\uFEFF---\nx: 1\n---\n", "---yaml\nx: 1\n---\n", "---\n"])("is refused in any spelling: %j", (body) => {
    expect(validateMdxBody(body).map((i) => i.rule)).toContain("front-matter-twice");
  });

  it("a rule after a blank line at the top is fine (neither parser reads it as front matter)", () => {
    expect(validateMdxBody("\n---\n\nText.\n")).toEqual([]);
  });

  it("a rule later in the text is fine", () => {
    expect(validateMdxBody("Some text.\n\n---\n\nMore text.\n")).toEqual([]);
  });
});
