import { describe, expect, it } from "vitest";
import { toCsv } from "./csv.ts";

describe("toCsv", () => {
  const columns = [
    { header: "id", value: (r: { id: number; note: string }) => r.id },
    { header: "note", value: (r: { id: number; note: string }) => r.note },
  ];

  it("writes a header line, then one line per row, CRLF-terminated", () => {
    expect(toCsv(columns, [{ id: 1, note: "a" }])).toBe("id,note\r\n1,a\r\n");
  });

  it("quotes a field holding a comma, a quote or a line break, doubling its quotes", () => {
    expect(toCsv(columns, [{ id: 2, note: 'say "hi", then\nbye' }])).toBe('id,note\r\n2,"say ""hi"", then\nbye"\r\n');
  });

  it("writes nothing for null and undefined, and JSON for objects", () => {
    const cols = [{ header: "v", value: (r: { v: unknown }) => r.v }];
    expect(toCsv(cols, [{ v: null }, { v: undefined }, { v: ["0xab"] }])).toBe('v\r\n\r\n\r\n"[""0xab""]"\r\n');
  });
});
