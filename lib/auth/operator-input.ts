// Operator input: sign-in and new operator accounts.
import { z } from "zod";

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9._@-]{0,99}$/, "must be 1–100 lowercase letters, digits or . _ @ -"));

export const loginInputSchema = z
  .object({
    username: z.string().trim().toLowerCase().min(1, "enter your username").max(100),
    password: z.string().min(1, "enter your password").max(1024),
  })
  .strict();

export const operatorCreateSchema = z
  .object({
    username: usernameSchema,
    password: z.string().min(12, "must be at least 12 characters").max(1024),
    role: z.enum(["admin", "viewer"]).default("viewer"),
  })
  .strict();

export type OperatorCreateInput = z.infer<typeof operatorCreateSchema>;

export const logoutInputSchema = z.object({ everywhere: z.boolean().default(false) }).strict();
