// The checks anyone can rerun on a Groth16 setup: `snarkjs powersoftau verify` (phase 1) and `snarkjs zkey verify`
// (phase 2: the zkey is the circuit's r1cs over that ptau, followed by a valid chain of contributions). snarkjs only
// logs the chain it checked, so the logger is captured and parsed into a transcript.
import { closeSync, openSync, readSync } from "node:fs";
import * as snarkjs from "snarkjs";
import { BASE_FIELD_ORDER } from "../../src/constants.ts";

export type SetupContribution = {
  /** 1-based position in the chain. */
  index: number;
  name: string;
  /** blake2b-512: the phase-2 contribution hash, or the phase-1 response hash (what `contribute` printed). */
  hash: `0x${string}`;
  /** Present for a beacon contribution. */
  beacon?: { hash: `0x${string}`; iterationsExp: number };
};

export type VerifySetupReturnType = {
  valid: boolean;
  /** In chain order (first contribution first). Only meaningful when valid. */
  contributions: SetupContribution[];
  /** snarkjs's own log lines, errors included (why a check failed). */
  log: string[];
};

type Line = { level: "info" | "warn" | "error" | "debug"; text: string };

function capture(): {
  logger: { info(m: string): void; warn(m: string): void; error(m: string): void; debug(m: string): void };
  lines: Line[];
} {
  const lines: Line[] = [];
  const push = (level: Line["level"]) => (text: string) => lines.push({ level, text: String(text) });
  return { logger: { info: push("info"), warn: push("warn"), error: push("error"), debug: () => {} }, lines };
}

/** "title\n\t\thhhhhhhh hhhhhhhh …" (misc.formatHash) → 0x + 128 hex digits. */
function formattedHash(text: string): `0x${string}` {
  const hex = text.split("\n").slice(1).join("").replace(/\s+/g, "");
  if (!/^[0-9a-f]{128}$/.test(hex)) throw new Error(`unexpected hash format in snarkjs output: ${text}`);
  return `0x${hex}`;
}

function beaconOf(lines: Line[], from: number): SetupContribution["beacon"] {
  const gen = lines[from]?.text.match(/^Beacon generator: ([0-9a-f]+)$/);
  const exp = lines[from + 1]?.text.match(/^Beacon iterations Exp: (\d+)$/);
  return gen && exp ? { hash: `0x${gen[1]}`, iterationsExp: Number(exp[1]) } : undefined;
}

export type VerifyZkeyParameters = { r1cs: string; ptau: string; zkey: string };

/** `snarkjs zkey verify r1cs ptau zkey`, with the contribution chain it printed. */
export async function verifyZkey({ r1cs, ptau, zkey }: VerifyZkeyParameters): Promise<VerifySetupReturnType> {
  const { logger, lines } = capture();
  const valid = await snarkjs.zKey.verifyFromR1cs(r1cs, ptau, zkey, logger);
  const contributions: SetupContribution[] = [];
  if (valid) {
    lines.forEach((line, i) => {
      const m = line.text.match(/^contribution #(\d+) ?(.*):\n/);
      if (!m) return;
      const beacon = beaconOf(lines, i + 1);
      contributions.push({
        index: Number(m[1]),
        name: m[2]!,
        hash: formattedHash(line.text),
        ...(beacon ? { beacon } : {}),
      });
    });
    contributions.sort((a, b) => a.index - b.index);
  }
  return { valid, contributions, log: lines.map((l) => `${l.level}: ${l.text}`) };
}

/** `snarkjs powersoftau verify ptau` (every contribution, and the phase-2 Lagrange sections when prepared). */
export async function verifyPtau({ ptau }: { ptau: string }): Promise<VerifySetupReturnType> {
  const { logger, lines } = capture();
  const valid = await snarkjs.powersOfTau.verify(ptau, logger);
  const contributions: SetupContribution[] = [];
  if (valid) {
    lines.forEach((line, i) => {
      const m = line.text.match(/^Contribution #(\d+): ?(.*)$/);
      if (!m) return;
      // Then "Next Challenge", then this contribution's "Response Hash" (what `contribute` returned).
      const response = lines.slice(i + 1).find((l) => l.text.startsWith("Response Hash:"));
      if (!response) throw new Error(`no response hash after ${line.text}`);
      const beacon = beaconOf(lines, lines.indexOf(response) + 2);
      contributions.push({
        index: Number(m[1]),
        name: m[2]!,
        hash: formattedHash(response.text),
        ...(beacon ? { beacon } : {}),
      });
    });
    contributions.sort((a, b) => a.index - b.index);
  }
  return { valid, contributions, log: lines.map((l) => `${l.level}: ${l.text}`) };
}

export type PtauHeader = {
  /** "bn128" when the field modulus is BN254's base field, else "unknown". */
  curve: "bn128" | "unknown";
  /** Largest circuit: 2^power constraints (plus public inputs). */
  power: number;
  ceremonyPower: number;
  /** Has the phase-2 (Lagrange) sections 12–15 that `groth16 setup` needs. */
  prepared: boolean;
};

/** Reads a .ptau file's header (no cryptographic check): curve, power, and whether it is prepared for phase 2. */
export function readPtauHeader(path: string): PtauHeader {
  const fd = openSync(path, "r");
  try {
    const read = (pos: number, n: number) => {
      const b = Buffer.alloc(n);
      if (readSync(fd, b, 0, n, pos) !== n) throw new Error(`${path}: truncated ptau file`);
      return b;
    };
    if (read(0, 4).toString("latin1") !== "ptau") throw new Error(`${path}: not a ptau file`);
    const nSections = read(8, 4).readUInt32LE(0);
    const sections = new Map<number, number>();
    let pos = 12;
    for (let i = 0; i < nSections; i++) {
      const type = read(pos, 4).readUInt32LE(0);
      const size = Number(read(pos + 4, 8).readBigUInt64LE(0));
      sections.set(type, pos + 12);
      pos += 12 + size;
    }
    const h = sections.get(1);
    if (h === undefined) throw new Error(`${path}: no header section`);
    const n8 = read(h, 4).readUInt32LE(0);
    const q = BigInt(
      `0x${Buffer.from(read(h + 4, n8))
        .reverse()
        .toString("hex")}`,
    );
    const power = read(h + 4 + n8, 4).readUInt32LE(0);
    const ceremonyPower = read(h + 8 + n8, 4).readUInt32LE(0);
    return {
      curve: q === BASE_FIELD_ORDER ? "bn128" : "unknown",
      power,
      ceremonyPower,
      prepared: [12, 13, 14, 15].every((s) => sections.has(s)),
    };
  } finally {
    closeSync(fd);
  }
}
