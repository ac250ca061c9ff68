// Runs `octo-worker` as a provider would, in its own process; resolves with its exit code and output whether it
// succeeded or not, so that a test can read the message a failure prints.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

/**
 * A provider's first command on a devnet: `octo-worker init` in a fresh folder, against the devnet's deployments.
 * Returns the folder (removed by the caller), the config path and the new key's address.
 */
export async function initProvider(devnet: { rpcUrl: string; writeDeployments(path: string): void }, prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const deployments = join(dir, "deployments.json");
  devnet.writeDeployments(deployments);
  const init = await runCli([
    "init",
    "--dir",
    join(dir, "p"),
    "--rpc",
    devnet.rpcUrl,
    "--chain-id",
    "31337",
    "--deployments",
    deployments,
  ]);
  const address = /provider address: (0x[0-9a-fA-F]{40})/.exec(init.out)?.[1];
  if (init.code !== 0 || !address) throw new Error(`octo-worker init failed: ${init.out}`);
  return { dir, config: join(dir, "p", "config.json"), address: address as `0x${string}` };
}
