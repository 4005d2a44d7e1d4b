import { describe, expect, it } from "vitest";
import { findMarkup } from "@/lib/media/content-checks";
import { mp3 } from "../../support/media-files";

/** HTML hidden after a real MP3's frames (an HTML page a browser could be made to read). */
const behindMp3 = (html: string) => Buffer.concat([mp3(1), Buffer.from(html, "latin1")]);

describe("markup behind a media header (adversary round 2)", () => {
  it("finds a link however many spaces or slashes come before its href, and <area href>", () => {
    // Entity-encoded schemes are not script schemes to the scan: the link itself must be found.
    const href = 'href="java&#x09;script:alert(document.domain)">x</a>';
    expect(findMarkup(behindMp3(`<a${" ".repeat(20)}${href}`))).not.toBeNull();
    expect(findMarkup(behindMp3(`<a/${href}`))).not.toBeNull();
    expect(findMarkup(behindMp3(`<a\n/\n${href}`))).not.toBeNull();
    expect(findMarkup(behindMp3(`<area ${href}`))).not.toBeNull();
  });

  it("stays linear on a '<a' followed by a long run of spaces, many times", () => {
    const started = performance.now();
    expect(findMarkup(Buffer.from(`<a${" ".repeat(400)}x`.repeat(10_000), "latin1"))).toBeNull();
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
