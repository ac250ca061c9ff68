import { describe, expect, it } from "vitest";
import { dayStart, jobsPageQuery, jobsWhere } from "./jobsQuery.ts";

describe("jobsQuery", () => {
  it("without filters selects every job, newest first, one row more than the page", () => {
    const { sql, params } = jobsPageQuery({}, 0, 25);
    expect(sql).toMatch(/from job order by id desc limit 26 offset 0$/);
    expect(params).toEqual([]);
  });

  it("pages by offset", () => {
    expect(jobsPageQuery({}, 2, 10).sql).toMatch(/limit 11 offset 20$/);
  });

  it("binds every filter as a parameter, addresses in lower case", () => {
    const { where, params } = jobsWhere({ provider: "0xABC", user: "0xDEF", model: "0x12", state: "Finalized" });
    expect(where).toBe(' where provider = $1 and "user" = $2 and model_id = $3 and status = $4');
    expect(params).toEqual(["0xabc", "0xdef", "0x12", "Finalized"]);
  });

  it("takes a date range as whole UTC days, the last one included", () => {
    const { where, params } = jobsWhere({ from: "2026-01-02", to: "2026-01-02" });
    expect(where).toBe(" where created_at >= $1 and created_at < $2");
    expect(params).toEqual([1767312000, 1767312000 + 86_400]);
  });

  it("ignores a date that is not YYYY-MM-DD", () => {
    expect(dayStart("yesterday")).toBeUndefined();
    expect(jobsWhere({ from: "2026-13-45" }).where).toBe("");
  });
});
