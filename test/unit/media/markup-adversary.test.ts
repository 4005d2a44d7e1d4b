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

describe("UTF-16 markup behind a media header (adversary round 2)", () => {
  const utf16le = (text: string) => Buffer.from(text, "utf16le");
  const utf16be = (text: string) => Buffer.from(text, "utf16le").swap16();

  it("finds markup written in UTF-16, either byte order, at an even or odd offset", async () => {
    const sound = mp3(1);
    for (const encode of [utf16le, utf16be]) {
      for (const html of ["<script>alert(document.domain)</script>", '<img src=x onerror="alert(1)">', "<svg onload=alert(1)>"]) {
        expect(findMarkup(Buffer.concat([sound, encode(html)])), html).not.toBeNull();
        expect(findMarkup(Buffer.concat([sound, Buffer.from([7]), encode(html)])), html).not.toBeNull();
      }
    }
  });

  it("finds nothing in real audio, nor in binary full of zeros and '<'", () => {
    expect(findMarkup(mp3(2, 330))).toBeNull();
    const bytes = Buffer.alloc(4 * 2 ** 20);
    for (let i = 0; i < bytes.length; i++) bytes[i] = i % 7 === 0 ? 0x3c : i % 3 === 0 ? 0 : (i * 2654435761) >>> 24;
    expect(findMarkup(bytes)).toBeNull();
  });

  it("stays linear on 20 MB of UTF-16 '<'", () => {
    const started = performance.now();
    expect(findMarkup(Buffer.from("<".repeat(10_000_000), "utf16le"))).toBeNull();
    expect(performance.now() - started).toBeLessThan(8000);
  });
});

describe("the UTF-16 scan's cost (adversary round 2)", () => {
  it("looks for a UTF-16 '<' within each window only: 64 MB with one at the very end", () => {
    const bytes = Buffer.alloc(64 * 2 ** 20, 0x41);
    bytes.write("<\0", bytes.length - 2, "latin1");
    const started = performance.now();
    expect(findMarkup(bytes)).toBeNull();
    expect(performance.now() - started).toBeLessThan(6000);
  });
});
