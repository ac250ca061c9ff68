// Prover child process: proves chunks with snarkjs away from the daemon's event loop.
// Why a process and not a worker_thread: snarkjs (ffjavascript) spreads each proof over its own worker threads,
// and its `web-worker` shim only works from a main thread; a child process keeps that multi-core proving.
import { proveChunk, type ProveChunkParameters, type ProverArtifacts } from "@octo/circuits";
import { loadProverArtifacts, zkeyCircuitId } from "@octo/circuits/node";

export type ProverRequest = { id: number; params: Omit<ProveChunkParameters, "artifacts"> };
export type ProverResponse =
  | { ready: true; circuitId: `0x${string}` }
  | { id: number; ok: true; result: Awaited<ReturnType<typeof proveChunk>>; ms: number }
  | { id: number; ok: false; error: string };

// The proving key's path comes as the first argument (config `prover.zkey`); the committed development key otherwise.
const zkeyPath = process.argv[2];
const artifacts: ProverArtifacts = loadProverArtifacts(zkeyPath ? { zkey: zkeyPath } : {});
const circuitId = await zkeyCircuitId(artifacts.zkey as Uint8Array);
// The daemon may be gone (killed) while a proof runs: then there is no one to answer, and nothing to do but leave.
// A send can also fail after the check, while the parent is dying (EPIPE): that is the same case, not a crash.
const send = (msg: ProverResponse) => {
  if (process.connected) process.send!(msg, undefined, {}, (error) => error && process.exit(0));
  else process.exit(0);
};

process.on("message", async ({ id, params }: ProverRequest) => {
  const started = performance.now();
  try {
    const result = await proveChunk({ ...params, artifacts });
    send({ id, ok: true, result, ms: performance.now() - started });
  } catch (e) {
    send({ id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
// snarkjs's threads would keep this process alive after the daemon goes away.
process.on("disconnect", () => process.exit(0));
send({ ready: true, circuitId });
