"use client";
import type { ChatMessage } from "@octo/sdk";

/** A chat as a list of turns; the sdk sends it as messages and renders it in its one template. */
export function ChatEditor({ messages, onChange }: { messages: ChatMessage[]; onChange: (m: ChatMessage[]) => void }) {
  const set = (i: number, m: Partial<ChatMessage>) => onChange(messages.map((x, j) => (j === i ? { ...x, ...m } : x)));
  return (
    <div className="chat">
      {messages.map((m, i) => (
        <div key={i} className="turn">
          <select value={m.role} onChange={(e) => set(i, { role: e.target.value as ChatMessage["role"] })}>
            <option value="system">system</option>
            <option value="user">user</option>
            <option value="assistant">assistant</option>
          </select>
          <textarea
            value={m.content}
            onChange={(e) => set(i, { content: e.target.value })}
            rows={3}
            data-testid={`turn-${i}`}
          />
          {messages.length > 1 && (
            <button type="button" onClick={() => onChange(messages.filter((_, j) => j !== i))} aria-label="remove turn">
              ×
            </button>
          )}
        </div>
      ))}
      <button
        type="button"
        onClick={() =>
          onChange([...messages, { role: messages.at(-1)?.role === "user" ? "assistant" : "user", content: "" }])
        }
      >
        Add a turn
      </button>
    </div>
  );
}
