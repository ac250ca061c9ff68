/**
 * Passing self-tests on disk, per determinism class (`<dataDir>/selftest.json`): a worker restarted with the same
 * engine build and settings need not test again, and `octo-worker selftest` run before `start` counts. A result
 * recorded under another class id (a new engine build, other threads) does not count.
 *
 * API: selfTestRecord(path) — { get(classId), set(classId, result) }
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { SelfTestResult } from "./runSelfTest.ts";

export type SelfTestRecord = ReturnType<typeof selfTestRecord>;

export function selfTestRecord(path: string) {
  const read = (): Record<string, SelfTestResult> =>
    existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, SelfTestResult>) : {};
  return {
    get(classId: string): SelfTestResult | undefined {
      return read()[classId];
    },
    set(classId: string, result: SelfTestResult): void {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, JSON.stringify({ ...read(), [classId]: result }, null, 2) + "\n");
      renameSync(tmp, path); // whole or not at all, even if the worker dies while writing
    },
  };
}
