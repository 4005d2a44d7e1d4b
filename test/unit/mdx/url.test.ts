import { describe, expect, it } from "vitest";
import { decodeHtmlEntities, isSafeUrl, normaliseUrl, percentDecode, urlScheme } from "@/lib/mdx/url";

describe("isSafeUrl accepts", () => {
  it.each([
    ["an https URL", "https://example.com/a?b=c#d"],
    ["an http URL", "http://example.com"],
    ["an upper-case scheme", "HTTPS://EXAMPLE.COM/"],
    ["a mailto URL", "mailto:editor@example.com"],
    ["a site-relative path", "/wiki/Social_learning"],
    ["a fragment", "#overview"],
    ["a query", "?page=2"],
    ["a relative path", "images/garden.png"],
    ["a dot-relative path whose later segment has a colon", "./notes:draft"],
    ["a parent-relative path", "../Adoption"],
    ["an https URL with a literal percent sign", "https://example.com/100%"],
    ["an https URL with an encoded percent sign", "https://example.com/a%2525"],
    ["an https URL whose query holds an entity-like word", "https://example.com/?a=1&copy=2"],
  ])("%s", (_, url) => {
    expect(isSafeUrl(url)).toBe(true);
  });
});

describe("isSafeUrl refuses javascript: however it is disguised", () => {
  it.each([
    ["plain", "javascript:alert(1)"],
    ["mixed case", "JaVaScRiPt:alert(1)"],
    ["a decimal entity", "&#106;avascript:alert(1)"],
    ["a decimal entity without semicolon", "&#106avascript:alert(1)"],
    ["a zero-padded decimal entity", "&#0000106;avascript:alert(1)"],
    ["a hex entity", "&#x6A;avascript:alert(1)"],
    ["an upper-case hex entity without semicolon", "&#X6Aavascript:alert(1)"],
    ["a named colon entity", "javascript&colon;alert(1)"],
    ["a named colon entity without semicolon", "javascript&colonalert(1)"],
    ["a tab inside the scheme", "java\tscript:alert(1)"],
    ["a &Tab; entity inside the scheme", "java&Tab;script:alert(1)"],
    ["a numeric tab entity inside the scheme", "jav&#x09;ascript:alert(1)"],
    ["a newline inside the scheme", "java\nscript:alert(1)"],
    ["a carriage return inside the scheme", "java\rscript:alert(1)"],
    ["a &NewLine; entity inside the scheme", "java&NewLine;script:alert(1)"],
    ["a space inside the scheme", "java script:alert(1)"],
    ["a line separator inside the scheme", "java\u2028script:alert(1)"],
    ["leading spaces", "   javascript:alert(1)"],
    ["a leading %20", "%20javascript:alert(1)"],
    ["a percent-encoded letter", "%6Aavascript:alert(1)"],
    ["a percent-encoded colon", "javascript%3Aalert(1)"],
    ["double percent encoding", "%256Aavascript:alert(1)"],
    ["a double-encoded entity", "&amp;#106;avascript:alert(1)"],
    ["an entity whose ampersand is itself encoded", "&#x26;#x6A;avascript:alert(1)"],
    ["a NUL inside the scheme", "java\u0000script:alert(1)"],
    ["a leading control character", "\u0001javascript:alert(1)"],
    ["a leading NUL", "\u0000javascript:alert(1)"],
    ["full-width letters and colon", "ｊａｖａｓｃｒｉｐｔ：alert(1)"],
  ])("%s", (_, url) => {
    expect(isSafeUrl(url)).toBe(false);
  });
});

describe("isSafeUrl refuses other schemes and hosts", () => {
  it.each([
    ["data: HTML", "data:text/html,<script>alert(1)</script>"],
    ["data: base64", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="],
    ["vbscript:", "vbscript:msgbox(1)"],
    ["file:", "file:///etc/passwd"],
    ["ftp:", "ftp://example.com/"],
    ["an unknown scheme", "intent://scan"],
    ["protocol-relative //host", "//evil.example"],
    ["protocol-relative with a leading space", " //evil.example"],
    ["backslashes \\\\host", "\\\\evil.example"],
    ["slash-backslash /\\host", "/\\evil.example"],
    ["backslash-slash \\/host", "\\/evil.example"],
    ["a tab between the slashes", "/\t/evil.example"],
    ["a percent-encoded second slash", "/%2Fevil.example"],
    ["a colon with no scheme before it", ":alert(1)"],
  ])("%s", (_, url) => {
    expect(isSafeUrl(url)).toBe(false);
  });
});

describe("isSafeUrl refuses what it cannot decode", () => {
  it("refuses a truncated UTF-8 percent escape", () => {
    expect(isSafeUrl("https://example.com/%E0%A4%A")).toBe(false);
  });

  it("refuses a percent escape that is not UTF-8", () => {
    expect(isSafeUrl("https://example.com/%FF")).toBe(false);
  });

  it("refuses a numeric entity beyond Unicode", () => {
    expect(isSafeUrl("&#xFFFFFFFF;avascript:alert(1)")).toBe(false);
  });

  it("refuses a numeric entity for a lone surrogate", () => {
    expect(isSafeUrl("&#55296;x")).toBe(false);
  });

  it("refuses a numeric entity for NUL", () => {
    expect(isSafeUrl("&#0;javascript:alert(1)")).toBe(false);
  });

  it("refuses an encoding nested deeper than the decode bound", () => {
    expect(isSafeUrl("%252525252525256Aavascript:alert(1)")).toBe(false);
  });

  it("refuses the empty string and whitespace", () => {
    expect(isSafeUrl("")).toBe(false);
    expect(isSafeUrl(" \t\n")).toBe(false);
  });

  it("refuses a URL over 8 KB", () => {
    expect(isSafeUrl(`https://example.com/${"a".repeat(9000)}`)).toBe(false);
  });
});

describe("normaliseUrl", () => {
  it("lower-cases the scheme only", () => {
    expect(normaliseUrl("HTTPS://Example.COM/Path")).toBe("https://Example.COM/Path");
  });

  it("removes control characters and whitespace from the scheme", () => {
    expect(normaliseUrl("\u0001 ja\u0000va\tscr ipt:alert(1)")).toBe("javascript:alert(1)");
  });

  it("decodes entities and percent escapes until stable", () => {
    expect(normaliseUrl("&amp;#x25;6Aavascript&colon;x")).toBe("javascript:x");
  });

  it("returns null when decoding fails", () => {
    expect(normaliseUrl("%C3")).toBeNull();
  });
});

describe("urlScheme", () => {
  it("finds the scheme before the first colon", () => {
    expect(urlScheme("mailto:a@b.c")).toBe("mailto");
  });

  it("finds no scheme when a path, query or fragment comes first", () => {
    expect(urlScheme("/a:b")).toBeNull();
    expect(urlScheme("?a:b")).toBeNull();
    expect(urlScheme("#a:b")).toBeNull();
  });
});

describe("decodeHtmlEntities", () => {
  it("decodes named, decimal and hex references with and without semicolons", () => {
    expect(decodeHtmlEntities("&lt;&#65;&#x42&colon;&Tab;&NewLine;")).toBe("<AB:\t\n");
  });

  it("keeps an ampersand that starts no known reference", () => {
    expect(decodeHtmlEntities("a & b &zz;")).toBe("a & b &zz;");
  });
});

describe("percentDecode", () => {
  it("keeps a lone percent sign", () => {
    expect(percentDecode("100% sure %zz")).toBe("100% sure %zz");
  });

  it("decodes multi-byte UTF-8 escapes", () => {
    expect(percentDecode("caf%C3%A9")).toBe("café");
  });
});
