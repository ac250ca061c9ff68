// Starting points for a prompt: everyday messaging tasks, and the prompt format a model was trained on. The job
// input itself is the sdk's (encodeJobInput); these only write its text.
import type { ChatMessage, JobInput } from "@octo/sdk";

export type TaskTemplate = { id: string; label: string; write(text: string): string };

export const TASK_TEMPLATES: readonly TaskTemplate[] = [
  {
    id: "summarise",
    label: "Summarise a thread",
    write: (t) => `Summarise this conversation in three short bullet points:\n\n${t}`,
  },
  { id: "translate", label: "Translate", write: (t) => `Translate into English, keeping the tone:\n\n${t}` },
  { id: "reply", label: "Draft a reply", write: (t) => `Draft a short, friendly reply to this message:\n\n${t}` },
  {
    id: "spam",
    label: "Flag spam or abuse",
    write: (t) => `Is this message spam, abuse, or fine? Answer with one word, then one sentence why.\n\n${t}`,
  },
  {
    id: "sentiment",
    label: "Classify sentiment",
    write: (t) => `Classify the sentiment of this message as positive, neutral or negative:\n\n${t}`,
  },
];

/** How a model wants its input. octo-tiny was trained on one "Q: …\nA: " turn (its GGUF's chat template); other
 *  models take chat messages, which the sdk renders in its one fixed template. */
export type ModelFormat = { kind: "question"; render(question: string): string; example: string } | { kind: "chat" };

export function modelFormat(modelName: string): ModelFormat {
  if (modelName.startsWith("octo-tiny")) return { kind: "question", render: (q) => `Q: ${q}\nA: `, example: "17 + 25" };
  return { kind: "chat" };
}

/** The job input for what the person wrote: one question in the model's own format, or the chat as messages. */
export function jobInputFor(
  format: ModelFormat,
  { text, messages }: { text: string; messages?: readonly ChatMessage[] | undefined },
): JobInput {
  if (format.kind === "question") return { prompt: format.render(text.trim()) };
  const turns = messages && messages.length > 0 ? messages : [{ role: "user" as const, content: text }];
  return { messages: turns };
}
