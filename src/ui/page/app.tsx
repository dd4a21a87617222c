import { useEffect, useMemo, useState } from "preact/hooks";
import { EngineApiError } from "../../client/engine-api-error.js";
import { ActorsView } from "./actors/actors-view.js";
import { ChatView } from "./chat/chat-view.js";
import { ChatsSidebar } from "./chats/chats-sidebar.js";
import { NewChatForm } from "./chats/new-chat-form.js";
import { connectEngine, type Engine, EngineContext } from "./engine-context.js";
import { EventsView } from "./events/events-view.js";
import type { LiveState } from "./live/live-log.js";
import { Login } from "./login.js";
import { type Route, useRoute } from "./route.js";
import { forgetSecret, loadSecret, saveSecret } from "./session/secret.js";
import { WorkspaceView } from "./workspace/workspace-view.js";

/** The page: the login until the tab holds a secret, then the inspector. */
export function App() {
  const [secret, setSecret] = useState(loadSecret);
  const [notice, setNotice] = useState<string | undefined>();
  const engine = useMemo(() => (secret ? connectEngine(secret) : null), [secret]);
  useEffect(() => {
    if (!engine) return;
    engine.live.ready.catch((error: unknown) => {
      if (error instanceof EngineApiError && error.status === 401) {
        forgetSecret();
        setNotice("The engine refused the secret this tab held: enter it again.");
        setSecret(null);
      }
    });
    return () => engine.live.close();
  }, [engine]);
  const logout = () => {
    forgetSecret();
    setSecret(null);
  };
  if (!engine)
    return (
      <Login
        notice={notice}
        onLogin={(value) => {
          saveSecret(value);
          setSecret(value);
        }}
      />
    );
  return (
    <EngineContext.Provider value={engine}>
      <Shell engine={engine} onLogout={logout} />
    </EngineContext.Provider>
  );
}

const views: { view: Route["view"]; href: string; label: string }[] = [
  { view: "home", href: "#/", label: "Chats" },
  { view: "events", href: "#/events", label: "Events" },
  { view: "actors", href: "#/actors", label: "Actors" },
  { view: "workspace", href: "#/workspace", label: "Workspace" },
];

const liveLabel: Record<LiveState, string> = {
  connecting: "connecting",
  live: "live",
  reconnecting: "reconnecting",
  reset: "the engine's log changed: reload the page",
  stopped: "the engine refused the event stream: log in again",
};

function useLiveState(engine: Engine): { state: LiveState; position: number } {
  const [state, setState] = useState({ state: engine.live.state, position: engine.live.position });
  useEffect(() => {
    const update = () => setState({ state: engine.live.state, position: engine.live.position });
    const offState = engine.live.onState(update);
    // The position shown moves at most a few times a second.
    const timer = setInterval(update, 500);
    return () => {
      offState();
      clearInterval(timer);
    };
  }, [engine]);
  return state;
}

function Shell({ engine, onLogout }: { engine: Engine; onLogout: () => void }) {
  const route = useRoute();
  const live = useLiveState(engine);
  const current = route.view === "chat" || route.view === "new-chat" ? "home" : route.view;
  return (
    <div class="shell">
      <header class="topbar">
        <span class="brand">
          <img src="/ui/icon.svg" alt="" width="20" height="20" /> replicas-engine
        </span>
        <nav aria-label="Views">
          {views.map((v) => (
            <a key={v.view} href={v.href} aria-current={current === v.view ? "page" : undefined}>
              {v.label}
            </a>
          ))}
        </nav>
        <span class={`live live-${live.state}`} role="status">
          {liveLabel[live.state]} · position {live.position}
        </span>
        <button type="button" class="link" onClick={onLogout}>
          Log out
        </button>
      </header>
      <ChatsSidebar selected={route.view === "chat" ? route.chatId : null} />
      <main class="main">
        <RouteView route={route} />
      </main>
    </div>
  );
}

function RouteView({ route }: { route: Route }) {
  switch (route.view) {
    case "chat":
      return <ChatView key={route.chatId} chatId={route.chatId} />;
    case "new-chat":
      return <NewChatForm />;
    case "events":
      return <EventsView />;
    case "actors":
      return <ActorsView />;
    case "workspace":
      return <WorkspaceView />;
    default:
      return (
        <section class="empty">
          <h2>Chats</h2>
          <p>Pick a chat on the left, or start a new one.</p>
          <a class="button" href="#/new-chat">
            New chat
          </a>
        </section>
      );
  }
}
