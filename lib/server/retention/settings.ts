// The instance's limits as the API reports and enforces them (from lib/server/env.ts).
import "server-only";
import { env } from "@/lib/server/env";
import { AppError } from "@/lib/shared/errors/app-error";
import { DEFAULT_RETENTION, type TInstanceInfo, type TRetentionSettings } from "@/lib/shared/validation/endpoints";

export function instanceInfo(): TInstanceInfo {
  const e = env();
  return {
    createEndpointRequiresToken: e.CREATE_ENDPOINT_TOKEN !== undefined,
    retention: {
      defaults: { ...DEFAULT_RETENTION },
      ceilings: { maxCaptures: e.RETENTION_MAX_CAPTURES_CEILING, maxAgeDays: e.RETENTION_MAX_AGE_DAYS_CEILING },
    },
    expireUnusedAfterDays: e.ENDPOINT_EXPIRE_AFTER_DAYS || null,
  };
}

/** 400 when a retention setting is above this instance's ceiling. */
export function assertWithinCeilings(r: Partial<TRetentionSettings> | undefined): void {
  if (!r) return;
  const e = env();
  const n = (v: number) => v.toLocaleString("en");
  if (r.maxCaptures !== undefined && r.maxCaptures > e.RETENTION_MAX_CAPTURES_CEILING) {
    throw new AppError(
      "BAD_REQUEST",
      `retention.maxCaptures: this instance keeps at most ${n(e.RETENTION_MAX_CAPTURES_CEILING)} captures per endpoint.`,
    );
  }
  if (r.maxAgeDays !== undefined && r.maxAgeDays > e.RETENTION_MAX_AGE_DAYS_CEILING) {
    throw new AppError(
      "BAD_REQUEST",
      `retention.maxAgeDays: this instance keeps captures at most ${n(e.RETENTION_MAX_AGE_DAYS_CEILING)} days.`,
    );
  }
}
