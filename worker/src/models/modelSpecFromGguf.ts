// A model's registry spec, derived from its GGUF file rather than typed by hand: the weights digest is the file's
// sha256, the quantization is what the file's general.file_type says, the name and chat template are its metadata.
// ModelRegistry.computeModelId hashes (name, weightsDigest, quantization, engine): the chat template is not part of
// the on-chain id, but it travels with the spec so that a front end renders prompts the way the model expects.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { Hex } from "viem";
import { readGgufFileInfo } from "node-llama-cpp";
import { EngineConfigError } from "../engines/errors.ts";

export type ModelSpecFromGgufParameters = {
  path: string;
  /** The engine that serves it, as the registry lists it. Default "llama.cpp". */
  engine?: string;
};

export type ModelSpecFromGgufReturnType = {
  /** What ModelRegistry.registerModel takes. */
  spec: { name: string; weightsDigest: Hex; quantization: string; engine: string };
  /** tokenizer.chat_template, when the file has one. */
  chatTemplate: string | undefined;
};

/** llama.cpp's `llama_ftype` values (general.file_type) and their usual names. */
const FILE_TYPES: Readonly<Record<number, string>> = {
  0: "f32",
  1: "f16",
  2: "q4_0",
  3: "q4_1",
  7: "q8_0",
  8: "q5_0",
  9: "q5_1",
  10: "q2_k",
  11: "q3_k_s",
  12: "q3_k_m",
  13: "q3_k_l",
  14: "q4_k_s",
  15: "q4_k_m",
  16: "q5_k_s",
  17: "q5_k_m",
  18: "q6_k",
  32: "bf16",
};

export async function modelSpecFromGguf({
  path,
  engine = "llama.cpp",
}: ModelSpecFromGgufParameters): Promise<ModelSpecFromGgufReturnType> {
  const info = await readGgufFileInfo(path, { readTensorInfo: false });
  const metadata = info.metadata as unknown as {
    general?: { name?: string; file_type?: number };
    tokenizer?: { chat_template?: string };
  };
  const name = metadata.general?.name;
  if (!name) throw new EngineConfigError("model", `${path} has no general.name`);
  const fileType = metadata.general?.file_type;
  const quantization = fileType === undefined ? undefined : FILE_TYPES[fileType];
  if (quantization === undefined)
    throw new EngineConfigError("model", `${path}: unknown general.file_type ${fileType}`);
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return {
    spec: { name, weightsDigest: `0x${hash.digest("hex")}`, quantization, engine },
    chatTemplate: metadata.tokenizer?.chat_template,
  };
}
