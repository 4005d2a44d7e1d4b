import { describe, expect, it } from "vitest";
import { vttProblem } from "@/lib/media/content-checks";

const vtt = (style: string) => Buffer.from(`WEBVTT\n\nSTYLE\n${style}\n\n00:00.000 --> 00:01.000\nHello\n`, "utf8");

describe("WebVTT STYLE blocks against an attacker (adversary round 2)", () => {
  it("refuse a STYLE block that loads something through a CSS escape or a function other than url()", () => {
    // CSS resolves escapes in a function's name: \75 rl( is url(, @\69mport is @import.
    expect(vttProblem(vtt("::cue { background: \\75 rl(https://tracker.example/p.png) }"))).toMatch(/STYLE/);
    expect(vttProblem(vtt("::cue { background: u\\rl(https://tracker.example/p.png) }"))).toMatch(/STYLE/);
    expect(vttProblem(vtt("@\\69mport 'https://tracker.example/x.css';"))).toMatch(/STYLE/);
    // image-set() loads a picture without url().
    expect(vttProblem(vtt('::cue { background-image: image-set("https://tracker.example/p.png" 1x) }'))).toMatch(/STYLE/);
    expect(vttProblem(vtt('::cue { background-image: -webkit-image-set("https://tracker.example/p.png" 1x) }'))).toMatch(/STYLE/);
  });

  it("accept a STYLE block that only styles cues", () => {
    expect(vttProblem(vtt("::cue { color: yellow; background: rgba(0, 0, 0, 0.8) }\n::cue(b) { font-weight: bold }"))).toBeNull();
  });
});
