import { describe, expect, it } from "vitest";
import { containsEveryWord, seriesFound } from "./text-search.js";

describe("containsEveryWord", () => {
  it("finds every word, whatever its case and accents, in any order", () => {
    expect(containsEveryWord("ART-000047 Crème fraîche 20cl", "creme FRAICHE")).toBe(true);
    expect(containsEveryWord("ART-000047 Crème fraîche 20cl", "fraîche art-000047")).toBe(true);
    expect(containsEveryWord("ART-000047 Crème fraîche 20cl", "crème glacée")).toBe(false);
  });

  it("keeps everything for an empty search, or one of spaces", () => {
    expect(containsEveryWord("Farine T55", "")).toBe(true);
    expect(containsEveryWord("Farine T55", "   ")).toBe(true);
  });
});

describe("seriesFound", () => {
  const series = [
    {
      articleId: 47,
      storeId: 1,
      store: "MAG01",
      article: "ART-000047",
      name: "Crème fraîche 20cl",
    },
    {
      articleId: 47,
      storeId: 2,
      store: "MAG02",
      article: "ART-000047",
      name: "Crème fraîche 20cl",
    },
    {
      articleId: 112,
      storeId: 1,
      store: "MAG01",
      article: "ART-000112",
      name: "Crème glacée vanille",
    },
  ];

  it("keeps, in their order, the series whose reference and name hold every word", () => {
    expect(seriesFound(series, "creme").map((s) => s.article)).toEqual([
      "ART-000047",
      "ART-000047",
      "ART-000112",
    ]);
    expect(seriesFound(series, "000112 VANILLE")).toEqual([series[2]]);
    expect(seriesFound(series, "creme beurre")).toEqual([]);
  });

  it("matches the names the batch published where it has them: a renamed article as the page lists it", () => {
    // Article 112 renamed after the night's batch; the page still lists it under its old name.
    const published = new Map([
      ["47:1", { reference: "ART-000047", name: "Crème fraîche 20cl" }],
      ["112:1", { reference: "ART-000112", name: "Sorbet citron" }],
    ]);
    expect(seriesFound(series, "sorbet", published)).toEqual([series[2]]);
    expect(seriesFound(series, "vanille", published)).toEqual([]);
    // A series the batch did not list (47 in store 2) is matched by its name as it is now.
    expect(seriesFound(series, "fraiche", published)).toEqual([series[0], series[1]]);
  });

  it("keeps every series without a search", () => {
    expect(seriesFound(series, undefined)).toEqual(series);
    expect(seriesFound(series, " ")).toEqual(series);
  });
});
