import { useEffect, useState } from "preact/hooks";

export type Route =
  | { view: "home" }
  | { view: "new-chat" }
  | { view: "chat"; chatId: string }
  | { view: "events" }
  | { view: "actors" }
  | { view: "workspace" };

/** The view a hash names (`#/chats/<id>`, `#/events`...): moving between views sends nothing. */
export function parseRoute(hash: string): Route {
  const [, first, second] = hash.replace(/^#/, "").split("/");
  if (first === "chats" && second) return { view: "chat", chatId: decodeURIComponent(second) };
  if (first === "new-chat" || first === "events" || first === "actors" || first === "workspace")
    return { view: first };
  return { view: "home" };
}

export const chatHref = (chatId: string) => `#/chats/${encodeURIComponent(chatId)}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return route;
}
