import { describe, expect, it } from "vitest";
import { findChromium } from "./launchChromium.ts";

describe("findChromium", () => {
  it("names the browser it finds", () => {
    expect(
      findChromium({ candidates: [undefined, "/nonexistent/chromium", process.execPath], mayInstall: false }),
    ).toBe(process.execPath);
  });
  it("says how to install Chromium when there is none", () => {
    expect(() => findChromium({ candidates: ["/nonexistent/chromium"], mayInstall: false })).toThrow(
      /apt-get install -y chromium/,
    );
  });
});
