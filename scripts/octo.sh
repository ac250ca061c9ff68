#!/usr/bin/env bash
# The one entry point a newcomer needs: `npm start` (the main job on the local default) and `npm test` (every test).
# It brings Node 22 + pnpm when the system's Node is older, installs the locked dependencies, then runs the task.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=./toolchain.sh
source scripts/toolchain.sh

stamp="node_modules/.octo-install-stamp"
lock_hash="$(sha256sum pnpm-lock.yaml | cut -d' ' -f1)-$(node --version)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "octo: installing dependencies (pnpm install --frozen-lockfile)" >&2
  pnpm install --frozen-lockfile --reporter=append-only >&2
  echo "$lock_hash" > "$stamp"
fi

task="${1:-start}"; shift || true
case "$task" in
  start) exec node scripts/start.ts "$@" ;;
  test)  exec node scripts/test.ts "$@" ;;
  bench) exec node scripts/bench.ts "$@" ;;
  *) echo "usage: scripts/octo.sh start|test|bench" >&2; exit 2 ;;
esac
