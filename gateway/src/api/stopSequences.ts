// `stop`, applied by the gateway: job input v1 carries no stop sequences, so the provider generates up to max_tokens
// (and the job bills what it generated) while the client receives the text up to the first stop sequence. When
// streaming, the tail that could still turn into a stop sequence is held back until the next piece decides it.

/** The text up to the first stop sequence, and whether one was found. */
export function cutAtStop(text: string, stops: readonly string[]): { text: string; stopped: boolean } {
  let cut = -1;
  for (const s of stops) {
    const i = text.indexOf(s);
    if (i >= 0 && (cut < 0 || i < cut)) cut = i;
  }
  return cut < 0 ? { text, stopped: false } : { text: text.slice(0, cut), stopped: true };
}

/** Streaming form: push each piece, send what it returns; `end()` returns what was held back. */
export function createStopFilter(stops: readonly string[]) {
  let all = "";
  let sent = 0;
  let stopped = false;
  const hold = Math.max(0, ...stops.map((s) => s.length - 1));
  return {
    get stopped() {
      return stopped;
    },
    push(piece: string): string {
      if (stopped) return "";
      all += piece;
      const cut = cutAtStop(all, stops);
      if (cut.stopped) {
        stopped = true;
        const out = cut.text.slice(sent);
        sent = cut.text.length;
        return out;
      }
      const safe = Math.max(sent, all.length - hold);
      const out = all.slice(sent, safe);
      sent = safe;
      return out;
    },
    end(): string {
      if (stopped) return "";
      const out = all.slice(sent);
      sent = all.length;
      return out;
    },
  };
}
