import { describe, expect, it } from "vitest";
import { valueAtRiskText } from "../web/src/pages/value-at-risk.js";

/** The pages' euro format, French. */
const money = (v: number, digits = 0) =>
  v.toLocaleString("fr-FR", {
    style: "currency",
    currency: "EUR",
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });

describe("the value at risk on the Alerts table and the urgencies", () => {
  it("shows cents under one euro, so that a few cents at risk do not read as nothing", () => {
    expect(valueAtRiskText(money, 0.03)).toBe("0,03\u00a0€");
    expect(valueAtRiskText(money, 0.999)).toBe("1,00\u00a0€");
  });

  it("shows whole euros from one euro up", () => {
    expect(valueAtRiskText(money, 1)).toBe("1\u00a0€");
    expect(valueAtRiskText(money, 1685.4)).toBe("1\u202f685\u00a0€");
  });
});
