// The byte vocabulary every model the project writes uses (the test fixture and octo-tiny): a SentencePiece ("llama")
// tokenizer with <unk>, <s>, </s>, the 256 byte-fallback tokens <0x00>..<0xFF> and "▁" (the SentencePiece space). Any
// UTF-8 text tokenizes, one token per byte, a space as "▁"; detokenizing gives the same text back.
import type { GgufValue } from "./encodeGguf.ts";

export const BYTE_VOCABULARY_SPECIAL = ["<unk>", "<s>", "</s>"] as const;
/** Token id of byte b is BYTE_TOKEN_OFFSET + b. */
export const BYTE_TOKEN_OFFSET = BYTE_VOCABULARY_SPECIAL.length;
export const SPACE_TOKEN_ID = BYTE_TOKEN_OFFSET + 256;
export const BOS_TOKEN_ID = 1;
export const EOS_TOKEN_ID = 2;

const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

export const BYTE_VOCABULARY_TOKENS: readonly string[] = [
  ...BYTE_VOCABULARY_SPECIAL,
  ...Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`),
  "\u2581",
];

export type ByteVocabularyMetadataParameters = {
  /**
   * Whether llama.cpp puts a space before the text it tokenizes (SentencePiece's default). A model trained on text as
   * it is (octo-tiny) sets false; absent from the file when undefined (the fixture), which llama.cpp reads as true.
   */
  addSpacePrefix?: boolean;
};

/** The tokenizer.* metadata of the byte vocabulary, in the order the GGUF lists it. */
export function byteVocabularyMetadata({
  addSpacePrefix,
}: ByteVocabularyMetadataParameters = {}): Array<readonly [string, GgufValue]> {
  const tokens = BYTE_VOCABULARY_TOKENS;
  const types = tokens.map((_, id) =>
    id === 0
      ? TOKEN_TYPE.unknown
      : id < BYTE_TOKEN_OFFSET
        ? TOKEN_TYPE.control
        : id < SPACE_TOKEN_ID
          ? TOKEN_TYPE.byte
          : TOKEN_TYPE.normal,
  );
  return [
    ["tokenizer.ggml.model", { type: "string", value: "llama" }],
    ["tokenizer.ggml.tokens", { type: "string[]", value: tokens }],
    ["tokenizer.ggml.scores", { type: "f32[]", value: tokens.map(() => 0) }],
    ["tokenizer.ggml.token_type", { type: "i32[]", value: types }],
    ["tokenizer.ggml.unknown_token_id", { type: "u32", value: 0 }],
    ["tokenizer.ggml.bos_token_id", { type: "u32", value: BOS_TOKEN_ID }],
    ["tokenizer.ggml.eos_token_id", { type: "u32", value: EOS_TOKEN_ID }],
    ["tokenizer.ggml.add_bos_token", { type: "bool", value: true }],
    ["tokenizer.ggml.add_eos_token", { type: "bool", value: false }],
    ...(addSpacePrefix === undefined
      ? []
      : [["tokenizer.ggml.add_space_prefix", { type: "bool", value: addSpacePrefix }] as const]),
  ];
}
