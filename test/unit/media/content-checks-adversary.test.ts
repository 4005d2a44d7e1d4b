import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { checkPdf } from "@/lib/media/content-checks";
import { pdfOf, pdfStream } from "../../support/media-files";

const PAGES = "<</Type/Pages/Kids[3 0 R]/Count 1>>";
const PAGE = "<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>";
/** A catalogue that runs script when the document opens. */
const SCRIPTED_CATALOG = "<</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>";
const refused = (bytes: Buffer) => {
  const verdict = checkPdf(bytes);
  return verdict.ok ? null : verdict.message;
};

/** An object stream's decoded body: its header (object number, offset) and the objects. */
function objectStreamBody(number: number, object: string): { body: Buffer; first: number } {
  const head = `${number} 0\n`;
  return { body: Buffer.from(head + object + "\n", "latin1"), first: head.length };
}

/**
 * A PDF whose catalogue (object 1) lives in an object stream (object 4) found through a
 * cross-reference stream (object 5), as PDF 1.5 writers do; `extra` is added to the object
 * stream's dictionary.
 */
function catalogInObjectStream(extra: string): Buffer {
  const { body, first } = objectStreamBody(1, SCRIPTED_CATALOG);
  const objects: (string | Buffer)[] = [
    "null",
    PAGES,
    PAGE,
    pdfStream(`/Type/ObjStm/N 1/First ${first}/Filter/FlateDecode${extra}`, zlib.deflateSync(body)),
    // The cross-reference stream's entries are binary and never read by the check; its dictionary is.
    pdfStream("/Type/XRef/Size 6/W[1 2 1]/Root 1 0 R", Buffer.from([2, 0, 4, 0])),
  ];
  return pdfOf(objects, "<</Root 1 0 R/Size 6>>");
}

describe("PDF checks against an attacker (adversary round 2)", () => {
  it("still read an object stream whose dictionary also says it is a font program, a picture, metadata or a cross-reference stream", () => {
    // A reader finds compressed objects through the cross-reference stream's entries and reads the stream
    // they point at by its /N and /First: what else its dictionary says does not stop it.
    expect(refused(catalogInObjectStream(""))).toMatch(/JavaScript/);
    expect(refused(catalogInObjectStream("/Length1 10"))).toMatch(/JavaScript|cannot be checked/);
    expect(refused(catalogInObjectStream("/Subtype/Image"))).toMatch(/JavaScript|cannot be checked/);
    expect(refused(catalogInObjectStream("/Subtype/Type1C"))).toMatch(/JavaScript|cannot be checked/);
    expect(refused(catalogInObjectStream("/Type/Metadata"))).toMatch(/JavaScript|cannot be checked/);
    expect(refused(catalogInObjectStream("/Type/XRef"))).toMatch(/JavaScript|cannot be checked/);
  });

  it("do not stop reading a stream at an `endstream` inside its data when its length is a reference", () => {
    // Flate data: a stored block holding the word "endstream" (the check took the first one for the stream's
    // end), then a compressed block with the catalogue that runs script; a reader takes /Length from object 6.
    const { body, first } = objectStreamBody(1, SCRIPTED_CATALOG);
    const decoy = Buffer.from("%endstream endobj\n", "latin1");
    const decoded = Buffer.concat([decoy, body]);
    const stored = Buffer.concat([Buffer.from([0x00, decoy.length & 0xff, decoy.length >> 8, ~decoy.length & 0xff, (~decoy.length >> 8) & 0xff]), decoy]);
    const rest = zlib.deflateRawSync(body);
    let a = 1;
    let b = 0;
    for (const byte of decoded) {
      a = (a + byte) % 65521;
      b = (b + a) % 65521;
    }
    const adler = Buffer.alloc(4);
    adler.writeUInt32BE(((b << 16) | a) >>> 0);
    const data = Buffer.concat([Buffer.from([0x78, 0x01]), stored, rest, adler]);
    // The data inflates to the header-then-objects the reader expects (the decoy is a comment before /First).
    expect(zlib.inflateSync(data).toString("latin1")).toBe(decoded.toString("latin1"));
    const objectStream = Buffer.concat([
      Buffer.from(`<</Type/ObjStm/N 1/First ${decoy.length + first}/Filter/FlateDecode/Length 6 0 R>>\nstream\n`, "latin1"),
      data,
      Buffer.from("\nendstream", "latin1"),
    ]);
    const pdf = pdfOf(["null", PAGES, PAGE, objectStream, pdfStream("/Type/XRef/Size 7/W[1 2 1]/Root 1 0 R", Buffer.from([2, 0, 4, 0])), String(data.length)], "<</Root 1 0 R/Size 7>>");
    expect(refused(pdf)).toMatch(/JavaScript|cannot be checked|length/);
  });

  it("find every stream and object a reader can reach, even where the check's own reading took the bytes for a string", () => {
    // Object 1 opens a literal string that object 7 closes: read from the start, objects 4 and 5 are inside
    // it, but a reader goes to them through the cross-reference table.
    const { body, first } = objectStreamBody(8, SCRIPTED_CATALOG);
    const pdf = pdfOf(
      [
        "(an unclosed string",
        PAGES,
        PAGE,
        pdfStream(`/Type/ObjStm/N 1/First ${first}/Filter/FlateDecode`, zlib.deflateSync(body)),
        "6",
        "null",
        "(closed)) 0",
      ],
      "<</Root 8 0 R/Size 9>>",
    );
    expect(refused(pdf)).toMatch(/JavaScript|cannot be checked/);
    // Or inside a picture's data, which the check does not read: a reader reaches object 8 through the cross-reference table.
    const hidden = Buffer.concat([Buffer.from("8 0 obj\n", "latin1"), pdfStream(`/Type/ObjStm/N 1/First ${first}/Filter/FlateDecode`, zlib.deflateSync(body)), Buffer.from("\nendobj\n", "latin1")]);
    const picture = pdfStream("/Type/XObject/Subtype/Image/Width 1/Height 1/ColorSpace/DeviceGray/BitsPerComponent 8", Buffer.concat([Buffer.from([0x80, 0x0a]), hidden]));
    expect(refused(pdfOf(["null", PAGES, PAGE, picture], "<</Root 8 0 R/Size 9>>"))).toMatch(/JavaScript|cannot be checked/);
  });

  it("accept strings and comments that merely mention obj, stream and endstream", () => {
    const plain = pdfOf([
      "<</Type/Catalog/Pages 2 0 R/Lang(en)>>",
      PAGES,
      "<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R>>",
      pdfStream("", Buffer.from("BT (the word stream, and endstream, and obj) Tj ET", "latin1")),
      "<</Title(How a stream ends: endstream)/Subject(an obj is an object)>>",
    ]);
    expect(refused(plain)).toBeNull();
  });

  it("stay linear looking for objects and streams a reader can reach: 4 MB of `1 0 obj` and of `stream` lines", () => {
    for (const unit of ["1 0 obj ", "\nstream\n", " 0 0 0 0 0 0 obj"]) {
      const started = performance.now();
      checkPdf(Buffer.from("%PDF-1.7\n" + unit.repeat(Math.ceil(4e6 / unit.length)), "latin1"));
      expect(performance.now() - started).toBeLessThan(3000);
    }
  });

  it("refuse dictionaries and arrays nested past any real document's depth, at once (10 million `<<` took 12.5 s and 2.6 GB)", () => {
    for (const unit of ["<<", "[", "<</A"]) {
      const started = performance.now();
      expect(refused(Buffer.concat([Buffer.from("%PDF-1.7\n1 0 obj\n"), Buffer.alloc(20_000_000, unit)]))).toMatch(/nested/);
      expect(performance.now() - started).toBeLessThan(2000);
    }
    // A deep but sane nesting is read.
    expect(refused(pdfOf(["<</Type/Catalog/Pages 2 0 R/X " + "[".repeat(100) + "]".repeat(100) + ">>", PAGES, PAGE]))).toBeNull();
  });

  it("decode RunLength and ASCII85 into bounded buffers: 1 MB of RunLength runs (64 MB out) took 2.8 s and 2 GB as an array of numbers", () => {
    const runs = pdfOf(["<</Type/Catalog/Pages 2 0 R>>", PAGES, pdfStream("/Filter/RunLengthDecode", Buffer.alloc(1_040_000, Buffer.from([0x81, 0x20])))]);
    const zeros = pdfOf(["<</Type/Catalog/Pages 2 0 R>>", PAGES, pdfStream("/Filter/ASCII85Decode", Buffer.alloc(16_000_000, "z"))]);
    for (const pdf of [runs, zeros]) {
      const started = performance.now();
      const heap = process.memoryUsage().rss;
      expect(refused(pdf)).toBeNull();
      expect(performance.now() - started).toBeLessThan(3000);
      expect(process.memoryUsage().rss - heap).toBeLessThan(400 * 2 ** 20);
    }
    // Past the decoded budget: refused, not decoded further.
    const bomb = pdfOf(["<</Type/Catalog/Pages 2 0 R>>", PAGES, pdfStream("/Filter/RunLengthDecode", Buffer.alloc(1_100_000, Buffer.from([0x81, 0x20])))]);
    expect(refused(bomb)).toMatch(/more than 64 MB/);
    // What they decode to is still read.
    expect(refused(pdfOf(["<</Type/Catalog/Pages 2 0 R>>", PAGES, pdfStream("/Filter/RunLengthDecode", Buffer.concat([Buffer.from([13]), Buffer.from("/JavaScript 1"), Buffer.from([0x81, 0x20, 128])]))]))).toMatch(/JavaScript/);
    expect(refused(pdfOf(["<</Type/Catalog/Pages 2 0 R>>", PAGES, pdfStream("/Filter/ASCII85Decode", Buffer.from("01oYr@8gZVBlJ/:0`~>"))]))).toMatch(/runs JavaScript|JavaScript/);
  });

  it("refuse a link (/URI) to anything but http, https or mailto, however its string is written", () => {
    const opening = (uri: string) => pdfOf([`<</Type/Catalog/Pages 2 0 R/OpenAction<</S/URI/URI${uri}>>>>`, PAGES, PAGE]);
    // A hex string and an octal escape hide the scheme from the markup scan; so does an object stream's compression.
    expect(refused(opening("<6a6176617363726970743a616c657274283129>"))).toMatch(/link/);
    expect(refused(opening("(java\\163cript:alert\\(1\\))"))).toMatch(/link/);
    expect(refused(opening("(file:///etc/passwd)"))).toMatch(/link/);
    expect(refused(opening("(JaVa\tScRiPt:alert(1))"))).toMatch(/link/);
    const { body, first } = objectStreamBody(4, "<</Type/Annot/Subtype/Link/Rect[0 0 9 9]/A<</S/URI/URI(javascript:alert(1))>>>>");
    const linkInObjectStream = pdfOf([
      "<</Type/Catalog/Pages 2 0 R>>",
      PAGES,
      "<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Annots[4 0 R]>>",
      "null",
      pdfStream(`/Type/ObjStm/N 1/First ${first}/Filter/FlateDecode`, zlib.deflateSync(body)),
    ]);
    expect(refused(linkInObjectStream)).toMatch(/link/);
    // Links to web pages and mail are accepted, however written.
    expect(refused(opening("(https://example.org/a\\(b\\))"))).toBeNull();
    expect(refused(opening("<6d61696c746f3a6140622e6f7267>"))).toBeNull();
    expect(refused(opening("(http://example.org/)"))).toBeNull();
  });
});
