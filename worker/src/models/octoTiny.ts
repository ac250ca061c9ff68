// octo-tiny: the project's default model, a 0.9M-parameter llama-architecture decoder trained on this machine to answer
// short checkable questions (worker/models/octo-tiny/README.md). Its GGUF is committed; the worker serves it like any
// other model, through llama.cpp.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

/** The committed GGUF. */
export const OCTO_TINY_PATH = resolve(import.meta.dirname, "../../models/octo-tiny/octo-tiny.gguf");
/** The held-out test set (tasks.py writes it): prompts the model never saw in training, with their answers. */
export const OCTO_TINY_HELD_OUT_PATH = resolve(import.meta.dirname, "../../models/octo-tiny/heldout.jsonl");

/**
 * The chat template written into the GGUF (tokenizer.chat_template), so a llama.cpp chat front end renders a
 * conversation as the model was trained: "Q: <question>\nA: " and the answer ends with </s>. One turn is what it knows.
 */
export const OCTO_TINY_CHAT_TEMPLATE =
  "{% for message in messages %}{% if message['role'] == 'user' %}{{ 'Q: ' + message['content'] + '\\n' }}" +
  "{% elif message['role'] == 'assistant' %}{{ 'A: ' + message['content'] + eos_token + '\\n' }}{% endif %}{% endfor %}" +
  "{% if add_generation_prompt %}{{ 'A: ' }}{% endif %}";

/** The raw prompt the worker's engine completes for one question: what the chat template renders for it. */
export function renderOctoTinyPrompt(question: string): string {
  return `Q: ${question}\nA: `;
}

export type OctoTinyExample = { task: string; question: string; prompt: string; answer: string };

/** The held-out test set, in file order. */
export function readOctoTinyHeldOut(path: string = OCTO_TINY_HELD_OUT_PATH): OctoTinyExample[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as OctoTinyExample);
}
