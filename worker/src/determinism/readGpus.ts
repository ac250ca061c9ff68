/**
 * The host's NVIDIA GPUs and their compute capability, from `nvidia-smi` (what the driver reports, not what a config
 * claims). An empty list when there is no NVIDIA driver.
 *
 * API: readGpus({ nvidiaSmi? }): GpuInfo[]
 */
import { execFileSync } from "node:child_process";

export type GpuInfo = { name: string; computeCapability: number };

export function readGpus({ nvidiaSmi = "nvidia-smi" }: { nvidiaSmi?: string } = {}): GpuInfo[] {
  let out: string;
  try {
    out = execFileSync(nvidiaSmi, ["--query-gpu=name,compute_cap", "--format=csv,noheader"], {
      encoding: "utf8",
      timeout: 10_000,
    });
  } catch {
    return [];
  }
  return out
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const cut = line.lastIndexOf(",");
      return { name: line.slice(0, cut).trim(), computeCapability: Number(line.slice(cut + 1).trim()) };
    })
    .filter((g) => g.name && Number.isFinite(g.computeCapability));
}
