import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ReplyTracker } from "@/lib/db/embedded-server";

/** A server → client message: type byte, length (itself included), body. */
function message(type: string, body: Uint8Array): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

const anyMessage = fc.oneof(
  fc.record({ type: fc.constantFrom("D", "C", "T", "1", "2", "n", "s", "E", "N"), body: fc.uint8Array({ maxLength: 40 }) }),
  fc.record({ type: fc.constant("Z"), body: fc.constantFrom("I", "T", "E").map((s) => Buffer.from(s)) }),
  fc.record({ type: fc.constant("A"), body: fc.uint8Array({ minLength: 6, maxLength: 30 }) }),
);

describe("ReplyTracker (the embedded server's reading of PGlite's replies)", () => {
  it("knows the session is idle exactly when the last whole message is ReadyForQuery 'I', and passes notifications on whole, however the stream is cut", () => {
    fc.assert(
      fc.property(fc.array(anyMessage, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 10 }), (messages, cuts) => {
        const stream = Buffer.concat(messages.map((m) => message(m.type, m.body)));
        const points = [...new Set(cuts.map((c) => (stream.length ? c % stream.length : 0)))].sort((a, b) => a - b);
        const tracker = new ReplyTracker();
        const notifications: Buffer[] = [];
        let from = 0;
        for (const to of [...points, stream.length]) {
          notifications.push(...tracker.push(stream.subarray(from, to)));
          from = to;
        }
        const last = messages.at(-1);
        expect(tracker.idle).toBe(last?.type === "Z" && Buffer.from(last.body).toString() === "I");
        expect(notifications).toEqual(messages.filter((m) => m.type === "A").map((m) => message("A", m.body)));
      }),
    );
  });

  it("is not idle in the middle of a ReadyForQuery", () => {
    const tracker = new ReplyTracker();
    const z = message("Z", Buffer.from("I"));
    tracker.push(z.subarray(0, 3));
    expect(tracker.idle).toBe(false);
    tracker.push(z.subarray(3));
    expect(tracker.idle).toBe(true);
  });
});
