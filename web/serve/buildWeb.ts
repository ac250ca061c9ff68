// `next build` when the production build is missing or older than any source it is built from (the app's, the sdk's
// and the circuits' library), so that a clean clone, CI and `npm start` all serve a current build.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const webRoot = new URL("..", import.meta.url).pathname;
const workspaceRoot = join(webRoot, "..");
const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
const SOURCES = [
  join(webRoot, "app"),
  join(webRoot, "src"),
  join(webRoot, "next.config.ts"),
  join(webRoot, "package.json"),
  join(workspaceRoot, "sdk", "src"),
  join(workspaceRoot, "circuits", "src"),
];

export const BUILD_ID_PATH = join(webRoot, ".next", "BUILD_ID");

export function buildIsStale(): boolean {
  if (!existsSync(BUILD_ID_PATH)) return true;
  const built = statSync(BUILD_ID_PATH).mtimeMs;
  return SOURCES.some((p) => newestMtime(p) > built);
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs);
}

export async function buildWeb({
  mode = "ifNeeded",
  onOutput,
}: {
  mode?: "ifNeeded" | "always" | "never";
  onOutput?: ((line: string) => void) | undefined;
} = {}): Promise<void> {
  if (mode === "never") {
    if (!existsSync(BUILD_ID_PATH))
      throw new Error("the web app has no production build: run `pnpm --filter @octo/web build`");
    return;
  }
  if (mode === "ifNeeded" && !buildIsStale()) return;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, "build"], {
      cwd: webRoot,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of chunk.toString().split("\n").filter(Boolean)) onOutput?.(line);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (${code}):\n${output}`))));
  });
}
