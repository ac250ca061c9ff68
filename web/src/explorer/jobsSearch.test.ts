import { describe, expect, it } from "vitest";
import { jobsSearchString, parseJobsSearch } from "./jobsSearch.ts";

describe("jobsSearch", () => {
  it("reads every filter and the page (1-based in the address) from a query string", () => {
    const search = new URLSearchParams(
      "provider=0xAbC&user=0xdef&model=0x12&state=Cancelled&from=2026-01-02&to=2026-01-03&page=3",
    );
    expect(parseJobsSearch(search)).toEqual({
      filters: {
        provider: "0xAbC",
        user: "0xdef",
        model: "0x12",
        state: "Cancelled",
        from: "2026-01-02",
        to: "2026-01-03",
      },
      page: 2,
    });
  });

  it("ignores unknown names, empty values and a page that is not a positive whole number", () => {
    expect(parseJobsSearch(new URLSearchParams("colour=red&state=&page=x"))).toEqual({ filters: {}, page: 0 });
    expect(parseJobsSearch(new URLSearchParams("page=-2")).page).toBe(0);
    expect(parseJobsSearch(new URLSearchParams("page=1.5")).page).toBe(0);
  });

  it("writes only the filters set, and the page from the second on", () => {
    expect(jobsSearchString({ filters: {}, page: 0 })).toBe("");
    expect(jobsSearchString({ filters: { state: "Finalized", user: undefined }, page: 0 })).toBe("state=Finalized");
    expect(jobsSearchString({ filters: { provider: "0xabc" }, page: 1 })).toBe("provider=0xabc&page=2");
  });

  it("reads back what it writes", () => {
    const state = { filters: { provider: "0xabc", from: "2026-01-02" }, page: 4 };
    expect(parseJobsSearch(new URLSearchParams(jobsSearchString(state)))).toEqual(state);
  });
});
