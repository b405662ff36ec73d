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
    { store: "MAG01", article: "ART-000047", name: "Crème fraîche 20cl" },
    { store: "MAG02", article: "ART-000047", name: "Crème fraîche 20cl" },
    { store: "MAG01", article: "ART-000112", name: "Crème glacée vanille" },
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

  it("keeps every series without a search", () => {
    expect(seriesFound(series, undefined)).toEqual(series);
    expect(seriesFound(series, " ")).toEqual(series);
  });
});
