import { describe, expect, it } from "vitest";
import { htmlText, renderedText, SEGMENT_SEPARATOR } from "@/lib/wiki/rendered-text";

describe("the rendered text passages are located in", () => {
  it("is the HTML's text content with entities decoded, as a browser's DOM gives it", () => {
    expect(htmlText('<h2 id="x">Tea &amp; talk</h2>\n<p>A <a href="/wiki/A" title="A &quot;page&quot;">link</a>&nbsp;here &lt;3</p>')).toBe("Tea & talk\nA link\u00a0here <3");
  });

  it("drops the line feed right after a <pre> start tag, as an HTML parser does (offsets after a code block agree with the browser's)", () => {
    // Each expected text is what Chromium's DOM holds for the markup (checked with a TreeWalker over the parsed fragment).
    const cases: [string, string][] = [
      ["<pre>\nfoo</pre><p>after</p>", "fooafter"],
      ["<pre>\n\nfoo</pre>", "\nfoo"],
      ["<pre>&#10;foo</pre>", "foo"],
      ["<pre>\r\nx</pre>", "x"],
      ["<listing>\nl</listing>", "l"],
      ["<pre><code>\nx</code></pre>", "\nx"],
      ["<pre><b>\nq</b></pre>", "\nq"],
      ["<pre><!-- c -->\nz</pre>", "\nz"],
      ["<pre></pre>\ny", "\ny"],
      ["<pre>x\n</pre>", "x\n"],
    ];
    for (const [html, text] of cases) expect(htmlText(html), html).toBe(text);
    // A fenced code block first, then words after it: the same offsets as the browser's.
    const html = "<pre>\ncode line one\ncode line two\n</pre>\n<p>After the code block.</p>";
    const text = htmlText(html);
    expect(text.indexOf("code line two")).toBe("code line one\n".length);
    expect(text.indexOf("After the code block.")).toBe("code line one\ncode line two\n\n".length);
  });

  it("reads a carriage return in the markup as a line feed, as a browser's input stream does (one from &#13; stays)", () => {
    expect(htmlText("<p>a\r\nb\rc&#13;&#10;d</p>")).toBe("a\nb\nc\r\nd");
  });

  it("joins a difference page's sides and body in page order", () => {
    expect(renderedText({ tkm: "Mandated.", sl: "Chosen.", html: "<p>Body.</p>" })).toBe(["Mandated.", "Chosen.", "Body."].join(SEGMENT_SEPARATOR));
    expect(renderedText({ html: "<p>Body only.</p>" })).toBe("Body only.");
  });

  it("reads a large body in linear time", () => {
    const html = "<p>" + "word &amp; ".repeat(20_000) + "</p>";
    const began = performance.now();
    expect(htmlText(html).length).toBe("word & ".length * 20_000);
    expect(performance.now() - began).toBeLessThan(500);
  });
});
