import { describe, expect, it } from "vitest";
import { shelfLifeOutcome } from "./shelf-life-outcome.js";

describe("shelfLifeOutcome", () => {
  const capped = { code: "shelf_life_capped", quantity: "service" } as const;
  const blocked = { code: "shelf_life_blocks_order", quantity: "service" } as const;
  const exceeds = { code: "exceeds_shelf_life", quantity: "margin" } as const;
  const safety = { code: "below_safety_stock", quantity: "margin" } as const;

  it("reads the notes of the quantity the published policy follows", () => {
    expect(shelfLifeOutcome([exceeds, capped], "niveau_de_service")).toBe("capped");
    expect(shelfLifeOutcome([exceeds, capped], "marge")).toBe("exceeds");
    expect(shelfLifeOutcome([blocked], "niveau_de_service")).toBe("blocked");
  });

  it("does not explain a margin quantity by the service-level quantity's notes", () => {
    expect(shelfLifeOutcome([blocked], "marge")).toBeNull();
    expect(shelfLifeOutcome([capped], "marge")).toBeNull();
  });

  it("takes a batch that stored no policy as the default, marge", () => {
    expect(shelfLifeOutcome([exceeds], null)).toBe("exceeds");
    expect(shelfLifeOutcome([blocked], null)).toBeNull();
  });

  it("says nothing of notes that are not about the shelf life", () => {
    expect(shelfLifeOutcome([safety], "marge")).toBeNull();
    expect(shelfLifeOutcome([], "niveau_de_service")).toBeNull();
  });

  it("puts no order before a cap, and a cap before a warning", () => {
    const both = [
      { code: "shelf_life_capped", quantity: "service" },
      { code: "shelf_life_blocks_order", quantity: "service" },
      { code: "exceeds_shelf_life", quantity: "service" },
    ] as const;
    expect(shelfLifeOutcome(both, "niveau_de_service")).toBe("blocked");
    expect(shelfLifeOutcome([both[0], both[2]], "niveau_de_service")).toBe("capped");
  });
});
