// No package imports another package's files by relative path: across packages, imports go through the package's
// name and its `exports` (`@octo/sdk`, `@octo/circuits/node`), so each package's public surface is the one it
// declares. A package is a folder with a package.json (the repository root is one too: scripts, tests, ignition).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/** Imports allowed to cross for now, each with the reason and the way out (none today). */
const ALLOWED: Record<string, string> = {};

const SKIP = new Set(["node_modules", ".git", "artifacts", "cache", "types", ".data", ".tools", "deployments"]);

export type PackageImportViolation = { file: string; specifier: string; from: string; to: string };

/** Every relative import (static, dynamic or re-export) in the workspace's TypeScript that lands in another package. */
export function checkPackageImports(root: string): PackageImportViolation[] {
  const packages = findPackages(root);
  const packageOf = (path: string) =>
    packages.filter((p) => path === p || path.startsWith(p + sep)).sort((a, b) => b.length - a.length)[0]!;
  const violations: PackageImportViolation[] = [];
  for (const file of tsFiles(root)) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      const specifier = match[1]!;
      const target = resolve(dirname(file), specifier);
      const [from, to] = [packageOf(file), packageOf(target)];
      if (from === to) continue;
      const key = `${relative(root, file)} -> ${relative(root, target)}`;
      if (key in ALLOWED) continue;
      violations.push({
        file: relative(root, file),
        specifier,
        from: relative(root, from) || ".",
        to: relative(root, to) || ".",
      });
    }
  }
  return violations;
}

function findPackages(root: string): string[] {
  const found = [root];
  for (const entry of readdirSync(root)) {
    const dir = join(root, entry);
    if (!SKIP.has(entry) && statSync(dir).isDirectory() && existsSync(join(dir, "package.json"))) found.push(dir);
  }
  return found;
}

function* tsFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    if (SKIP.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (/\.(ts|mts|tsx)$/.test(entry) && !entry.endsWith(".d.ts")) yield path;
  }
}
