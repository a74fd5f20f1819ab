// Operator input: sign-in, new operator accounts and password changes.
import { z } from "zod";

const usernameSchema = z
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

const newPasswordSchema = z.string().min(12, "must be at least 12 characters").max(1024, "must be at most 1024 characters");

export const operatorCreateSchema = z
  .object({
    username: usernameSchema,
    password: newPasswordSchema,
    role: z.enum(["admin", "viewer"]).default("viewer"),
  })
  .strict();

export type OperatorCreateInput = z.infer<typeof operatorCreateSchema>;

export const logoutInputSchema = z.object({ everywhere: z.boolean().default(false) }).strict();

/** POST /api/auth/password: an operator changes their own password. */
export const passwordChangeSchema = z
  .object({
    currentPassword: z.string().min(1, "enter your current password").max(1024),
    newPassword: newPasswordSchema,
  })
  .strict();

export type PasswordChangeInput = z.infer<typeof passwordChangeSchema>;

/** POST /api/operators/:id/password: an admin sets another operator's password. */
export const passwordResetSchema = z.object({ newPassword: newPasswordSchema }).strict();
