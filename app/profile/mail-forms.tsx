"use client";

import { useFormAction } from "../_components/use-form-action";
import { FormStatus } from "../_components/form-status";
import { changeEmailAction, resendVerificationAction, setMailPreferencesAction } from "./actions";

export type MailSettingsView = { email: string | null; verified: boolean; pendingEmail: string | null; mail: "instant" | "daily" | "never"; minorEdits: boolean; hasPassword: boolean; mailIsSent: boolean };

/** The profile's mail section: the address and its confirmation, and how notifications come by mail. */
export function MailForms({ settings }: { settings: MailSettingsView }) {
  const [emailState, emailAction] = useFormAction(changeEmailAction, {});
  const [resendState, resendAction] = useFormAction(resendVerificationAction, {});
  const [mailState, mailAction] = useFormAction(setMailPreferencesAction, {});
  return (
    <>
      <h2 id="mail">Email</h2>
      {settings.mailIsSent ? null : <p className="hint">This wiki sends no mail yet (no mail server is set up): mails are written to the server log.</p>}
      <p>
        {settings.email ? (
          <>
            Your address is <strong>{settings.email}</strong> ({settings.verified ? "confirmed" : "not confirmed yet: notifications are not mailed to it"}).
          </>
        ) : (
          "Your account has no address."
        )}
        {settings.pendingEmail ? <> Waiting for confirmation: {settings.pendingEmail}.</> : null}
      </p>
      {settings.pendingEmail || (settings.email && !settings.verified) ? (
        <form action={resendAction} className="form">
          <FormStatus state={resendState} />
          <button type="submit">Mail the confirmation link again</button>
        </form>
      ) : null}
      <form action={emailAction} className="form">
        <FormStatus state={emailState} />
        <label>
          New address
          <input name="email" type="email" required maxLength={254} autoComplete="email" />
        </label>
        {settings.hasPassword ? (
          <label>
            Current password
            <input name="password" type="password" autoComplete="current-password" required maxLength={1024} />
          </label>
        ) : null}
        <button type="submit">Change address</button>
      </form>
      <h3>Notifications by mail</h3>
      <form action={mailAction} className="form">
        <FormStatus state={mailState} />
        <fieldset>
          <legend>Mail me about edits to watched pages, replies, mentions{" "}and posts waiting for moderation</legend>
          <label>
            <input type="radio" name="mail" value="instant" defaultChecked={settings.mail === "instant"} /> At once (at most one mail per page an hour)
          </label>
          <label>
            <input type="radio" name="mail" value="daily" defaultChecked={settings.mail === "daily"} /> A daily digest
          </label>
          <label>
            <input type="radio" name="mail" value="never" defaultChecked={settings.mail === "never"} /> Never
          </label>
        </fieldset>
        <label>
          <input type="checkbox" name="minorEdits" defaultChecked={settings.minorEdits} /> Minor edits of watched pages too
        </label>
        <button type="submit">Save mail settings</button>
      </form>
    </>
  );
}
