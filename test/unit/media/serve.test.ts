import { describe, expect, it } from "vitest";
import { contentDisposition, matchesEtag, mediaHeaders, parseRange } from "@/lib/media/serve";
import { holdsActiveContent } from "@/lib/media/inspect";
import { extensionOf, fileNameOf, mediaPath } from "@/lib/media/file-types";

describe("parseRange", () => {
  it("reads one range, a suffix and an open end; clamps the end to the size", () => {
    expect(parseRange("bytes=0-9", 100)).toEqual({ kind: "partial", start: 0, end: 9 });
    expect(parseRange("bytes=90-", 100)).toEqual({ kind: "partial", start: 90, end: 99 });
    expect(parseRange("bytes=-5", 100)).toEqual({ kind: "partial", start: 95, end: 99 });
    expect(parseRange("bytes=-500", 100)).toEqual({ kind: "partial", start: 0, end: 99 });
    expect(parseRange("bytes=50-5000", 100)).toEqual({ kind: "partial", start: 50, end: 99 });
  });

  it("is unsatisfiable past the end (416), and gives the whole file for what it does not understand", () => {
    expect(parseRange("bytes=100-", 100)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=-0", 100)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange(null, 100)).toEqual({ kind: "full" });
    expect(parseRange("bytes=0-1,5-6", 100)).toEqual({ kind: "full" });
    expect(parseRange("items=0-1", 100)).toEqual({ kind: "full" });
    expect(parseRange("bytes=9-1", 100)).toEqual({ kind: "full" });
    expect(parseRange("bytes=" + "9".repeat(100000) + "-", 100)).toEqual({ kind: "full" });
  });
});

describe("the answer's headers", () => {
  it("are immutable, nosniff and sandboxed; PDFs are attachments", () => {
    const image = mediaHeaders({ mime: "image/png", etag: '"abc"', name: "Garden.png" });
    expect(image).toMatchObject({ "Cache-Control": "public, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff", ETag: '"abc"' });
    expect(image["Content-Security-Policy"]).toContain("sandbox");
    expect(image["Content-Security-Policy"]).not.toMatch(/script-src|allow-scripts/);
    expect(image["Content-Disposition"]).toMatch(/^inline;/);
    expect(mediaHeaders({ mime: "application/pdf", etag: '"x"', name: "a.pdf" })["Content-Disposition"]).toMatch(/^attachment;/);
  });

  it("names a download safely, whatever the name holds", () => {
    expect(contentDisposition("inline", 'a"b\\c;d%e.png')).toBe(`inline; filename="a_b_c_d_e.png"; filename*=UTF-8''a%22b%5Cc%3Bd%25e.png`);
    expect(contentDisposition("attachment", "Café.pdf")).toBe(`attachment; filename="Caf_.pdf"; filename*=UTF-8''Caf%C3%A9.pdf`);
  });

  it("matches If-None-Match lists, weak tags and *", () => {
    expect(matchesEtag('"a", W/"b"', '"b"')).toBe(true);
    expect(matchesEtag("*", '"b"')).toBe(true);
    expect(matchesEtag('"a"', '"b"')).toBe(false);
    expect(matchesEtag(null, '"b"')).toBe(false);
  });
});

describe("file names and addresses", () => {
  it("takes the ending and builds the immutable address", () => {
    expect(extensionOf("Garden.JPG")).toBe("jpg");
    expect(extensionOf(".hidden")).toBe("");
    expect(extensionOf("No ending")).toBe("");
    expect(fileNameOf("File:Garden photo.jpg")).toBe("Garden_photo.jpg");
    expect(mediaPath("a".repeat(64), "File:Café?.jpg")).toBe(`/media/${"a".repeat(64)}/Caf%C3%A9%3F.jpg`);
  });
});

describe("holdsActiveContent", () => {
  it("finds markup or script anywhere, in any case, across scan windows", () => {
    const filler = Buffer.alloc(3 * 1024 * 1024 - 3, 0x41);
    expect(holdsActiveContent(Buffer.concat([filler, Buffer.from("<ScRiPt>")]))).toBe(true);
    // Straddling the first 1 MiB window's end.
    const straddle = Buffer.concat([Buffer.alloc(1024 * 1024 - 3, 0x41), Buffer.from("<html>")]);
    expect(holdsActiveContent(straddle)).toBe(true);
    expect(holdsActiveContent(Buffer.from("javascript:alert(1)"))).toBe(true);
    expect(holdsActiveContent(Buffer.from("<?php echo 1; ?>"))).toBe(true);
  });

  it("leaves plain bytes, XMP-like metadata and a run of '<' alone", () => {
    expect(holdsActiveContent(Buffer.from('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF></rdf:RDF></x:xmpmeta>'))).toBe(false);
    const many = Buffer.from("<".repeat(4 * 1024 * 1024));
    expect(holdsActiveContent(many)).toBe(false);
  });
});
