// Endpoint data functions. The capture hot path reads endpoints through getEndpointForCapture
// (plain SQL, cached briefly); everything else goes through Prisma.
import "server-only";
import { captureBaseUrl, publicBaseUrl } from "@/lib/server/env";
import { AppError } from "@/lib/shared/errors/app-error";
import { DEFAULT_EVENT_KEY_SETTING, type TEventKeySetting } from "@/lib/shared/events/event-key";
import {
  allowedAnswerHeaders,
  ZResponseHeaders,
  type TEndpoint,
  type TResponseSettings,
  type TCreateEndpointRequest,
  type TUpdateEndpointRequest,
} from "@/lib/shared/validation/endpoints";
import { ZResponseRules, type TResponseRule } from "@/lib/shared/validation/response-rules";
import { getPool, getPrisma } from "./client";
import type { Endpoint } from "./generated/client";

/** An endpoint row as the data layer returns it (code outside lib/server/db never names Prisma's types). */
export type EndpointRecord = Endpoint;
import { hashKey, keyMatches, newManagementKey, newSlug, uuidv7 } from "./keys";

export const DEFAULT_RESPONSE: TResponseSettings = {
  status: 200,
  headers: [],
  body: null,
  contentType: null,
  delayMs: 0,
  handshakes: true,
};

function responseOf(row: Endpoint): TResponseSettings {
  const headers = ZResponseHeaders.safeParse(row.responseHeaders);
  return {
    status: row.responseStatus,
    // What the capture URL really answers: headers stored before they were refused are not sent.
    headers: headers.success ? allowedAnswerHeaders(headers.data) : [],
    body: row.responseBody,
    contentType: row.responseContentType,
    delayMs: row.responseDelayMs,
    handshakes: row.responseHandshakes,
  };
}

/** The stored event key setting (two columns) as the API names it; an unknown stored value reads as auto. */
export function eventKeySettingOf(source: string, name: string | null): TEventKeySetting {
  if (source === "off") return { source: "off" };
  if (source === "header" && name) return { source: "header", name };
  if (source === "json" && name) return { source: "json", path: name };
  return DEFAULT_EVENT_KEY_SETTING;
}

function eventKeyColumns(k: TEventKeySetting | undefined): { eventKeySource?: string; eventKeyName?: string | null } {
  if (!k) return {};
  return { eventKeySource: k.source, eventKeyName: k.source === "header" ? k.name : k.source === "json" ? k.path : null };
}

export function toEndpointDto(row: Endpoint): TEndpoint {
  const base = publicBaseUrl();
  const slugUrl = `${captureBaseUrl()}/h/${row.slug}`;
  return {
    id: row.id,
    slug: row.slug,
    alias: row.alias,
    name: row.name,
    captureUrl: row.alias === null ? slugUrl : `${captureBaseUrl()}/h/${row.alias}`,
    slugUrl,
    dashboardUrl: `${base}/endpoints/${row.id}`,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    captureCount: row.captureCount,
    lastCaptureAt: row.lastCaptureAt?.toISOString() ?? null,
    response: responseOf(row),
    retention: { maxCaptures: row.retentionMaxCaptures, maxAgeDays: row.retentionMaxAgeDays },
    eventKey: eventKeySettingOf(row.eventKeySource, row.eventKeyName),
  };
}

const aliasTaken = (alias: string) =>
  new AppError("ALIAS_TAKEN", `The alias "${alias}" is taken: /h/${alias} is another endpoint's capture URL. Choose another alias.`);

/**
 * Aliases and slugs share /h/<name>. The unique indexes keep each column apart; this keeps them
 * from meeting: an alias may not be any endpoint's slug. (A new slug meeting an alias is checked
 * in createEndpoint; for it to race with an alias being set, someone would have to guess 60
 * random bits.)
 */
async function assertAliasIsNoSlug(alias: string): Promise<void> {
  if (await getPrisma().endpoint.findUnique({ where: { slug: alias }, select: { id: true } })) throw aliasTaken(alias);
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === "P2002";

/**
 * Creates an endpoint; returns the row and the management key (the only time it exists in clear).
 * Throws ALIAS_TAKEN when input.alias is another endpoint's alias or slug (the unique index
 * decides between concurrent creates of one alias).
 */
export async function createEndpoint(input: TCreateEndpointRequest): Promise<{ endpoint: Endpoint; managementKey: string }> {
  const managementKey = newManagementKey();
  const r = { ...DEFAULT_RESPONSE, ...input.response };
  const alias = input.alias ?? null;
  if (alias !== null) await assertAliasIsNoSlug(alias);
  for (let attempt = 0; ; attempt++) {
    const slug = newSlug();
    // Slugs (12 characters, no hyphen) can look like an alias; one that is an alias is drawn again.
    if (await getPrisma().endpoint.findUnique({ where: { alias: slug }, select: { id: true } })) continue;
    try {
      const endpoint = await getPrisma().endpoint.create({
        data: {
          id: uuidv7(),
          slug,
          alias,
          keyHash: hashKey(managementKey),
          name: input.name ?? `Endpoint ${slug.slice(0, 4)}`,
          responseStatus: r.status,
          responseHeaders: r.headers,
          responseBody: r.body,
          responseContentType: r.contentType,
          responseDelayMs: r.delayMs,
          responseHandshakes: r.handshakes,
          retentionMaxCaptures: input.retention?.maxCaptures,
          retentionMaxAgeDays: input.retention?.maxAgeDays,
          ...eventKeyColumns(input.eventKey),
          responses: { create: { rev: 0, ...r } },
        },
      });
      invalidateCaptureEndpoint(slug, alias);
      return { endpoint, managementKey };
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      if (alias !== null && (await getEndpointByAlias(alias))) throw aliasTaken(alias);
      // A slug collision (60 random bits) is astronomically rare; retry a few times anyway.
      if (attempt < 3) continue;
      throw e;
    }
  }
}

/**
 * Replaces the endpoint's management key, only if it is still the one the caller presented
 * (`currentHash`): of two replacements at once, one wins and the other gets null. The old key,
 * every dashboard link and every other browser's cookie stop opening it at once.
 */
export async function replaceManagementKey(id: string, currentHash: string): Promise<string | null> {
  const managementKey = newManagementKey();
  const { count } = await getPrisma().endpoint.updateMany({
    where: { id, keyHash: currentHash },
    data: { keyHash: hashKey(managementKey) },
  });
  return count === 1 ? managementKey : null;
}

/** The current key hashes of these endpoints (absent: deleted), in one query: open streams re-check theirs with it. */
export async function getKeyHashesByIds(ids: string[]): Promise<Map<string, string>> {
  const rows = await getPrisma().endpoint.findMany({ where: { id: { in: ids } }, select: { id: true, keyHash: true } });
  return new Map(rows.map((r) => [r.id, r.keyHash]));
}

export async function getEndpointById(id: string): Promise<Endpoint | null> {
  return getPrisma().endpoint.findUnique({ where: { id } });
}

/** The endpoint whose capture URL is /h/<name>: name is its slug or its alias. */
export async function getEndpointBySlugOrAlias(name: string): Promise<Endpoint | null> {
  return getPrisma().endpoint.findFirst({ where: { OR: [{ slug: name }, { alias: name }] } });
}

export async function getEndpointByAlias(alias: string): Promise<Endpoint | null> {
  return getPrisma().endpoint.findUnique({ where: { alias } });
}

/** The endpoint this management key opens, or null (looked up by the key's sha256, then compared in constant time). */
export async function getEndpointByKey(key: string): Promise<Endpoint | null> {
  const row = await getPrisma().endpoint.findFirst({ where: { keyHash: hashKey(key) } });
  return row && keyMatches(key, row.keyHash) ? row : null;
}

export async function getEndpointByIdOrThrow(id: string): Promise<Endpoint> {
  const row = await getEndpointById(id);
  if (!row) throw new AppError("NOT_FOUND", "No such endpoint.");
  return row;
}

export async function listEndpointsByIds(ids: string[]): Promise<Endpoint[]> {
  if (ids.length === 0) return [];
  return getPrisma().endpoint.findMany({ where: { id: { in: ids } }, orderBy: { createdAt: "desc" } });
}

/**
 * A change to the response settings bumps responseRev and keeps the new settings as that
 * revision, in one transaction, so captures answered by the old ones still show what they got.
 */
export async function updateEndpoint(id: string, input: TUpdateEndpointRequest): Promise<Endpoint> {
  const r = input.response ?? {};
  const responseChanged = Object.values(r).some((v) => v !== undefined);
  if (input.alias) await assertAliasIsNoSlug(input.alias);
  const before = input.alias === undefined ? null : await getPrisma().endpoint.findUnique({ where: { id }, select: { alias: true } });
  const row = await getPrisma()
    .$transaction(async (tx) => {
      const updated = await tx.endpoint.update({
        where: { id },
        data: {
          name: input.name,
          alias: input.alias,
          responseStatus: r.status,
          responseHeaders: r.headers,
          responseBody: r.body,
          responseContentType: r.contentType,
          responseDelayMs: r.delayMs,
          responseHandshakes: r.handshakes,
          responseRev: responseChanged ? { increment: 1 } : undefined,
          retentionMaxCaptures: input.retention?.maxCaptures,
          retentionMaxAgeDays: input.retention?.maxAgeDays,
          ...eventKeyColumns(input.eventKey),
        },
      });
      if (responseChanged) {
        await tx.endpointResponse.create({
          data: { endpointId: id, rev: updated.responseRev, ...responseOf(updated), rules: updated.responseRules ?? [] },
        });
      }
      return updated;
    })
    .catch((e: unknown) => {
      throw input.alias && isUniqueViolation(e) ? aliasTaken(input.alias) : e;
    });
  // The old alias stops answering and the new one starts now in this process (other replicas: CACHE_TTL_MS).
  invalidateCaptureEndpoint(row.slug, row.alias, before?.alias ?? null);
  return row;
}

export async function deleteEndpointById(id: string): Promise<void> {
  const row = await getPrisma().endpoint.delete({ where: { id } });
  invalidateCaptureEndpoint(row.slug, row.alias);
}

// --- capture hot path -------------------------------------------------------------------

/** What the capture path needs to answer a request. */
export interface CaptureEndpoint {
  id: string;
  slug: string;
  response: TResponseSettings;
  /** Which revision `response` is (stored with each capture it answers). */
  responseRev: number;
  /** Where the event key linking retries comes from. */
  eventKey: TEventKeySetting;
  /** The response rules of that revision (compiled once per revision by lib/server/capture/rule-cache.ts). */
  rules: TResponseRule[];
}

interface CacheEntry {
  value: CaptureEndpoint | null;
  expires: number;
}

/** Short enough that a settings change on another replica shows within a couple of seconds. */
const CACHE_TTL_MS = 2_000;
const CACHE_MAX = 10_000;
/** Most slugs one lookup query asks for. */
const LOOKUP_BATCH_MAX = 500;
/** Lookup queries in flight at once; more misses wait and go together in the next one. */
const LOOKUP_CONCURRENCY = 2;

interface LookupWaiter {
  resolve(v: CaptureEndpoint | null): void;
  reject(e: unknown): void;
}

interface CaptureLookupState {
  cache: Map<string, CacheEntry>;
  /** Bumped by every invalidation: a lookup that started before one does not fill the cache. */
  generation: number;
}

const g = globalThis as typeof globalThis & { __hookscopeCaptureLookup?: CaptureLookupState };
// Shared on globalThis: server.ts and Next's bundled route handlers are separate module instances,
// and settings changes (in Next) must reach the cache the capture path (in server.ts) reads.
const lookup = (g.__hookscopeCaptureLookup ??= { cache: new Map(), generation: 0 });
const cache = lookup.cache;

/** Drops these capture names (slugs, aliases; nulls skipped) from the cache, misses remembered too. */
export function invalidateCaptureEndpoint(...names: (string | null)[]): void {
  lookup.generation++;
  for (const n of names) if (n !== null) cache.delete(n);
}

// Misses are looked up together, like the group commit writes: many endpoints (each seen once
// every few seconds, so each a miss) would otherwise cost one query and one pool checkout per
// capture, and an expired hot endpoint one query per concurrent request instead of one.
const waiting = new Map<string, LookupWaiter[]>();
const flying = new Map<string, LookupWaiter[]>();
let lookupsInFlight = 0;

const LOOKUP_QUERY = {
  name: "hookscope_capture_endpoints",
  // /h/<name> is a slug or an alias: one query, served by the two unique indexes (a BitmapOr).
  text: `SELECT slug, alias, id, response_status, response_headers, response_body, response_content_type, response_delay_ms, response_handshakes, response_rev,
                event_key_source, event_key_name, response_rules
           FROM endpoints WHERE slug = ANY($1::text[]) OR alias = ANY($1::text[])`,
};

interface LookupRow {
  slug: string;
  alias: string | null;
  id: string;
  response_status: number;
  response_headers: unknown;
  response_body: string | null;
  response_content_type: string | null;
  response_delay_ms: number;
  response_handshakes: boolean;
  response_rev: number;
  event_key_source: string;
  event_key_name: string | null;
  response_rules: unknown;
}

function toCaptureEndpoint(row: LookupRow): CaptureEndpoint {
  return {
    id: row.id,
    slug: row.slug,
    response: {
      status: row.response_status,
      headers: ZResponseHeaders.safeParse(row.response_headers).data ?? [],
      body: row.response_body,
      contentType: row.response_content_type,
      delayMs: row.response_delay_ms,
      handshakes: row.response_handshakes,
    },
    responseRev: row.response_rev,
    eventKey: eventKeySettingOf(row.event_key_source, row.event_key_name),
    rules: ZResponseRules.safeParse(row.response_rules).data ?? [],
  };
}

function remember(slug: string, value: CaptureEndpoint | null, now: number): void {
  cache.delete(slug); // re-inserted at the end: eviction below drops the least recently filled
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(slug, { value, expires: now + CACHE_TTL_MS });
}

function pumpLookups(): void {
  while (lookupsInFlight < LOOKUP_CONCURRENCY && waiting.size > 0) {
    const batch = new Map<string, LookupWaiter[]>();
    for (const [slug, waiters] of waiting) {
      waiting.delete(slug);
      batch.set(slug, waiters);
      flying.set(slug, waiters);
      if (batch.size >= LOOKUP_BATCH_MAX) break;
    }
    lookupsInFlight++;
    void runLookup(batch).finally(() => {
      lookupsInFlight--;
      pumpLookups();
    });
  }
}

async function runLookup(batch: Map<string, LookupWaiter[]>): Promise<void> {
  const generation = lookup.generation;
  try {
    const { rows } = await getPool().query<LookupRow>({ ...LOOKUP_QUERY, values: [[...batch.keys()]] });
    const found = new Map<string, CaptureEndpoint>();
    for (const r of rows) {
      const value = toCaptureEndpoint(r);
      if (r.alias !== null) found.set(r.alias, value);
      found.set(r.slug, value); // a slug wins over an alias (they never meet: see assertAliasIsNoSlug)
    }
    const now = Date.now();
    const fresh = generation === lookup.generation;
    for (const [slug, waiters] of batch) {
      flying.delete(slug);
      const value = found.get(slug) ?? null;
      if (fresh) remember(slug, value, now);
      for (const w of waiters) w.resolve(value);
    }
  } catch (e) {
    for (const [slug, waiters] of batch) {
      flying.delete(slug);
      for (const w of waiters) w.reject(e);
    }
  }
}

/** The cached answer of getEndpointForCapture, without a promise (the capture path's common case); undefined when not cached. */
export function cachedEndpointForCapture(slug: string): CaptureEndpoint | null | undefined {
  const hit = cache.get(slug);
  return hit && hit.expires > Date.now() ? hit.value : undefined;
}

/**
 * Looks a capture name (slug or alias) up for capture (null when unknown). Cached for CACHE_TTL_MS, negatives too;
 * concurrent misses share one query. Rejects when the database cannot be reached.
 */
export function getEndpointForCapture(slug: string): Promise<CaptureEndpoint | null> {
  const hit = cachedEndpointForCapture(slug);
  if (hit !== undefined) return Promise.resolve(hit);
  return new Promise((resolve, reject) => {
    const waiter = { resolve, reject };
    const joined = flying.get(slug) ?? waiting.get(slug);
    if (joined) return void joined.push(waiter);
    waiting.set(slug, [waiter]);
    pumpLookups();
  });
}
