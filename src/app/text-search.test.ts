import { describe, expect, it } from "vitest";
import { containsEveryWord } from "./text-search.js";

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
