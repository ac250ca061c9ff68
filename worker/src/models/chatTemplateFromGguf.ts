// A GGUF's chat template (tokenizer.chat_template) with the special tokens it may name, for rendering chat jobs
// (@octo/sdk renderJobInput). The template is inside the file whose sha256 is the model's registered weights digest,
// so every worker serving the registered model (the provider, each dispute validator) renders a job's messages the
// same way. Undefined for a file without a template: chat jobs then use the sdk's fixed template.
import type { ChatTemplate } from "@octo/sdk";
import { readGgufFileInfo } from "node-llama-cpp";

type TokenizerMetadata = {
  chat_template?: string;
  ggml?: { tokens?: readonly string[]; bos_token_id?: number; eos_token_id?: number };
};

export async function chatTemplateFromGguf({ path }: { path: string }): Promise<ChatTemplate | undefined> {
  const info = await readGgufFileInfo(path, { readTensorInfo: false });
  const tokenizer = (info.metadata as unknown as { tokenizer?: TokenizerMetadata }).tokenizer;
  const template = tokenizer?.chat_template;
  if (!template) return undefined;
  const token = (id: number | undefined) => (id === undefined ? undefined : tokenizer.ggml?.tokens?.[id]);
  return { template, bosToken: token(tokenizer.ggml?.bos_token_id), eosToken: token(tokenizer.ggml?.eos_token_id) };
}
