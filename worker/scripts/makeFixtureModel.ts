// Writes the test model (see test/fixtures/fixtureModelBytes.ts) to a gitignored path, generated on demand, never
// downloaded or committed. `node worker/scripts/makeFixtureModel.ts [path]` prints the path it wrote.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fixtureModelBytes } from "../test/fixtures/fixtureModelBytes.ts";

export const DEFAULT_FIXTURE_MODEL_PATH = resolve(import.meta.dirname, "../.data/fixture.gguf");

export type MakeFixtureModelReturnType = { path: string; sha256: string; bytes: number; written: boolean };

/** Writes the fixture model to `path` unless an identical file is already there. Safe to call from parallel processes. */
export function makeFixtureModel(path: string = DEFAULT_FIXTURE_MODEL_PATH): MakeFixtureModelReturnType {
  const bytes = fixtureModelBytes();
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  let existing: string | undefined;
  try {
    existing = createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch {
    existing = undefined;
  }
  if (existing === sha256) return { path, sha256, bytes: bytes.length, written: false };
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path); // atomic: a reader never sees half a model
  return { path, sha256, bytes: bytes.length, written: true };
}

if (import.meta.main) {
  const result = makeFixtureModel(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`${result.path} (${result.bytes} bytes, sha256 ${result.sha256}${result.written ? "" : ", unchanged"})`);
}
