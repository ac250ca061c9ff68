// Proving figures, in process, on this machine: prove.single2kbMs (median of 7 full proves of a 1984-byte chunk),
// prove.single32kbMs (median of 3 proofs of a 32768-byte output = 17 chunks), circuit.constraints2kb.
// Run through `node scripts/bench.ts` (repo root), or directly: node circuits/bench/prove.bench.ts
import { readFileSync } from "node:fs";
import { median, recordBench } from "@octo/devnet/bench";
import { CHUNK_BYTES, deriveJobKeys, encryptOutput, proveChunk } from "../src/index.ts";
import { loadProverArtifacts } from "../src/node.ts";
import { KEYS } from "../scripts/lib/paths.ts";

const artifacts = loadProverArtifacts();
const { outputKey } = deriveJobKeys({ jobSecret: new Uint8Array(32).fill(1) });
const provider = "0x00000000000000000000000000000000000000b1" as const;
const bytes = (n: number) => new Uint8Array(n).map((_, i) => (i * 131 + 7) & 255);

const proveChunkOf = (output: Uint8Array, chunkIndex: number, jobId: bigint) =>
  proveChunk({
    artifacts,
    chunk: output.subarray(chunkIndex * CHUNK_BYTES, (chunkIndex + 1) * CHUNK_BYTES),
    chunkIndex,
    outputKey,
    jobId,
    provider,
    tokenCount: 400,
    maxTokens: 8192,
  });

// Warm-up (curve and wasm initialisation) is not counted.
await proveChunkOf(bytes(CHUNK_BYTES), 0, 1n);

const single: number[] = [];
for (let i = 0; i < 7; i++) {
  const t = performance.now();
  await proveChunkOf(bytes(CHUNK_BYTES), 0, BigInt(10 + i));
  single.push(performance.now() - t);
}
console.log(`2 KB proves (ms): ${single.map((v) => v.toFixed(0)).join(", ")}`);

const output32 = bytes(32768);
const nChunks = Math.ceil(output32.length / CHUNK_BYTES);
// Chunks are proven by a pool of `concurrency` in-flight proofs (witness calculation of one overlaps the
// multi-threaded MSMs of another); 1 = sequential. Measured here: 2 is slightly faster than 1 on 2 cores.
const concurrency = Number(process.env.OCTO_BENCH_32KB_CONCURRENCY ?? 2);
const full: number[] = [];
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  encryptOutput({ output: output32, outputKey, jobId: BigInt(100 + i), provider }); // outputRoot + ciphertextHash
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < nChunks) await proveChunkOf(output32, next++, BigInt(100 + i));
    }),
  );
  full.push(performance.now() - t);
}
console.log(
  `32 KB (${nChunks} chunks, ${concurrency} at a time) proves (ms): ${full.map((v) => v.toFixed(0)).join(", ")}`,
);

const manifest = JSON.parse(readFileSync(KEYS.manifest, "utf8")) as { constraints: number };
recordBench({
  "prove.single2kbMs": Math.round(median(single)),
  "prove.single32kbMs": Math.round(median(full)),
  "circuit.constraints2kb": manifest.constraints,
});
process.exit(0);
