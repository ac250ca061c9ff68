// The one source of the protocol's constants. The circuit reads them from src/octo-constants.circom, which
// scripts/lib/renderCircomConstants.ts generates from this file (a test checks the two agree); the contracts read them
// from contracts/generated/ProtocolConstants.sol, which the repository's scripts/codegen.ts generates from this file
// (test/contracts/codegen.test.ts checks the committed one is current).

/** BN254 scalar field order: every circuit signal, public signal and ciphertext element lives below it. */
export const FIELD_ORDER = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
/** BN254 base field order: every coordinate of a proof point lives below it. */
export const BASE_FIELD_ORDER = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

/** Bytes packed into one field element (little-endian); 31 bytes always fit below the field order. */
export const BYTES_PER_ELEMENT = 31;
/** Field elements per proven chunk. */
export const CHUNK_ELEMENTS = 64;
/** Plaintext bytes per chunk: 64 × 31 = 1984. */
export const CHUNK_BYTES = CHUNK_ELEMENTS * BYTES_PER_ELEMENT;
/** Keystream elements per Poseidon permutation call (the 16 rate outputs of a width-17 permutation). */
export const KEYSTREAM_BLOCK_ELEMENTS = 16;
/** Keystream blocks per chunk. */
export const KEYSTREAM_BLOCKS = CHUNK_ELEMENTS / KEYSTREAM_BLOCK_ELEMENTS;

/** The ASCII bytes of a tag, read as a big-endian integer: a field element that names a domain. */
function domainTag(tag: string): bigint {
  let v = 0n;
  for (const ch of new TextEncoder().encode(tag)) v = (v << 8n) | BigInt(ch);
  return v;
}
/** First input of keyCommitment = Poseidon2([DOMAIN_KEY, outputKey]). */
export const DOMAIN_KEY = domainTag("octo/v1/output-key");
/** First input of every keystream block: Poseidon permutation of [DOMAIN_CIPHER, outputKey, jobId, provider, chunkIndex, j, 0…]. */
export const DOMAIN_CIPHER = domainTag("octo/v1/output-cipher");

/** Bit widths of the statement fields, lowest first. The statement is one 250-bit public signal. */
export const STATEMENT_LAYOUT = [
  { name: "jobId", bits: 40 },
  { name: "provider", bits: 160 },
  { name: "chunkIndex", bits: 8 },
  { name: "byteLength", bits: 11 },
  { name: "tokenCount", bits: 11 },
  { name: "maxTokens", bits: 20 },
] as const;
export const STATEMENT_BITS = 250;

/** Most chunks one job output may have (chunkIndex is 8 bits). */
export const MAX_CHUNKS = 256;

/** Provider tiers (0 Consumer, 1 Prosumer, 2 Enterprise): a job or model asks for a minimum tier below this. */
export const TIER_COUNT = 3;

/** Key schedule labels (HKDF-SHA256). */
export const HKDF_SALT = "octo/v1";
export const HKDF_INFO_JOB_KEYS = "octo/v1/job-keys";
export const HKDF_INFO_WRAP = "octo/v1/wrap";
export const PROMPT_AAD = "octo/v1/prompt";
