// Chat messages rendered with a model's own chat template (the Jinja template a GGUF carries as
// tokenizer.chat_template, as Hugging Face and llama.cpp render it), so that a chat job's prompt is what the model was
// trained on. The template travels inside the model file, whose sha256 is the registered weights digest: every party
// serving the registered model has the same template, so the provider and every validator render a job alike.
import { Template } from "@huggingface/jinja";
import { InvalidInputError } from "../errors/errors.ts";
import type { ChatMessage } from "./jobInput.ts";

/** A model's chat template and the special tokens it may name. */
export type ChatTemplate = { template: string; bosToken?: string | undefined; eosToken?: string | undefined };

/** The prompt for the assistant's next turn: the conversation in the template, with the generation prompt added. */
export function renderChatTemplate(chat: ChatTemplate, messages: readonly ChatMessage[]): string {
  try {
    return new Template(chat.template).render({
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      add_generation_prompt: true,
      bos_token: chat.bosToken ?? "",
      eos_token: chat.eosToken ?? "",
    });
  } catch (cause) {
    throw new InvalidInputError("the model's chat template cannot render these messages", {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
}
