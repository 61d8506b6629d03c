/**
 * Request and response shapes of the admin API's entity routes (teams, users, keys, audit), shared by
 * the routes and the `gatellm` CLI so the two cannot drift apart. Plain types, no runtime code.
 */
import type { AuditEntry } from '../../stores/store';

/** Every listing: `{ object: 'list', data }`, and `nextCursor` when a further page exists. */
export interface ListResponse<T> {
  readonly object: 'list';
  readonly data: readonly T[];
  readonly nextCursor?: string;
}

/** The error body of every non-2xx answer. */
// ---- Teams -----------------------------------------------------------------------------------------

export interface CreateTeamRequest {
  readonly name: string;
  /** Glob patterns of public model names the team's keys may use; absent = every model. */
  readonly models?: readonly string[];
}

/** PATCH /admin/v1/teams/{idOrName}: `models: null` (or `[]`) lifts the team's restriction. */
export interface UpdateTeamRequest {
  readonly models: readonly string[] | null;
}

export interface TeamView {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly models?: readonly string[];
}

// ---- Users -----------------------------------------------------------------------------------------

/** At least one of email and name. */
export interface CreateUserRequest {
  /** The team's id or name. */
  readonly team: string;
  readonly email?: string;
  readonly name?: string;
}

export interface UserView {
  readonly id: string;
  readonly teamId: string;
  readonly teamName?: string;
  readonly email?: string;
  readonly name?: string;
  readonly createdAt: string;
}

// ---- Keys ------------------------------------------------------------------------------------------

/** Exactly one of `team` (a team-owned key, for services) and `user` (id or email; the key joins the user's team). */
export interface CreateKeyRequest {
  readonly team?: string;
  readonly user?: string;
  readonly name?: string;
  /** At most 20; names up to 64 characters, values up to 256. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Glob patterns; the key reaches a model only when its team allows it too. Absent = every model the team allows. */
  readonly models?: readonly string[];
  /** ISO-8601, in the future. */
  readonly expiresAt?: string;
}

export type KeyStatus = 'active' | 'revoked' | 'expired';

/** A key as shown: never the secret nor its hash. */
export interface KeyView {
  readonly id: string;
  /** `gllm_<id>…`: recognisable, not usable. */
  readonly prefix: string;
  readonly teamId: string;
  readonly teamName?: string;
  /** The owning user's id; absent for a team-owned key. */
  readonly user?: string;
  readonly userEmail?: string;
  readonly owner: 'user' | 'team';
  readonly name?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly models?: readonly string[];
  readonly status: KeyStatus;
  readonly createdAt: string;
  readonly expiresAt?: string;
  readonly revokedAt?: string;
  readonly rotatedAt?: string;
  /** Until then the secret from before the last rotation still works. */
  readonly previousSecretExpiresAt?: string;
}

/** POST /keys and POST /keys/{id}/rotate: the secret, shown this once. */
export interface CreatedKey extends KeyView {
  readonly key: string;
}

export interface RotateKeyRequest {
  /** How long the previous secret keeps working, 0 to 2 592 000 (30 days). @default 3600 */
  readonly gracePeriodSeconds?: number;
}

// ---- Audit -----------------------------------------------------------------------------------------

/** An entry of GET /admin/v1/audit?from&to&target&limit&cursor (default range: the last 30 days). */
export type AuditEntryView = AuditEntry;
