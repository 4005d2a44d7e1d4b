import type { Element } from "domhandler";
import { DomUtils, ElementType, parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";
import vectors from "@/test/fixtures/xss-vectors.json";
import { isSafeUrl } from "@/lib/mdx/url";
import {
  ALLOWED_ATTRIBUTES,
  ALLOWED_TAGS,
  LINK_REL,
  MAX_POST_CHARS,
  MAX_TAG_DEPTH,
  absoluteSafeUrl,
  postProblem,
  renderPostSource,
  sanitizeHtml,
} from "@/lib/talk/sanitize";

type Vector = { id: string; source: string; note: string; vector: string };
const xssVectors: Vector[] = vectors;

type DomNode = ReturnType<typeof parseDocument>["children"][number];

const isElement = (node: DomNode): node is Element =>
  node.type === ElementType.Tag || node.type === ElementType.Script || node.type === ElementType.Style;

const REL = `rel="${LINK_REL}"`;
const allowedTags: ReadonlySet<string> = new Set(ALLOWED_TAGS);

/**
 * Parse `html` with an independent parser (htmlparser2, the version installed
 * at the top level, not sanitize-html's copy) and return every violation of
 * the output contract: tags and attributes off the allowlist, unsafe or
 * non-absolute URLs, links without the fixed rel, and comments, CDATA,
 * directives or raw-text elements.
 */
function violations(html: string): string[] {
  const problems: string[] = [];
  const visit = (nodes: DomNode[], depth: number) => {
    for (const node of nodes) {
      if (node.type === ElementType.Comment || node.type === ElementType.CDATA || node.type === ElementType.Directive) {
        problems.push(`${node.type} node`);
      }
      if (node.type === ElementType.Script || node.type === ElementType.Style) problems.push(`<${node.type}> element`);
      if (!isElement(node)) continue;
      if (!allowedTags.has(node.name)) problems.push(`tag <${node.name}>`);
      const allowed = ALLOWED_ATTRIBUTES[node.name as keyof typeof ALLOWED_ATTRIBUTES] ?? [];
      for (const [name, value] of Object.entries(node.attribs)) {
        if (!allowed.includes(name)) problems.push(`attribute ${name} on <${node.name}>`);
        if (name === "href" || name === "cite") {
          if (!isSafeUrl(value)) problems.push(`unsafe ${name}: ${value}`);
          if (!/^(?:https?:\/\/|mailto:)/.test(value)) problems.push(`non-absolute ${name}: ${value}`);
        }
      }
      if (node.name === "a") {
        if (node.attribs.rel !== LINK_REL) problems.push(`link rel ${node.attribs.rel}`);
        if (node.attribs.href === undefined) problems.push("link without href");
      }
      if (depth > MAX_TAG_DEPTH + 1) problems.push(`nesting depth ${depth}`);
      visit(node.children, depth + 1);
    }
  };
  visit(parseDocument(html, { decodeEntities: true }).children, 1);
  return problems;
}

/** The visible text of some HTML, as a browser would show it (entities decoded). */
function textOf(html: string): string {
  return DomUtils.textContent(parseDocument(html, { decodeEntities: true }));
}

describe("the invariant checker", () => {
  it("reports what it is meant to catch", () => {
    expect(violations(`<img src=x onerror=alert(1)>`)).toEqual(["tag <img>", "attribute src on <img>", "attribute onerror on <img>"]);
    expect(violations(`<a href="javascript:alert(1)" rel="${LINK_REL}">x</a>`)).toEqual([
      "unsafe href: javascript:alert(1)",
      "non-absolute href: javascript:alert(1)",
    ]);
    expect(violations(`<a href="/wiki/x">x</a>`)).toEqual(["non-absolute href: /wiki/x", "link rel undefined"]);
    expect(violations(`<b style="x">b</b><!-- c --><script></script>`)).toEqual(["attribute style on <b>", "comment node", "<script> element", "tag <script>"]);
    expect(violations(`<a href="https://example.org/" rel="${LINK_REL}">ok</a>`)).toEqual([]);
  });
});

describe("xss-vectors fixture", () => {
  it("has at least 150 distinct vectors, each with an id and source", () => {
    expect(xssVectors.length).toBeGreaterThanOrEqual(150);
    expect(new Set(xssVectors.map((v) => v.id)).size).toBe(xssVectors.length);
    expect(new Set(xssVectors.map((v) => v.vector)).size).toBe(xssVectors.length);
    for (const v of xssVectors) expect(v.source.length).toBeGreaterThan(0);
  });
});

describe("sanitizeHtml on every XSS vector", () => {
  it.each(xssVectors.map((v) => [v.id, v.vector] as const))("%s: only allowlisted markup survives, idempotently", (_id, vector) => {
    const once = sanitizeHtml(vector);
    expect(violations(once)).toEqual([]);
    expect(sanitizeHtml(once)).toBe(once);
    // Stable when re-parsed and re-serialised by the same sanitiser.
    expect(sanitizeHtml(sanitizeHtml(once))).toBe(once);
  });
});

describe("renderPostSource on every XSS vector", () => {
  it.each(xssVectors.map((v) => [v.id, v.vector] as const))("%s: only allowlisted markup, and a fixed point of sanitizeHtml", (_id, vector) => {
    const html = renderPostSource(vector);
    expect(violations(html)).toEqual([]);
    expect(sanitizeHtml(html)).toBe(html);
  });
});

describe("allowed markup", () => {
  it("keeps every allowlisted tag and attribute exactly", () => {
    const html =
      `<a href="https://example.org/a?b=1&amp;c=2" title="A page" rel="${LINK_REL}">link</a> ` +
      `<abbr title="knowledge management">KM</abbr> <acronym title="Traditional KM">TKM</acronym> <b>b</b> ` +
      `<cite>Beach</cite> <code>x &lt; y</code> <del datetime="2008-03-01T10:00:00Z">old</del> <em>em</em> <i>i</i> ` +
      `<q cite="http://example.org/q">quote</q> <strike>s</strike> <strong>strong</strong><br />` +
      `<blockquote cite="https://example.org/source"><p>quoted</p></blockquote><p>para</p>`;
    expect(sanitizeHtml(html)).toBe(html);
  });

  it("renders source markup with the same result", () => {
    expect(renderPostSource(`<a href="https://example.org/" title="Example">Example</a>`)).toBe(
      `<p><a href="https://example.org/" title="Example" ${REL}>Example</a></p>`,
    );
    expect(renderPostSource(`<q cite="http://example.org/q">q</q> and <del datetime="2008-01-01">gone</del>`)).toBe(
      `<p><q cite="http://example.org/q">q</q> and <del datetime="2008-01-01">gone</del></p>`,
    );
    expect(renderPostSource(`<ABBR TITLE="knowledge management">KM</ABBR>`)).toBe(`<p><abbr title="knowledge management">KM</abbr></p>`);
    expect(renderPostSource(`<abbr title='say "hi" > bye'>x</abbr>`)).toBe(`<p><abbr title="say &quot;hi&quot; &gt; bye">x</abbr></p>`);
  });

  it("keeps mailto links", () => {
    expect(sanitizeHtml(`<a href="mailto:kevin@example.org">mail</a>`)).toBe(`<a href="mailto:kevin@example.org" ${REL}>mail</a>`);
  });

  it("lower-cases the scheme and trims the URL so the stored form is canonical", () => {
    expect(sanitizeHtml(`<a href="  HTTPS://example.org/x  ">x</a>`)).toBe(`<a href="https://example.org/x" ${REL}>x</a>`);
  });
});

describe("link rel", () => {
  it("adds rel to every link", () => {
    expect(sanitizeHtml(`<a href="http://example.org/">x</a>`)).toBe(`<a href="http://example.org/" ${REL}>x</a>`);
  });

  it("replaces an author's rel instead of duplicating it", () => {
    const out = sanitizeHtml(`<a rel="opener" href="http://example.org/" rel="me">x</a>`);
    expect(out).toBe(`<a href="http://example.org/" ${REL}>x</a>`);
    expect(out.match(/rel=/g)).toHaveLength(1);
    expect(sanitizeHtml(out)).toBe(out);
  });
});

describe("URL schemes in href and cite", () => {
  const disguised = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\rscript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "jav&#9;ascript:alert(1)",
    "jav&Tab;ascript:alert(1)",
    "java&NewLine;script:alert(1)",
    "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
    "&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)",
    "javascript&colon;alert(1)",
    "javascript&#58;alert(1)",
    "%6Aavascript:alert(1)",
    "%6A%61%76%61%73%63%72%69%70%74%3Aalert(1)",
    "&#1;javascript:alert(1)",
    "\u0001javascript:alert(1)",
    "ｊａｖａｓｃｒｉｐｔ：alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,x",
    "vbscript:msgbox(1)",
    "VbScRiPt:msgbox(1)",
    "vbscript&colon;msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/",
    "livescript:alert(1)",
    "https:javascript:alert(1)",
    "http:example.org",
    "//evil.example/",
    "\\\\evil.example/",
    "/\\evil.example/",
    "/wiki/Page",
    "../page",
    "page.html",
    "#top",
    "?q=1",
    "",
    "   ",
  ];

  it.each(disguised)("drops href=%j and unwraps the link", (url) => {
    const attr = url.replace(/"/g, "&quot;");
    expect(sanitizeHtml(`<a href="${attr}" title="t">text</a>`)).toBe("text");
    const rendered = renderPostSource(`<a href="${attr}">text</a>`);
    // In source, a tag whose attribute value holds "<" is not markup at all: it shows as text.
    if (url.includes("<")) expect(rendered).not.toContain("<a");
    else expect(rendered).toBe("<p>text</p>");
  });

  it.each(disguised)("drops cite=%j but keeps the quotation", (url) => {
    const attr = url.replace(/"/g, "&quot;");
    expect(sanitizeHtml(`<blockquote cite="${attr}">q</blockquote>`)).toBe("<blockquote>q</blockquote>");
    expect(sanitizeHtml(`<q cite="${attr}">q</q>`)).toBe("<q>q</q>");
  });

  it("accepts only absolute http, https and mailto URLs", () => {
    expect(absoluteSafeUrl("https://example.org/")).toBe("https://example.org/");
    expect(absoluteSafeUrl("HTTP://example.org")).toBe("http://example.org");
    expect(absoluteSafeUrl("mailto:a@example.org")).toBe("mailto:a@example.org");
    expect(absoluteSafeUrl("mailto:")).toBeNull();
    expect(absoluteSafeUrl("http://")).toBeNull();
    expect(absoluteSafeUrl("/relative")).toBeNull();
    expect(absoluteSafeUrl("http://example.org/\u0000")).toBeNull();
  });

  it("keeps a link whose text happens to look like a dangerous URL", () => {
    expect(sanitizeHtml(`<a href="https://example.org/">javascript:alert(1)</a>`)).toBe(`<a href="https://example.org/" ${REL}>javascript:alert(1)</a>`);
  });
});

describe("tags that are not allowed", () => {
  const forbidden: [string, string][] = [
    ["script", `<script>alert(1)</script>`],
    ["style", `<style>body{background:red}</style>`],
    ["iframe", `<iframe src="http://evil.example/"></iframe>`],
    ["img onerror", `<img src=x onerror=alert(1)>`],
    ["svg onload", `<svg onload=alert(1)><circle r=1 /></svg>`],
    ["math", `<math><mi xlink:href="javascript:alert(1)">x</mi></math>`],
    ["form", `<form action="http://evil.example/"><button>go</button></form>`],
    ["input", `<input autofocus onfocus=alert(1)>`],
    ["object", `<object data="x.swf"></object>`],
    ["embed", `<embed src="x.swf">`],
    ["base", `<base href="http://evil.example/">`],
    ["meta", `<meta http-equiv="refresh" content="0;url=http://evil.example/">`],
    ["link", `<link rel="stylesheet" href="http://evil.example/x.css">`],
    ["template", `<template><img src=x onerror=alert(1)></template>`],
    ["noscript", `<noscript><img src=x onerror=alert(1)></noscript>`],
    ["div", `<div class="x">div</div>`],
    ["span", `<span>span</span>`],
    ["h1", `<h1>heading</h1>`],
    ["ul/li", `<ul><li>item</li></ul>`],
    ["table", `<table><tr><td>cell</td></tr></table>`],
    ["u", `<u>underline</u>`],
  ];

  it.each(forbidden)("sanitizeHtml escapes <%s> so it shows as text", (_name, html) => {
    const out = sanitizeHtml(html);
    expect(violations(out)).toEqual([]);
    expect(out).toContain("&lt;");
    expect(sanitizeHtml(out)).toBe(out);
  });

  it.each(forbidden)("renderPostSource shows <%s> exactly as typed", (_name, html) => {
    const out = renderPostSource(html);
    expect(violations(out)).toEqual([]);
    expect(textOf(out)).toBe(html);
  });

  it("escapes script content instead of running or silently dropping it", () => {
    expect(sanitizeHtml(`<script>alert("x")</script>`)).toBe(`&lt;script&gt;alert("x")&lt;/script&gt;`);
    expect(renderPostSource(`<script>alert("x")</script>`)).toBe(`<p>&lt;script&gt;alert("x")&lt;/script&gt;</p>`);
  });

  it("shows an angle-bracketed aside from the origin pingback verbatim", () => {
    const body = "[...] They are all the same! (and I also wonder if Kevin Jones <who I also respect> might have changed his mind 18 months after this particular post) [...]";
    const html = renderPostSource(body);
    expect(textOf(html)).toBe(body);
    expect(html).toContain("&lt;who I also respect&gt;");
  });
});

describe("attributes that are not allowed", () => {
  it("drops event handlers, style, class and id from allowed tags", () => {
    expect(sanitizeHtml(`<b onclick="alert(1)" style="color:red" class="x" id="y">b</b>`)).toBe("<b>b</b>");
    expect(sanitizeHtml(`<a href="http://example.org/" onmouseover="alert(1)" style="x" target="_blank" id="z">a</a>`)).toBe(
      `<a href="http://example.org/" ${REL}>a</a>`,
    );
    expect(sanitizeHtml(`<p onclick=alert(1) title=x>p</p>`)).toBe("<p>p</p>");
    expect(sanitizeHtml(`<abbr title="t" onmouseover=alert(1)>a</abbr>`)).toBe(`<abbr title="t">a</abbr>`);
    expect(sanitizeHtml(`<del datetime="2008" cite="http://example.org/">d</del>`)).toBe(`<del datetime="2008">d</del>`);
  });

  it("escapes quotes in attribute values so they cannot break out", () => {
    const out = sanitizeHtml(`<a href="http://example.org/" title="&quot; onmouseover=&quot;alert(1)">x</a>`);
    expect(violations(out)).toEqual([]);
    expect(out).toBe(`<a href="http://example.org/" title="&quot; onmouseover=&quot;alert(1)" ${REL}>x</a>`);
  });
});

describe("comments, CDATA, doctypes and processing instructions", () => {
  it.each([
    `<!-- <script>alert(1)</script> -->`,
    `<![CDATA[<script>alert(1)</script>]]>`,
    `<!DOCTYPE html>`,
    `<?xml version="1.0"?>`,
    `<?php echo 1; ?>`,
    `<!--[if IE]><script>alert(1)</script><![endif]-->`,
  ])("%s is inert in stored HTML and shown as text in source", (input) => {
    const stored = sanitizeHtml(input);
    expect(violations(stored)).toEqual([]);
    expect(stored).not.toMatch(/<[!?]/);
    const rendered = renderPostSource(input);
    expect(violations(rendered)).toEqual([]);
    expect(textOf(rendered)).toBe(input);
  });
});

describe("malformed markup", () => {
  it("closes unclosed tags", () => {
    expect(sanitizeHtml("<b>bold <i>both")).toBe("<b>bold <i>both</i></b>");
    expect(renderPostSource("<b>bold <i>both")).toBe("<p><b>bold <i>both</i></b></p>");
  });

  it("drops stray close tags in source", () => {
    expect(renderPostSource("</b></i>text</a>")).toBe("<p>text</p>");
  });

  it("repairs misnesting in source", () => {
    expect(renderPostSource("<b><i>x</b>y</i>")).toBe("<p><b><i>x</i></b>y</p>");
  });

  it("does not nest links", () => {
    expect(renderPostSource(`<a href="http://a.example/">one <a href="http://b.example/">two</a>`)).toBe(
      `<p><a href="http://a.example/" ${REL}>one </a><a href="http://b.example/" ${REL}>two</a></p>`,
    );
  });

  it("treats an incomplete tag as text", () => {
    expect(renderPostSource(`<a href="javascript:alert(1)`)).toBe(`<p>&lt;a href="javascript:alert(1)</p>`);
    expect(renderPostSource("1 < 2 and 3 > 2")).toBe("<p>1 &lt; 2 and 3 &gt; 2</p>");
  });

  it("keeps HTML character references meaningful and escapes bare ampersands", () => {
    expect(renderPostSource("AT&T &amp; &lt;b&gt; &#8217;")).toBe("<p>AT&amp;T &amp; &lt;b&gt; \u2019</p>");
  });

  it("strips NUL and control characters", () => {
    expect(renderPostSource("a\u0000b\u0007c")).toBe("<p>abc</p>");
    expect(sanitizeHtml("<scr\u0000ipt>x</script>")).toBe("&lt;script&gt;x&lt;/script&gt;");
  });
});

describe("paragraphs", () => {
  it("splits paragraphs on blank lines and breaks lines on single newlines", () => {
    expect(renderPostSource("One\ntwo\n\n\nThree")).toBe("<p>One<br />two</p><p>Three</p>");
  });

  it("treats whitespace-only lines and CRLF as blank lines", () => {
    expect(renderPostSource("One\r\n  \r\nTwo\r\nthree")).toBe("<p>One</p><p>Two<br />three</p>");
  });

  it("renders the origin comment from Howard Johnson as two paragraphs", () => {
    const html = renderPostSource("Hey Kevin;\n\nI’ve begun to think of KM as knowledge resource management.");
    expect(html).toBe("<p>Hey Kevin;</p><p>I’ve begun to think of KM as knowledge resource management.</p>");
  });

  it("does not double a line break written as <br> plus newline", () => {
    expect(renderPostSource("a<br>\nb<br/>c")).toBe("<p>a<br />b<br />c</p>");
  });

  it("treats <p> and </p> in source as paragraph boundaries", () => {
    expect(renderPostSource("<p>one</p><p>two</p>three")).toBe("<p>one</p><p>two</p><p>three</p>");
  });

  it("never puts a blockquote inside a paragraph; its content gets its own paragraphs", () => {
    expect(renderPostSource(`Before\n<blockquote cite="https://example.org/">Q1\nline\n\nQ2</blockquote>\nAfter`)).toBe(
      `<p>Before</p><blockquote cite="https://example.org/"><p>Q1<br />line</p><p>Q2</p></blockquote><p>After</p>`,
    );
  });

  it("nests blockquotes", () => {
    expect(renderPostSource("<blockquote>a<blockquote>b</blockquote>c</blockquote>")).toBe(
      "<blockquote><p>a</p><blockquote><p>b</p></blockquote><p>c</p></blockquote>",
    );
  });

  it("closes inline markup before a blockquote", () => {
    expect(renderPostSource("<b>bold<blockquote>q</blockquote>after</b>")).toBe("<p><b>bold</b></p><blockquote><p>q</p></blockquote><p>after</p>");
  });

  it("turns a blank line inside inline markup into two line breaks", () => {
    expect(renderPostSource("<b>one\n\n\ntwo</b>")).toBe("<p><b>one<br /><br />two</b></p>");
  });

  it("drops empty paragraphs and trims edges", () => {
    expect(renderPostSource("\n\n  <br>  \n\n text \n\n<b></b>\n\n")).toBe("<p>text</p>");
  });

  it("produces stored HTML that sanitizeHtml leaves alone", () => {
    const samples = ["a\nb\n\nc", "<blockquote>x\n\ny</blockquote>", "<a href='https://e.org'>e</a>\n<b>b\n\nc</b>"];
    for (const s of samples) {
      const html = renderPostSource(s);
      expect(sanitizeHtml(html)).toBe(html);
    }
  });
});

describe("postProblem", () => {
  it("accepts an ordinary post", () => {
    expect(postProblem("Very good. So, using this, do you see KM as more of a collection?")).toBeNull();
    expect(postProblem(`<blockquote>quoted</blockquote>reply`)).toBeNull();
  });

  it("refuses an empty post", () => {
    expect(postProblem("")).toBe("The post is empty.");
    expect(postProblem("   \n\t\n ")).toBe("The post is empty.");
    expect(postProblem("\u200B\uFEFF")).toBe("The post is empty.");
    expect(postProblem("<b></b><br>")).toBe("The post is empty.");
  });

  it("refuses a 100 KB post", () => {
    const problem = postProblem("x".repeat(100_000));
    expect(problem).toMatch(/too long/);
    expect(problem).toContain("20,000");
  });

  it("accepts exactly MAX_POST_CHARS characters, counting code points", () => {
    expect(postProblem("x".repeat(MAX_POST_CHARS))).toBeNull();
    expect(postProblem("😀".repeat(MAX_POST_CHARS))).toBeNull();
    expect(postProblem("x".repeat(MAX_POST_CHARS + 1))).toMatch(/too long/);
  });

  it("refuses 300 nested tags", () => {
    expect(postProblem("<b>".repeat(300) + "deep")).toMatch(/nested 300 deep/);
    expect(postProblem("<b><i>".repeat(150) + "deep" + "</i></b>".repeat(150))).toMatch(/nested 300 deep/);
  });

  it("allows nesting up to MAX_TAG_DEPTH", () => {
    expect(postProblem("<b>".repeat(MAX_TAG_DEPTH) + "x")).toBeNull();
    expect(postProblem("<b>".repeat(MAX_TAG_DEPTH + 1) + "x")).toMatch(/nested 21 deep/);
  });

  it("does not count tags that are shown as text", () => {
    expect(postProblem("<div>".repeat(300) + "deep")).toBeNull();
  });
});

describe("robustness", () => {
  it("handles 300 nested tags given straight to sanitizeHtml by escaping the excess", () => {
    const out = sanitizeHtml("<b>".repeat(300) + "deep");
    expect(violations(out)).toEqual([]);
    expect(sanitizeHtml(out)).toBe(out);
  });

  it("renders oversize and pathological sources quickly", () => {
    const start = performance.now();
    renderPostSource(`<b x="`.repeat(20_000));
    renderPostSource("<a href=x ".repeat(10_000));
    renderPostSource("<".repeat(100_000));
    sanitizeHtml("<b>".repeat(20_000));
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});

describe("character references that decode to characters no page may hold", () => {
  it("drops controls and noncharacters that a post spells as references", async () => {
    const { renderPostSource } = await import("@/lib/talk/sanitize");
    const html = renderPostSource("a&#x1;b &#xFFFE;c &#x7;d");
    for (const c of ["\u0001", "\u0007", "\uFFFE"]) expect(html).not.toContain(c);
    expect(html).toContain("ab");
  });
});
