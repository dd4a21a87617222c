import { useEngine } from "../engine-context.js";
import { ErrorNote } from "../error-note.js";
import { JsonToggle } from "../json-view.js";
import { useRefreshed } from "../live/use-follow.js";
import { chatHref } from "../route.js";

interface ActorSnapshot {
  chatId: string;
  status: string;
  value: unknown;
  context: unknown;
}

const stateName = (value: unknown): string =>
  typeof value === "string"
    ? value
    : Object.entries(value as Record<string, unknown>)
        .map(([key, inner]) => `${key}.${stateName(inner)}`)
        .join(", ");

/** Each live chat actor's state value and context (GET /debug/actors), refetched as chats move. */
export function ActorsView() {
  const { client } = useEngine();
  const { value, error } = useRefreshed(
    () => client.get<{ position: number; actors: ActorSnapshot[] }>("/debug/actors"),
    (event) => event.type.startsWith("chat.") && event.type !== "chat.item.delta",
    300,
  );
  return (
    <section class="panel" aria-label="Actors">
      <h2>Actors</h2>
      <ErrorNote error={error} />
      {value && (
        <>
          <p class="muted">
            {value.actors.length} actors of chats at work at position {value.position} (a resting
            chat has none: its actor starts with its next command)
          </p>
          <table>
            <thead>
              <tr>
                <th>chat</th>
                <th>state</th>
                <th>status</th>
                <th>context</th>
              </tr>
            </thead>
            <tbody>
              {value.actors.map((actor) => (
                <tr key={actor.chatId} data-actor={actor.chatId}>
                  <td>
                    <a href={chatHref(actor.chatId)}>{actor.chatId}</a>
                  </td>
                  <td class="actor-state">{stateName(actor.value)}</td>
                  <td>{actor.status}</td>
                  <td>
                    <JsonToggle value={actor.context} label="context" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
