import { useState } from "preact/hooks";

/** A value's JSON, rendered only once asked for (a long log stays cheap). */
export function JsonToggle({ value, label = "JSON" }: { value: unknown; label?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <div class="json-toggle">
      <button type="button" class="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? `Hide ${label}` : `Show ${label}`}
      </button>
      {open && <pre class="json">{JSON.stringify(value, null, 2)}</pre>}
    </div>
  );
}
