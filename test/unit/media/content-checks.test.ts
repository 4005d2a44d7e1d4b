import zlib from "node:zlib";
import fc from "fast-check";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { checkPdf, contentProblem, findMarkup, PDF_LIMITS, vttProblem } from "@/lib/media/content-checks";
import { jpegWithGps, mp3, noisyJpeg, PDF, PDF_WITH_SCRIPT, pdfObjectStream, pdfOf, pdfStream, png, VTT } from "../../support/media-files";

const CATALOG = "<</Type/Catalog/Pages 2 0 R>>";
const PAGES = "<</Type/Pages/Kids[3 0 R]/Count 1>>";
const PAGE = "<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>";
const flate = (text: string | Buffer) => zlib.deflateSync(typeof text === "string" ? Buffer.from(text, "latin1") : text);
const refused = (bytes: Buffer) => {
  const verdict = checkPdf(bytes);
  return verdict.ok ? null : verdict.message;
};

describe("PDF checks", () => {
  it("accept a plain PDF, with a page's content stream compressed and an opening that shows a page", () => {
    expect(checkPdf(PDF)).toEqual({ ok: true });
    const content = pdfStream("/Filter/FlateDecode", flate("BT /F1 12 Tf 72 712 Td (Hello, garden) Tj ET"));
    expect(refused(pdfOf(["<</Type/Catalog/Pages 2 0 R/OpenAction[3 0 R/Fit]>>", PAGES, "<</Type/Page/Parent 2 0 R/Contents 4 0 R>>", content]))).toBeNull();
    expect(refused(pdfOf(["<</Type/Catalog/Pages 2 0 R/OpenAction<</S/GoTo/D[3 0 R/Fit]>>>>", PAGES, PAGE]))).toBeNull();
    // An opening action kept in another object, as LaTeX and others write it: followed and checked.
    expect(refused(pdfOf(["<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>", PAGES, PAGE, "<</S/GoTo/D[3 0 R/XYZ 0 0 0]>>"]))).toBeNull();
    expect(refused(pdfOf(["<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>", PAGES, PAGE, "[3 0 R/Fit]"]))).toBeNull();
  });

  it("refuses script in plain sight, in any case", () => {
    expect(refused(PDF_WITH_SCRIPT)).toMatch(/JavaScript/);
    expect(refused(pdfOf([CATALOG, PAGES, "<</Type/Page/Parent 2 0 R/AA<</O<</S/javascript/js(1)>>>>>>"]))).toMatch(/JavaScript/);
  });

  it("refuses names written with #xx escapes (/J#61vaScript, /#4A#53)", () => {
    expect(refused(pdfOf(["<</Type/Catalog/Pages 2 0 R/OpenAction<</S/J#61vaScript/JS(app.alert(1))>>>>", PAGES]))).toMatch(/JavaScript/);
    expect(refused(pdfOf(["<</Type/Catalog/Pages 2 0 R/OpenAction<</S/GoTo/#4A#53 5 0 R>>>>", PAGES]))).toMatch(/JavaScript/);
    expect(refused(pdfOf(["<</Type/Catalog/Pages 2 0 R/Names<</#45mbeddedFiles 4 0 R>>>>", PAGES]))).toMatch(/embeds files/);
  });

  it("refuses script inside a compressed object stream, and behind a PNG predictor", () => {
    const objectStream = pdfObjectStream(4, ["<</S/JavaScript/JS(app.alert(1))>>"], flate);
    expect(refused(pdfOf(["<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>", PAGES, PAGE, objectStream]))).toMatch(/JavaScript/);
    // PNG "Up" rows: each byte is stored as the difference from the byte above, so /JavaScript is nowhere in the inflated bytes.
    const text = Buffer.from("<</S/JavaScript/JS(app.alert(1))>>      ", "latin1");
    const columns = 8;
    const rows: number[] = [];
    for (let r = 0; r * columns < text.length; r++) {
      rows.push(2);
      for (let i = 0; i < columns; i++) rows.push(((text[r * columns + i] ?? 0x20) - (r > 0 ? (text[(r - 1) * columns + i] ?? 0x20) : 0)) & 0xff);
    }
    const predicted = pdfStream(`/Filter/FlateDecode/DecodeParms<</Predictor 12/Columns ${columns}>>`, flate(Buffer.from(rows)));
    expect(zlib.inflateSync(flate(Buffer.from(rows))).toString("latin1")).not.toContain("JavaScript");
    expect(refused(pdfOf([CATALOG, PAGES, PAGE, predicted]))).toMatch(/JavaScript/);
  });

  it("refuses script behind ASCIIHex and ASCII85 encodings", () => {
    const hex = Buffer.from("/JavaScript", "latin1").toString("hex") + ">";
    expect(refused(pdfOf([CATALOG, PAGES, PAGE, pdfStream("/Filter/ASCIIHexDecode", Buffer.from(hex))]))).toMatch(/JavaScript/);
    expect(refused(pdfOf([CATALOG, PAGES, PAGE, pdfStream("/Filter[/ASCIIHexDecode/FlateDecode]", Buffer.from(flate("/Launch").toString("hex") + ">"))]))).toMatch(/launches/);
  });

  it.each([
    ["/Launch", "<</S/Launch/F(cmd.exe)>>", /launches a program/],
    ["/EmbeddedFile", "<</Type/EmbeddedFile>>", /embeds a file/],
    ["/RichMedia", "<</Subtype/RichMedia>>", /rich media/],
    ["/XFA", "<</XFA 9 0 R>>", /XFA/],
    ["/SubmitForm", "<</S/SubmitForm/F(https://evil.example)>>", /submits a form/],
    ["/Encrypt", "<</Encrypt 9 0 R>>", /encrypted/],
  ])("refuses %s", (_name, object, message) => {
    expect(refused(pdfOf([CATALOG, PAGES, object]))).toMatch(message);
  });

  it("refuses an opening or event action it cannot check: another file's, or one it cannot find", () => {
    expect(refused(pdfOf(["<</Type/Catalog/Pages 2 0 R/OpenAction<</S/GoToR/F(other.pdf)/D[0/Fit]>>>>", PAGES]))).toMatch(/gotor/);
    expect(refused(pdfOf(["<</Type/Catalog/Pages 2 0 R/OpenAction 9 0 R>>", PAGES]))).toMatch(/cannot find/);
    expect(refused(pdfOf(["<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>", PAGES, PAGE, "<</S/GoTo/D[3 0 R/Fit]/Next 5 0 R>>", "<</S/Sound/Sound 3 0 R>>"]))).toMatch(/sound/);
    expect(refused(pdfOf([CATALOG, PAGES, "<</Type/Page/Parent 2 0 R/AA 4 0 R>>", "<</O 5 0 R>>", "<</S/Movie/T(x)>>"]))).toMatch(/movie/);
  });

  it("refuses a stream it cannot read (LZW), saying so", () => {
    expect(refused(pdfOf([CATALOG, PAGES, PAGE, pdfStream("/Filter/LZWDecode", Buffer.from([0x80, 0x0b, 0x60, 0x50]))]))).toMatch(/cannot be checked: a stream uses the lzwdecode filter/);
    expect(refused(pdfOf([CATALOG, PAGES, PAGE, pdfStream("/Filter/FlateDecode", Buffer.from("not zlib at all"))]))).toMatch(/cannot be checked: a compressed stream is damaged/);
  });

  it("refuses a Flate bomb past the decoded budget, and past the count of streams, without decoding more than the bound", () => {
    const bomb = pdfStream("/Filter/FlateDecode", zlib.deflateSync(Buffer.alloc(PDF_LIMITS.decodedBytes + 1024), { level: 9 }));
    expect(refused(pdfOf([CATALOG, PAGES, PAGE, bomb]))).toMatch(/cannot be checked: its compressed streams decode to more than 64 MB/);
    const tiny = pdfStream("/Filter/FlateDecode", flate("q Q"));
    const many = pdfOf([CATALOG, PAGES, PAGE, ...Array.from({ length: PDF_LIMITS.streams + 1 }, () => tiny)]);
    expect(refused(many)).toMatch(/more than 20,000 compressed streams/);
  });

  it("is linear when streams' lengths point far from their ends: 20,000 of them before 4 MB without an end", () => {
    const wrong = Buffer.from(`<</Length 300000>>\nstream\nq Q\nendstream\n`, "latin1");
    const bytes = Buffer.concat([Buffer.from("%PDF-1.7\n"), ...Array.from({ length: 20_000 }, () => wrong), Buffer.alloc(4 * 2 ** 20, 0x41), Buffer.from("\nendstream\n")]);
    const started = performance.now();
    expect(checkPdf(bytes)).toEqual({ ok: true });
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it("is linear on hostile shapes: 20,000 of the worst byte, deep nesting, unclosed strings", () => {
    for (const worst of ["/", "<<", "(", "#", "%", "[", "<", "stream\n", "1 0 obj "]) {
      const bytes = Buffer.from(`%PDF-1.7\n${worst.repeat(20_000)}`, "latin1");
      const started = performance.now();
      checkPdf(bytes);
      expect(performance.now() - started, worst).toBeLessThan(2_000);
    }
  });
});

describe("WebVTT captions", () => {
  it("accept WebVTT's own cue markup: classes, italics, bold, underline, ruby, voices, languages, timestamps", () => {
    expect(vttProblem(VTT)).toBeNull();
    const rich = "WEBVTT\n\nNOTE made by hand\n\nSTYLE\n::cue { color: yellow }\n\n1\n00:00.000 --> 00:02.000 align:start\n<v Roger Bingham>We are <i>in</i> the <b>garden</b></v>\n<c.loud.red>now</c> <u>here</u> <ruby>漢<rt>kan</rt></ruby> <lang en-GB>colour</lang> <00:01.000>later &lt;3\n";
    expect(vttProblem(Buffer.from(rich))).toBeNull();
  });

  it.each([
    ["an <img> with onerror", "<img src=x onerror=alert(1)>"],
    ["a <script>", "<script>alert(1)</script>"],
    ["an unknown tag", "<span>x</span>"],
    ["markup in a voice's name", '<v a" onmouseover="x>hi</v>'],
    ["an annotation on <b>", "<b x>hi</b>"],
    ["a bare <", "1 < 2"],
    ["a tag split over lines", "<i\n>x</i>"],
  ])("refuse a cue holding %s", (_what, cue) => {
    expect(vttProblem(Buffer.from(`WEBVTT\n\n00:00.000 --> 00:01.000\n${cue}\n`))).not.toBeNull();
  });

  it("refuse a tag in a NOTE or the header, and a STYLE block that loads something", () => {
    expect(vttProblem(Buffer.from("WEBVTT <img src=x onerror=alert(1)>\n\n00:00.000 --> 00:01.000\nHi\n"))).not.toBeNull();
    expect(vttProblem(Buffer.from("WEBVTT\n\nNOTE <script>x</script>\n\n00:00.000 --> 00:01.000\nHi\n"))).not.toBeNull();
    expect(vttProblem(Buffer.from("WEBVTT\n\nSTYLE\n::cue { background: url(https://evil.example/t.png) }\n\n00:00.000 --> 00:01.000\nHi\n"))).not.toBeNull();
  });

  it("is linear on 20,000 '<' in a cue, and on 2 MB of tags on one line", () => {
    const started = performance.now();
    expect(vttProblem(Buffer.from(`WEBVTT\n\n00:00.000 --> 00:01.000\n${"<b>".repeat(700_000)}\n`))).toBeNull();
    expect(vttProblem(Buffer.from(`WEBVTT\n\n00:00.000 --> 00:01.000\n${"<".repeat(20_000)}\n`))).not.toBeNull();
    expect(vttProblem(Buffer.from(`WEBVTT\n\n00:00.000 --> 00:01.000\n${"<b>".repeat(20_000)}\n`))).toBeNull();
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("markup in binary files (polyglots)", () => {
  it.each([
    ["<img src=x onerror=alert(1)>", "<img"],
    ["<IMG/SRC=x>", "<img"],
    ['<a href="javascript:alert(1)">', "javascript:"],
    ["<a  href=https://evil.example>", "<a href"],
    ["<form action=https://evil.example>", "<form"],
    ["<style>@import url(x)</style>", "<style"],
    ["<x onclick=alert(1)>", "onclick="],
    ["<svg/onload=alert(1)>", "<svg"],
    ["<details open ontoggle = alert(1)>", "<details"],
    ["<p\tonmouseover='x'>", "onmouseover="],
    ["<ScRiPt>", "<script"],
  ])("finds %s", (markup, found) => {
    expect(findMarkup(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(markup), Buffer.alloc(100, 1)]))).toBe(found);
  });

  it("finds markup across its 1 MiB windows, and is linear on 4 MiB of '<' or of '<a '", () => {
    expect(findMarkup(Buffer.concat([Buffer.alloc(1024 * 1024 - 5, 0x41), Buffer.from("<x onerror=1>")]))).toBe("onerror=");
    const started = performance.now();
    expect(findMarkup(Buffer.from("<".repeat(4 * 1024 * 1024)))).toBeNull();
    expect(findMarkup(Buffer.from("<a ".repeat(1024 * 1024)))).toBeNull();
    expect(findMarkup(Buffer.from(`<x${" o".repeat(1024 * 1024)}`))).toBeNull();
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("finds nothing in real pictures and audio: PNG, JPEG (photo with EXIF and noise), WebP, AVIF, GIF and MP3", { timeout: 60_000 }, async () => {
    const pictures = [
      await png(),
      await png(1200, 900, { r: 250, g: 60, b: 60 }),
      await noisyJpeg(1600, 1200),
      await jpegWithGps(),
      await sharp(await noisyJpeg(800, 600)).webp().toBuffer(),
      await sharp(await noisyJpeg(400, 300)).avif().toBuffer(),
      await sharp(await noisyJpeg(300, 200)).gif().toBuffer(),
      await sharp(await noisyJpeg(1000, 800)).png().toBuffer(),
    ];
    for (const [i, bytes] of pictures.entries()) expect(contentProblem(bytes, "image"), `picture ${i}`).toBeNull();
    for (const frequency of [220, 440, 997]) expect(contentProblem(mp3(20, frequency), "audio"), `${frequency} Hz`).toBeNull();
  });
});

describe("every check takes any bytes", () => {
  const pdfPieces = ["<<", ">>", "[", "]", "(", ")", "\\", "/S", "/GoTo", "/J#61vaScript", "/OpenAction", "/AA", "/Next", "/Filter", "/FlateDecode", "/Length", "/Type/ObjStm", "/N", "/DecodeParms", "/Predictor 12", "1 0 obj", "endobj", " 0 R", " 7 ", "stream\n", "\nendstream", "%", "\n", "<ab>", "#"];
  it("never throws, on PDF-like token soup or raw bytes, and refuses any soup holding a script name", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pdfPieces), { maxLength: 400 }), fc.uint8Array({ maxLength: 2000 }), (pieces, raw) => {
        const soup = Buffer.from(`%PDF-1.7\n${pieces.join(" ")}`, "latin1");
        const verdict = checkPdf(soup);
        // A script name outside any stream is refused wherever it stands (strings and comments too).
        if (!soup.includes("stream") && pieces.includes("/J#61vaScript")) expect(verdict.ok).toBe(false);
        checkPdf(Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.from(raw)]));
        vttProblem(Buffer.concat([Buffer.from("WEBVTT\n\n00:00.000 --> 00:01.000\n"), Buffer.from(raw)]));
        findMarkup(raw);
      }),
      { numRuns: 500 },
    );
  });
});
