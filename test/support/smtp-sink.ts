import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { freePort } from "./free-port";

/** A mail as it arrived at the test's SMTP server, parsed. */
export type ArrivedMail = { to: string; subject: string; text: string; html: string; headers: Map<string, unknown>; messageId: string | undefined; parsed: ParsedMail };

/**
 * A real SMTP server inside the test process (smtp-server), which parses what
 * arrives (mailparser). `stop()` and `start()` again on the same port
 * simulate a mail server that is down for a while.
 */
export async function startSmtpSink(port?: number) {
  const mails: ArrivedMail[] = [];
  const listenOn = port ?? (await freePort());
  let server: SMTPServer | null = null;
  const waiters: (() => void)[] = [];
  const start = () =>
    new Promise<void>((resolve, reject) => {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ["STARTTLS"],
        logger: false,
        onData(stream, session, callback) {
          simpleParser(stream)
            .then((parsed) => {
              const to = session.envelope.rcptTo.map((r) => r.address).join(",");
              mails.push({ to, subject: parsed.subject ?? "", text: parsed.text ?? "", html: typeof parsed.html === "string" ? parsed.html : "", headers: parsed.headers, messageId: parsed.messageId, parsed });
              for (const w of waiters.splice(0)) w();
              callback();
            })
            .catch(callback);
        },
      });
      server.once("error", reject);
      server.listen(listenOn, "127.0.0.1", () => resolve());
    });
  await start();
  return {
    port: listenOn,
    url: `smtp://127.0.0.1:${listenOn}`,
    mails,
    start,
    stop: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
    /** The first mail to `to` (and matching `subject`, if given), waiting up to `timeoutMs` for it. */
    async waitFor(to: string, subject?: RegExp, timeoutMs = 20_000): Promise<ArrivedMail> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = mails.find((m) => m.to === to && (!subject || subject.test(m.subject)));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no mail to ${to}${subject ? ` matching ${subject}` : ""} (got: ${mails.map((m) => `${m.to}: ${m.subject}`).join("; ") || "none"})`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
  };
}

/** The first link in a mail's text part that starts with `prefix` (an origin and path). */
export function linkIn(mail: ArrivedMail, path: string): string {
  const match = mail.text.split(/\s+/).find((word) => word.includes(path) && /^https?:\/\//.test(word));
  if (!match) throw new Error(`no link to ${path} in: ${mail.text}`);
  return match;
}
