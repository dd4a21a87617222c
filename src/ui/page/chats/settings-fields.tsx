import type { ChatSettings, ProviderName } from "../../../events/chat-settings.js";

const choices = {
  permissionMode: ["default", "acceptEdits", "plan", "bypassPermissions"],
  sandbox: ["read-only", "workspace-write", "danger-full-access"],
  approvalPolicy: ["untrusted", "on-failure", "on-request", "never"],
} as const;

/** Which settings each agent reads (the other's are ignored by its adapter). */
const fieldsOf: Record<ProviderName, (keyof typeof choices)[]> = {
  claude: ["permissionMode"],
  codex: ["sandbox", "approvalPolicy"],
};

const labels: Record<keyof typeof choices, string> = {
  permissionMode: "Permission mode",
  sandbox: "Sandbox",
  approvalPolicy: "Approval policy",
};

/** Model and the agent's own settings; an empty field leaves the setting to the chat or agent. */
export function SettingsFields({
  provider,
  value,
  onChange,
}: {
  provider: ProviderName;
  value: ChatSettings;
  onChange: (settings: ChatSettings) => void;
}) {
  const set = (key: keyof ChatSettings, raw: string) => {
    const next = { ...value };
    if (raw) Object.assign(next, { [key]: raw });
    else delete next[key];
    onChange(next);
  };
  return (
    <div class="settings-fields">
      <label>
        Model
        <input
          value={value.model ?? ""}
          placeholder="the agent's default"
          onInput={(e) => set("model", (e.target as HTMLInputElement).value.trim())}
        />
      </label>
      {fieldsOf[provider].map((key) => (
        <label key={key}>
          {labels[key]}
          <select
            value={value[key] ?? ""}
            onChange={(e) => set(key, (e.target as HTMLSelectElement).value)}
          >
            <option value="">default</option>
            {choices[key].map((choice) => (
              <option key={choice} value={choice}>
                {choice}
              </option>
            ))}
          </select>
        </label>
      ))}
    </div>
  );
}
