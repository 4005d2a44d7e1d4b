"use client";

import { useFormAction } from "../../_components/use-form-action";
import { setBlockedAction, setRoleAction } from "./actions";

type Row = { id: string; name: string; email: string | null; role: string; blocked: boolean };

export function UserRow({ user, self }: { user: Row; self: boolean }) {
  const [roleState, roleAction] = useFormAction(setRoleAction, {});
  const [blockState, blockAction] = useFormAction(setBlockedAction, {});
  const message = roleState.error ?? blockState.error ?? roleState.message ?? blockState.message;
  return (
    <tr data-user={user.name}>
      <td>{user.name}</td>
      <td>{user.email ?? "—"}</td>
      <td>
        <form action={roleAction} className="inline-form">
          <input type="hidden" name="userId" value={user.id} />
          <label className="visually-hidden" htmlFor={`role-${user.id}`}>
            Role of {user.name}
          </label>
          <select id={`role-${user.id}`} name="role" defaultValue={user.role} disabled={self}>
            {["reader", "editor", "moderator", "admin"].map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <button type="submit" disabled={self}>
            Set role
          </button>
        </form>
      </td>
      <td>
        <form action={blockAction} className="inline-form">
          <input type="hidden" name="userId" value={user.id} />
          <input type="hidden" name="blocked" value={user.blocked ? "false" : "true"} />
          {user.blocked ? <span className="badge">blocked</span> : null}
          <button type="submit" disabled={self}>
            {user.blocked ? "Unblock" : "Block"}
          </button>
        </form>
        {message ? <span role="status"> {message}</span> : null}
      </td>
    </tr>
  );
}
