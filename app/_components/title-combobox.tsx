"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";

/** A page title and its address, as /api/titles gives them. */
type Suggestion = { title: string; href: string };

/**
 * A text box that suggests page titles as you type, after the WAI-ARIA
 * combobox pattern (list autocomplete, no automatic selection): Down and Up
 * move through the suggestions, Enter opens the highlighted page (or submits
 * the form when none is), Escape closes the list and then clears the box,
 * and a click on a suggestion opens it.
 */
export function TitleCombobox({
  id,
  name,
  label,
  placeholder,
  accessKey,
  defaultValue,
  required,
  externalLabel,
  onPick,
}: {
  id: string;
  name: string;
  label: string;
  placeholder?: string;
  accessKey?: string;
  defaultValue?: string;
  required?: boolean;
  /** The page has its own visible <label for={id}>. */
  externalLabel?: boolean;
  /** What choosing a suggestion does; by default, open the page. */
  onPick?: (s: Suggestion) => void;
}) {
  const router = useRouter();
  const listId = useId();
  const [value, setValue] = useState(defaultValue ?? "");
  const [options, setOptions] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const typed = useRef(false);

  useEffect(() => {
    if (!typed.current) return;
    const q = value.trim();
    if (q === "") {
      setOptions([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/titles?q=${encodeURIComponent(q.slice(0, 255))}`, { signal: controller.signal })
        .then((r) => (r.ok ? (r.json() as Promise<{ titles: Suggestion[] }>) : { titles: [] }))
        .then((data) => {
          setOptions(data.titles);
          setActive(-1);
        })
        .catch(() => {});
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [value]);

  const expanded = open && options.length > 0;
  const pick = (s: Suggestion) => {
    setOpen(false);
    setValue(s.title);
    if (onPick) onPick(s);
    else router.push(s.href);
  };

  return (
    <div className="combobox">
      {externalLabel ? null : (
        <label htmlFor={id} className="visually-hidden">
          {label}
        </label>
      )}
      <input
        id={id}
        name={name}
        type="text"
        inputMode="search"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        autoComplete="off"
        placeholder={placeholder}
        accessKey={accessKey}
        maxLength={255}
        required={required}
        value={value}
        onChange={(e) => {
          typed.current = true;
          setValue(e.target.value);
          setOpen(true);
        }}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setOpen(true);
            if (options.length > 0) setActive((a) => (a + 1) % options.length);
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setOpen(true);
            if (options.length > 0) setActive((a) => (a <= 0 ? options.length - 1 : a - 1));
          } else if (e.key === "Enter" && expanded && active >= 0) {
            e.preventDefault();
            pick(options[active]!);
          } else if (e.key === "Escape") {
            if (expanded) setOpen(false);
            else setValue("");
            setActive(-1);
          }
        }}
      />
      <ul id={listId} role="listbox" aria-label={`${label}: suggestions`} className="combobox-list" hidden={!expanded}>
        {options.map((s, i) => (
          <li
            key={s.href}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            // Before the input's blur, which closes the list.
            onMouseDown={(e) => {
              e.preventDefault();
              pick(s);
            }}
          >
            {s.title}
          </li>
        ))}
      </ul>
    </div>
  );
}
