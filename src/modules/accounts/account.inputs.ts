import { z } from "zod";

export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.\-\u4e00-\u9fff]{3,64}$/, "3–64 letters, digits, _ . - or Chinese characters");
export const passwordSchema = z.string().min(10, "must be at least 10 characters").max(200, "must be at most 200 characters");
