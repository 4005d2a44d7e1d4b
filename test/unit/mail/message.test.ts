import { describe, expect, it } from "vitest";
import { subjectLine } from "@/lib/mail/message";

describe("subjectLine", () => {
  it("makes one line of text with line breaks (no header can be added through it)", () => {
    expect(subjectLine("Page: x\r\nBcc: evil@example.net\n\tX-Injected: yes")).toBe("Page: x Bcc: evil@example.net X-Injected: yes");
  });

  it("never cuts inside a character, whichever the offset of the cut", () => {
    for (const prefix of ["", "a"]) {
      const line = subjectLine(prefix + "\u{1F4A9}".repeat(20_000));
      expect([...line]).toHaveLength(200);
      expect(line.endsWith("…")).toBe(true);
      expect(line).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });
});
