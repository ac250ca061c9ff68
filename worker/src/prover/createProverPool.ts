// A fixed pool of prover processes with a FIFO queue. Chunks of many jobs are proven as they arrive; the pipeline
// collects the results of jobs that are ready together and submits them under one batch verification.
import { fork, type ChildProcess } from "node:child_process";
import type { ProveChunkParameters, ProveChunkReturnType } from "@octo/circuits";
import { BaseError } from "../errors/BaseError.ts";
import type { ProverRequest, ProverResponse } from "./proverProcess.ts";

export type ProveRequest = Omit<ProveChunkParameters, "artifacts">;
/** A chunk's proof, and the time a prover spent on it (not counting its wait in the queue). */
export type ProveReturnType = ProveChunkReturnType & { provingMs: number };

export type CreateProverPoolParameters = {
  /** Provers working at once. snarkjs already spreads one proof over the cores, so 1 is right on small hosts. */
  processes?: number;
  /** Called with each proof's wall time, for metrics. */
  onProof?: (ms: number) => void;
  /** The proving key's path; the committed development key when omitted. */
  zkey?: string | undefined;
};

export type ProverPool = {
  /**
   * Resolves once every prover process has loaded the circuit's artifacts; rejects with ProverError if one exits
   * before that (missing or unreadable artifacts: a process that cannot start is not restarted in a loop). Gives the
   * circuitId of the verifier that accepts the pool's proofs.
   */
  ready(): Promise<{ circuitId: `0x${string}` }>;
  prove(request: ProveRequest): Promise<ProveReturnType>;
  /** Requests waiting or running. */
  pending(): number;
  close(): Promise<void>;
};

export class ProverError extends BaseError {
  override name = "ProverError";
}

type Task = { id: number; request: ProveRequest; resolve: (r: ProveReturnType) => void; reject: (e: Error) => void };
type Prover = { child: ChildProcess; task?: Task; ready: boolean };

/** Test hook: the pids of the live prover processes. */
export type ProverPoolInternals = { pids(): number[] };

export function createProverPool({
  processes = 1,
  onProof,
  zkey,
}: CreateProverPoolParameters = {}): ProverPool & ProverPoolInternals {
  const queue: Task[] = [];
  const provers = new Set<Prover>();
  let nextId = 1;
  let closed = false;
  let starting = Math.max(1, processes);
  let startFailure: ProverError | undefined;
  let circuitId: `0x${string}` | undefined;
  let onStarted: { resolve: (r: { circuitId: `0x${string}` }) => void; reject: (e: ProverError) => void } | undefined;
  const started = new Promise<{ circuitId: `0x${string}` }>((resolve, reject) => (onStarted = { resolve, reject }));
  started.catch(() => undefined); // observed through ready(); a pool nobody asks is not an unhandled rejection

  const spawn = () => {
    const child = fork(new URL("./proverProcess.ts", import.meta.url), zkey ? [zkey] : [], {
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const prover: Prover = { child, ready: false };
    provers.add(prover);
    child.on("message", (msg: ProverResponse) => {
      if ("ready" in msg) {
        prover.ready = true;
        circuitId = msg.circuitId;
        if (--starting === 0 && !startFailure) onStarted!.resolve({ circuitId });
        return dispatch();
      }
      const task = prover.task;
      if (!task || task.id !== msg.id) return;
      prover.task = undefined;
      if (msg.ok) {
        onProof?.(msg.ms);
        task.resolve({ ...msg.result, provingMs: msg.ms });
      } else task.reject(new ProverError(msg.error));
      dispatch();
    });
    // A prover that dies fails only its own task; a fresh one takes its place. One that dies before it was ever
    // ready cannot start at all: that fails the pool's start instead of restarting in a loop.
    child.on("exit", (code, signal) => {
      provers.delete(prover);
      if (!prover.ready) {
        startFailure ??= new ProverError(
          `prover process exited (${signal ?? code}) before it was ready: are the circuit's artifacts built?`,
        );
        onStarted!.reject(startFailure);
        for (const t of queue.splice(0)) t.reject(startFailure);
        return;
      }
      prover.task?.reject(new ProverError(`prover process exited (${signal ?? code}) while proving`));
      if (!closed) spawn();
    });
  };
  const dispatch = () => {
    for (const prover of provers) {
      if (!prover.ready || prover.task || queue.length === 0) continue;
      prover.task = queue.shift()!;
      prover.child.send({ id: prover.task.id, params: prover.task.request } satisfies ProverRequest);
    }
  };
  for (let i = 0; i < Math.max(1, processes); i++) spawn();

  return {
    ready: () => started,
    prove(request) {
      if (closed) return Promise.reject(new ProverError("prover pool is closed"));
      if (startFailure) return Promise.reject(startFailure);
      return new Promise((resolve, reject) => {
        queue.push({ id: nextId++, request, resolve, reject });
        dispatch();
      });
    },
    pids: () => [...provers].flatMap((p) => (p.child.pid ? [p.child.pid] : [])),
    pending: () => queue.length + [...provers].filter((p) => p.task).length,
    async close() {
      closed = true;
      for (const t of queue.splice(0)) t.reject(new ProverError("prover pool closed"));
      await Promise.all(
        [...provers].map(
          (p) =>
            new Promise<void>((done) => {
              p.child.once("exit", () => done());
              p.child.kill("SIGTERM");
            }),
        ),
      );
    },
  };
}
