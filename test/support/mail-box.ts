import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startSmtpSink, type ArrivedMail } from "./smtp-sink";

/** A mail the e2e app sent, as the suite's SMTP server wrote it down. */
export type StoredMail = { to: string; subject: string; text: string; html: string; /** Header lines as sent (unfolded), by lower-case name. */ headers: Record<string, string> };

/**
 * The e2e suite's SMTP server (started in test/support/global-e2e.ts): every
 * mail that arrives is written as JSON into `dir`, where the test files (in
 * other processes) read it.
 */
export async function startMailBox(dir: string) {
  mkdirSync(dir, { recursive: true });
  const sink = await startSmtpSink();
  let written = 0;
  const timer = setInterval(() => {
    while (written < sink.mails.length) {
      const mail: ArrivedMail = sink.mails[written]!;
      const headers = Object.fromEntries(mail.parsed.headerLines.map((h) => [h.key, h.line.replace(/\r\n\s+/g, " ")]));
      const stored: StoredMail = { to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, headers };
      writeFileSync(path.join(dir, `${String(written).padStart(6, "0")}.json`), JSON.stringify(stored));
      written++;
    }
  }, 50);
  return {
    url: sink.url,
    stop: async () => {
      clearInterval(timer);
      await sink.stop();
    },
  };
}

/** The newest mail to `to` whose subject matches, waiting for it (the app's mail loop sends after each write). */
export async function waitForMail(dir: string, to: string, subject: RegExp, timeoutMs = 30_000): Promise<StoredMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = readdirSync(dir)
      .sort()
      .reverse()
      .map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")) as StoredMail);
    const found = mails.find((m) => m.to === to && subject.test(m.subject));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${subject}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The first link in a mail's text that contains `path`. */
export function mailLink(mail: StoredMail, pathPart: string): string {
  const link = mail.text.split(/\s+/).find((w) => /^https?:\/\//.test(w) && w.includes(pathPart));
  if (!link) throw new Error(`no ${pathPart} link in: ${mail.text}`);
  return link;
}
