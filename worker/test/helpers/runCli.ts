// Runs `octo-worker` as a provider would, in its own process; resolves with its exit code and output whether it
// succeeded or not, so that a test can read the message a failure prints.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const CLI = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

export async function runCli(args: readonly string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      env: { ...process.env, OCTO_LOG_LEVEL: "warn" },
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}
