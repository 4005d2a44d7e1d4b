"use client";

import { useFormAction } from "../_components/use-form-action";
import { FormStatus } from "../_components/form-status";
import { changeNameAction, changePasswordAction, createTokenAction, endAllSessionsAction, endSessionAction, revokeTokenAction } from "./actions";

export function ProfileForms({ name, hasPassword }: { name: string; hasPassword: boolean }) {
  const [nameState, nameAction] = useFormAction(changeNameAction, {});
  const [passwordState, passwordAction] = useFormAction(changePasswordAction, {});
  const [tokenState, tokenAction] = useFormAction(createTokenAction, {});
  return (
    <>
      <h2>Display name</h2>
      <form action={nameAction} className="form">
        <FormStatus state={nameState} />
        <label>
          Name
          <input name="name" defaultValue={nameState.fields?.name ?? name} required minLength={2} maxLength={40} />
        </label>
        <button type="submit">Change name</button>
      </form>
      <h2>Password</h2>
      <form action={passwordAction} className="form">
        <FormStatus state={passwordState} />
        {passwordState.ok ? (
          <p>
            <a href="/signin?callbackUrl=/profile">Sign in again</a>
          </p>
        ) : null}
        {hasPassword ? (
          <label>
            Current password
            <input name="currentPassword" type="password" autoComplete="current-password" required maxLength={1024} />
          </label>
        ) : null}
        <label>
          New password
          <input name="newPassword" type="password" autoComplete="new-password" required minLength={10} maxLength={128} />
        </label>
        <button type="submit">Change password</button>
      </form>
      <h3>New API token</h3>
      <form action={tokenAction} className="form">
        <FormStatus state={tokenState} />
        {tokenState.ok && typeof tokenState.data?.token === "string" ? (
          <p className="token-secret" data-testid="new-token">
            {tokenState.data.token}
          </p>
        ) : null}
        <label>
          Name
          <input name="name" required maxLength={100} placeholder="e.g. link checker" />
        </label>
        <label>
          Expires after (days)
          <input name="days" type="number" min={1} max={365} defaultValue={90} required />
        </label>
        <label>
          Scope
          <select name="scope" defaultValue="read">
            <option value="read">read</option>
            <option value="write">write</option>
          </select>
        </label>
        <button type="submit">Create token</button>
      </form>
    </>
  );
}

type TokenView = { id: number; name: string; scope: string; prefix: string; createdAt: string; lastUsedAt: string | null; expiresAt: string; expired: boolean };

export function TokenRow({ token }: { token: TokenView }) {
  const [state, action] = useFormAction(revokeTokenAction, {});
  return (
    <li>
      <strong>{token.name}</strong> ({token.scope}, <code>{token.prefix}…</code>, created {token.createdAt.slice(0, 10)}
      {token.lastUsedAt ? `, last used ${token.lastUsedAt.slice(0, 16).replace("T", " ")}` : ", never used"}
      {token.expired ? `, expired ${token.expiresAt.slice(0, 10)}` : `, expires ${token.expiresAt.slice(0, 10)}`}){" "}
      <form action={action} className="inline-form">
        <input type="hidden" name="id" value={token.id} />
        <button type="submit">Revoke</button>
      </form>
      <FormStatus state={state} />
    </li>
  );
}

type SessionView = { handle: string; device: string; createdAt: string; lastSeenAt: string; current: boolean };

/** One signed-in session on the profile, with its own sign-out button. */
export function SessionRow({ session }: { session: SessionView }) {
  const [state, action] = useFormAction(endSessionAction, {});
  return (
    <li>
      <strong>{session.device}</strong>
      {session.current ? " (this device)" : null}: signed in {session.createdAt.slice(0, 10)}, last seen {session.lastSeenAt.slice(0, 16).replace("T", " ")} UTC{" "}
      <form action={action} className="inline-form">
        <input type="hidden" name="session" value={session.handle} />
        <button type="submit" aria-label={`Sign out ${session.device}${session.current ? " (this device)" : ""}`}>
          Sign out
        </button>
      </form>
      <FormStatus state={state} />
    </li>
  );
}

/** "Sign out everywhere": every session of this account ends, this one too. */
export function SignOutEverywhere() {
  const [state, action] = useFormAction(endAllSessionsAction, {});
  return (
    <form action={action} className="form">
      <FormStatus state={state} />
      {state.ok ? (
        <p>
          <a href="/signin?callbackUrl=/profile">Sign in again</a>
        </p>
      ) : null}
      <button type="submit">Sign out everywhere</button>
    </form>
  );
}
