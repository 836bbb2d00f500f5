import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

// Reference tables: users and keys are looked up before the workspace is known.
export const users = pgTable(
  "users",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    email: text("email").notNull(),
    name: text("name"),
    passwordHash: text("password_hash"),
    /** Raised on sign-out, password change and membership changes: session cookies carrying an older one stop working. */
    sessionVersion: integer("session_version").notNull().default(0),
    /** Set for a password someone else chose (the CLI, an operator): the next sign-in must set a new one. */
    mustChangePassword: boolean("must_change_password").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email)],
);

export const memberships = pgTable(
  "memberships",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    userId: bigint("user_id", { mode: "number" }).notNull(),
    role: text("role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index("memberships_user_idx").on(t.userId)],
);

/**
 * An invitation into a workspace, for an e-mail with or without an account: the one-time password is kept as a
 * SHA-256 hash (it is random, ~116 bits). A new address redeems it at its first sign-in; an existing account
 * accepts it after signing in with its own password. Either way the membership starts only then.
 */
export const invitations = pgTable(
  "invitations",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    email: text("email").notNull(),
    /** The name the inviter gave, used when the invitation creates the account. */
    name: text("name"),
    role: text("role").notNull(),
    codeHash: text("code_hash").notNull(),
    invitedBy: text("invited_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.email] }), index("invitations_email_idx").on(t.email)],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull(),
    scopes: text("scopes").array().notNull(),
    name: text("name"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("api_keys_prefix_key").on(t.prefix), index("api_keys_workspace_idx").on(t.workspaceId)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    workspaceId: bigint("workspace_id", { mode: "number" }).notNull(),
    id: bigserial("id", { mode: "number" }).notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target"),
    details: jsonb("details").$type<Record<string, unknown>>(),
    ip: text("ip"),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("audit_log_recent_idx").on(t.workspaceId, t.at),
  ],
);

export type User = typeof users.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
