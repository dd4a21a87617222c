import { useState } from "preact/hooks";
import type { PlanFile } from "../../../events/plan-events.js";
import { renderMarkdown } from "../chat/markdown.js";
import { useEngine } from "../engine-context.js";
import { errorText, useRefreshed } from "../live/use-follow.js";

/** The agents' plans; one read and rendered when opened. */
export function PlansPanel() {
  const { client } = useEngine();
  const { value, error } = useRefreshed(
    () => client.get<{ plans: PlanFile[] }>("/plans"),
    (event) => event.type.startsWith("plan."),
    2000,
  );
  const [open, setOpen] = useState<{ name: string; html: string } | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const read = async (name: string) => {
    try {
      const { plan } = await client.get<{ plan: { content: string } }>(
        `/plans/${encodeURIComponent(name)}`,
      );
      setOpen({ name, html: renderMarkdown(plan.content) });
    } catch (failure) {
      setReadError(errorText(failure));
    }
  };
  return (
    <section class="panel" aria-label="Plans">
      <h3>Plans</h3>
      {(error ?? readError) && <p class="error">{error ?? readError}</p>}
      {value && value.plans.length === 0 && <p class="muted">No plans.</p>}
      <ul>
        {value?.plans.map((plan) => (
          <li key={`${plan.source}/${plan.name}`}>
            <button type="button" class="link" onClick={() => read(plan.name)}>
              {plan.name}
            </button>{" "}
            <span class="muted">
              {plan.source} · {plan.size} bytes · {plan.mtime}
            </span>
          </li>
        ))}
      </ul>
      {open && (
        <article class="markdown plan-content" aria-label={`Plan ${open.name}`}>
          <div dangerouslySetInnerHTML={{ __html: open.html }} />
        </article>
      )}
    </section>
  );
}
