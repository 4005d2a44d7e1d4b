import { describe, expect, it } from "vitest";
import { askedNotice, SAVE_NOTICE_MS, saveNotice } from "@/app/wiki/[slug]/save-notice";

const savedAt = Date.parse("2026-11-29T12:00:00Z");
const author = { readerName: "Ada", authorName: "Ada", isLatest: true, revisionNumber: 1, savedAt, now: savedAt + 5_000 };

describe("the confirmation after a save", () => {
  it("reads what the address asks: created, merged or saved, spelled =1", () => {
    expect(askedNotice({ created: "1" })).toBe("created");
    expect(askedNotice({ merged: "1" })).toBe("merged");
    expect(askedNotice({ saved: "1" })).toBe("saved");
    expect(askedNotice({ created: "yes" })).toBeNull();
    expect(askedNotice({ created: ["1", "1"] })).toBeNull();
    expect(askedNotice({})).toBeNull();
  });

  it("tells the author, just after creating the page, that it was created", () => {
    expect(saveNotice("created", author)).toBe("created");
    expect(saveNotice("merged", { ...author, revisionNumber: 4 })).toBe("merged");
    expect(saveNotice("saved", { ...author, revisionNumber: 4 })).toBe("saved");
  });

  it("tells a guest or another member who follows a crafted ?created=1 link nothing", () => {
    expect(saveNotice("created", { ...author, readerName: null })).toBeNull();
    expect(saveNotice("created", { ...author, readerName: "Bea" })).toBeNull();
    expect(saveNotice("saved", { ...author, readerName: "Bea" })).toBeNull();
    expect(saveNotice("saved", { ...author, authorName: null, readerName: "Bea" })).toBeNull();
  });

  it("says nothing once the save is old, of an old revision, or when nothing was asked", () => {
    expect(saveNotice("created", { ...author, now: savedAt + SAVE_NOTICE_MS + 1 })).toBeNull();
    expect(saveNotice("created", { ...author, now: savedAt - 61_000 })).toBeNull();
    expect(saveNotice("saved", { ...author, isLatest: false })).toBeNull();
    expect(saveNotice(null, author)).toBeNull();
  });

  it("allows a browser clock a little behind the server's", () => {
    expect(saveNotice("saved", { ...author, now: savedAt - 30_000 })).toBe("saved");
  });

  it("calls a later revision saved, never created, even when asked", () => {
    expect(saveNotice("created", { ...author, revisionNumber: 2 })).toBe("saved");
  });
});
