/**
 * 统一社会信用代码 (Unified Social Credit Code, GB 32100-2015).
 *
 * 18 characters from `0123456789ABCDEFGHJKLMNPQRTUWXY` (no I, O, S, V, Z): position 1 registration
 * authority, 2 organisation type, 3–8 division code, 9–17 organisation code, 18 check character.
 * Pure functions, no dependencies.
 */

export const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
export const USCC_LENGTH = 18;

const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type UsccValidation = { ok: true } | { ok: false; reason: string };

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code >= 0x21 && code <= 0x7e ? `"${ch}"` : `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Finds the first character outside the alphabet; positions are 1-based, counted in code points. */
function firstBadCharacter(chars: readonly string[]): { position: number; ch: string } | undefined {
  for (let i = 0; i < chars.length; i++) {
    if (!USCC_ALPHABET.includes(chars[i]!) || chars[i]!.length !== 1) return { position: i + 1, ch: chars[i]! };
  }
  return undefined;
}

function badCharacterReason(position: number, ch: string): string {
  const hint = /^[a-z]$/.test(ch)
    ? "; lowercase letters are not allowed / 不允许小写字母"
    : /^[IOSVZ]$/.test(ch)
      ? "; the letters I, O, S, V, Z are never used / 不使用字母 I、O、S、V、Z"
      : "";
  return `第 ${position} 位字符 ${describeChar(ch)} 不合法 / character ${describeChar(ch)} not allowed at position ${position}${hint}`;
}

function checkCharacterOf(first17: readonly string[]): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  const check = (31 - (sum % 31)) % 31;
  return USCC_ALPHABET[check]!;
}

/**
 * The check character (position 18) for the first 17 characters of a USCC.
 * Throws when the input is not exactly 17 characters of the alphabet.
 */
export function usccCheckCharacter(first17: string): string {
  const chars = Array.from(first17);
  if (chars.length !== 17) {
    throw new RangeError(
      `统一社会信用代码前 17 位长度应为 17，实际为 ${chars.length} / the first part of a USCC must be 17 characters, got ${chars.length}`,
    );
  }
  const bad = firstBadCharacter(chars);
  if (bad) throw new RangeError(badCharacterReason(bad.position, bad.ch));
  return checkCharacterOf(chars);
}

/** Validates a USCC: length, alphabet at every position, and the check character. */
export function validateUscc(code: string): UsccValidation {
  if (typeof code !== "string") {
    return { ok: false, reason: "统一社会信用代码必须是字符串 / a USCC must be a string" };
  }
  const chars = Array.from(code);
  if (chars.length !== USCC_LENGTH) {
    return {
      ok: false,
      reason: `统一社会信用代码长度应为 18 位，实际为 ${chars.length} 位 / wrong length: a USCC has 18 characters, got ${chars.length}`,
    };
  }
  const bad = firstBadCharacter(chars);
  if (bad) return { ok: false, reason: badCharacterReason(bad.position, bad.ch) };
  const expected = checkCharacterOf(chars.slice(0, 17));
  if (chars[17] !== expected) {
    return {
      ok: false,
      reason: `校验码错误：应为 ${expected}，实际为 ${chars[17]} / wrong check character: expected ${expected}, got ${chars[17]}`,
    };
  }
  return { ok: true };
}

export function isValidUscc(code: string): boolean {
  return validateUscc(code).ok;
}
