import { describe, expect, it } from "vitest";
import { plainTextToHtml } from "@/lib/talk/plain-text";

describe("plainTextToHtml", () => {
  it("makes paragraphs from blank lines and line breaks from single newlines", () => {
    expect(plainTextToHtml("One\ntwo\n\n\nThree")).toBe("<p>One<br>two</p><p>Three</p>");
  });

  it("escapes every markup character", () => {
    expect(plainTextToHtml(`<script>alert("x")</script> & 'q'`)).toBe("<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</p>");
  });
});
