// Exports the trained octo-tiny weights (worker/models/octo-tiny/octo-tiny.safetensors, written by train.py) to GGUF
// with the project's own writer, and writes its sha256 next to it.
//   node worker/scripts/exportOctoTiny.ts [weights.safetensors] [out.gguf]
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { byteVocabularyMetadata, BYTE_VOCABULARY_TOKENS } from "../src/models/byteVocabulary.ts";
import { encodeGguf, type GgufTensor } from "../src/models/encodeGguf.ts";
import { OCTO_TINY_CHAT_TEMPLATE, OCTO_TINY_PATH } from "../src/models/octoTiny.ts";

const modelDir = resolve(import.meta.dirname, "../models/octo-tiny");

type OctoTinyConfig = {
  name: string;
  vocab: number;
  embedding: number;
  layers: number;
  heads: number;
  feedForward: number;
  contextLength: number;
  ropeFreqBase: number;
  rmsNormEps: number;
};

export type ExportOctoTinyParameters = { weightsPath?: string; outPath?: string; configPath?: string };
export type ExportOctoTinyReturnType = { path: string; sha256: string; bytes: number };

export function exportOctoTiny({
  weightsPath = resolve(modelDir, "octo-tiny.safetensors"),
  outPath = OCTO_TINY_PATH,
  configPath = resolve(modelDir, "config.json"),
}: ExportOctoTinyParameters = {}): ExportOctoTinyReturnType {
  const c = JSON.parse(readFileSync(configPath, "utf8")) as OctoTinyConfig;
  if (c.vocab !== BYTE_VOCABULARY_TOKENS.length)
    throw new Error(`config vocab ${c.vocab} ≠ byte vocabulary ${BYTE_VOCABULARY_TOKENS.length}`);
  const tensors = readSafetensors(readFileSync(weightsPath));
  const headDim = c.embedding / c.heads;
  const bytes = encodeGguf({
    metadata: [
      ["general.architecture", { type: "string", value: "llama" }],
      ["general.name", { type: "string", value: c.name }],
      ["general.file_type", { type: "u32", value: 0 }], // all f32
      ["llama.context_length", { type: "u32", value: c.contextLength }],
      ["llama.embedding_length", { type: "u32", value: c.embedding }],
      ["llama.block_count", { type: "u32", value: c.layers }],
      ["llama.feed_forward_length", { type: "u32", value: c.feedForward }],
      ["llama.rope.dimension_count", { type: "u32", value: headDim }],
      ["llama.attention.head_count", { type: "u32", value: c.heads }],
      ["llama.attention.head_count_kv", { type: "u32", value: c.heads }],
      ["llama.attention.layer_norm_rms_epsilon", { type: "f32", value: c.rmsNormEps }],
      ["llama.rope.freq_base", { type: "f32", value: c.ropeFreqBase }],
      ["llama.vocab_size", { type: "u32", value: c.vocab }],
      ...byteVocabularyMetadata({ addSpacePrefix: false }),
      ["tokenizer.chat_template", { type: "string", value: OCTO_TINY_CHAT_TEMPLATE }],
    ],
    tensors,
  });
  writeFileSync(outPath, bytes);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  writeFileSync(`${outPath}.sha256`, `${sha256}  ${basename(outPath)}\n`);
  return { path: outPath, sha256, bytes: bytes.length };
}

/** Reads an all-F32 safetensors file, in the file's tensor order; torch shapes [out, in] become ggml dims [in, out]. */
function readSafetensors(file: Buffer): GgufTensor[] {
  const headerLength = Number(file.readBigUInt64LE(0));
  const header = JSON.parse(file.subarray(8, 8 + headerLength).toString("utf8")) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const dataStart = 8 + headerLength;
  return Object.entries(header)
    .filter(([name]) => name !== "__metadata__")
    .sort(([, a], [, b]) => a.data_offsets[0] - b.data_offsets[0])
    .map(([name, t]) => {
      if (t.dtype !== "F32") throw new Error(`${name}: dtype ${t.dtype}, expected F32`);
      const [start, end] = t.data_offsets;
      const data = new Float32Array(
        file.buffer.slice(file.byteOffset + dataStart + start, file.byteOffset + dataStart + end),
      );
      return { name, dims: [...t.shape].reverse(), data };
    });
}

if (import.meta.main) {
  const [weightsPath, outPath] = process.argv.slice(2).map((p) => resolve(p));
  const result = exportOctoTiny({ ...(weightsPath ? { weightsPath } : {}), ...(outPath ? { outPath } : {}) });
  console.log(`${result.path} (${result.bytes} bytes, sha256 ${result.sha256})`);
}
