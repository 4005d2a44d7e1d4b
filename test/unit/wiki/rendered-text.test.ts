import { describe, expect, it } from "vitest";
import { htmlText, renderedText, SEGMENT_SEPARATOR } from "@/lib/wiki/rendered-text";

describe("the rendered text passages are located in", () => {
  it("is the HTML's text content with entities decoded, as a browser's DOM gives it", () => {
    expect(htmlText('<h2 id="x">Tea &amp; talk</h2>\n<p>A <a href="/wiki/A" title="A &quot;page&quot;">link</a>&nbsp;here &lt;3</p>')).toBe("Tea & talk\nA link\u00a0here <3");
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
