import { describe, expect, it } from "vitest";
import { USCC_ALPHABET, isValidUscc, usccCheckCharacter, validateUscc } from "../src/modules/enterprises/index.js";

/** Real codes, each verified with the algorithm (not loosened to fit). */
const REAL_CODES = [
  "91350100M000100Y43", // the example code in GB 32100-2015 material
  "91110000600037341L",
  "91440300708461136T",
  "914403001922038216",
  "91330100716105852F",
  "91110108551385082Q",
];

function failReason(code: string): string {
  const result = validateUscc(code);
  expect(result.ok).toBe(false);
  return result.ok ? "" : result.reason;
}

describe("validateUscc", () => {
  it.each(REAL_CODES)("accepts the real code %s", (code) => {
    expect(validateUscc(code)).toEqual({ ok: true });
    expect(isValidUscc(code)).toBe(true);
    expect(usccCheckCharacter(code.slice(0, 17))).toBe(code[17]);
  });

  it("rejects every single-character change of a valid code at every position", () => {
    let tried = 0;
    for (const code of REAL_CODES) {
      for (let position = 0; position < 18; position++) {
        for (const replacement of USCC_ALPHABET) {
          if (replacement === code[position]) continue;
          const changed = code.slice(0, position) + replacement + code.slice(position + 1);
          const reason = failReason(changed);
          if (position === 17) {
            expect(reason).toContain(`expected ${code[17]}`);
          } else {
            expect(reason).toContain("wrong check character");
          }
          tried++;
        }
      }
    }
    expect(tried).toBe(REAL_CODES.length * 18 * 30);
  });

  it("rejects a wrong check character and names the expected one", () => {
    const reason = failReason("91350100M000100Y44");
    expect(reason).toContain("校验码");
    expect(reason).toContain("wrong check character");
    expect(reason).toContain("expected 3");
  });

  it.each([
    ["", 0],
    ["91350100M000100Y4", 17],
    ["91350100M000100Y433", 19],
    ["9135", 4],
  ])("rejects the wrong length of %j", (code, length) => {
    const reason = failReason(code);
    expect(reason).toContain("wrong length");
    expect(reason).toContain("长度");
    expect(reason).toContain(`got ${length}`);
  });

  it.each(["I", "O", "S", "V", "Z"])("rejects the letter %s at any position", (letter) => {
    for (let position = 0; position < 18; position++) {
      const code = REAL_CODES[0]!;
      const changed = code.slice(0, position) + letter + code.slice(position + 1);
      const reason = failReason(changed);
      expect(reason).toContain(`not allowed at position ${position + 1}`);
      expect(reason).toContain(`第 ${position + 1} 位`);
      expect(reason).toContain("I, O, S, V, Z");
    }
  });

  it("rejects lowercase letters", () => {
    const reason = failReason("91350100m000100Y43");
    expect(reason).toContain("not allowed at position 9");
    expect(reason).toContain("lowercase");
    expect(failReason("91110000600037341l")).toContain("not allowed at position 18");
  });

  it("rejects other characters (spaces, hyphens, full-width digits)", () => {
    expect(failReason("91350100 000100Y43")).toContain("position 9");
    expect(failReason("91350100-000100Y43")).toContain("position 9");
    expect(failReason("９1350100M000100Y43")).toContain("position 1");
  });

  it("reports the first offending character before the check character", () => {
    expect(failReason("9135010OM000100Y4Z")).toContain("position 8");
  });
});

describe("usccCheckCharacter", () => {
  it("computes check characters, including 0 when the remainder is 0", () => {
    // Σ = 0 → 31 − 0 = 31 → 0
    expect(usccCheckCharacter("00000000000000000")).toBe("0");
    expect(usccCheckCharacter("91350100M000100Y4")).toBe("3");
  });

  it("throws on bad input", () => {
    expect(() => usccCheckCharacter("9135010")).toThrow(/17/);
    expect(() => usccCheckCharacter("91350100M000100Y43")).toThrow(/17/);
    expect(() => usccCheckCharacter("91350100I000100Y4")).toThrow(/position 9/);
    expect(() => usccCheckCharacter("91350100m000100Y4")).toThrow(/position 9/);
  });
});
