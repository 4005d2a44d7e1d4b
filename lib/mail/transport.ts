import "server-only";
import nodemailer from "nodemailer";
import { env } from "@/lib/env";

/** One mail as the outbox holds it. */
export type OutboundMail = { to: string; subject: string; text: string; html: string; headers: Record<string, string>; messageId: string };

/** Where mail goes: an SMTP server, or (without SMTP_URL) the server log. */
export type MailTransport = { kind: "smtp" | "log"; send(mail: OutboundMail): Promise<void>; close(): void };

/** A nodemailer transport for `smtpUrl`; each send is one SMTP conversation, with short timeouts so a dead server fails an attempt quickly. */
export function smtpTransport(smtpUrl: string, from: string): MailTransport {
  // Timeouts: the loop must not hang on a server that accepts connections and says nothing.
  const transporter = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as nodemailer.TransportOptions, { from });
  return {
    kind: "smtp",
    async send(mail) {
      await transporter.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, headers: mail.headers, messageId: mail.messageId });
    },
    close: () => transporter.close(),
  };
}

/** Without SMTP_URL: every mail is written to the server log (its text part), so an operator can pass a link on by hand. */
export function logTransport(log: (line: string) => void = console.info): MailTransport {
  return {
    kind: "log",
    async send(mail) {
      log(`mail (SMTP_URL is not set, so it is logged instead of sent) to ${mail.to}: ${mail.subject}\n${mail.text}`);
    },
    close: () => {},
  };
}

/** The transport the configuration asks for. */
export function configuredTransport(): MailTransport {
  const e = env();
  return e.SMTP_URL ? smtpTransport(e.SMTP_URL, e.MAIL_FROM) : logTransport();
}

/** Whether mail really leaves the server (pages that depend on it say so when it does not). */
export function mailIsSent(): boolean {
  return env().SMTP_URL !== undefined;
}
