import type { TCaptureSummary } from "@/lib/shared/validation/captures";

// Ids of captures that just arrived live, for a one-time highlight. Kept outside React so a row
// that scrolls out and back in (and remounts) does not flash again once the moment has passed.
const HIGHLIGHT_MS = 1500;
const arrived = new Set<string>();

export function markArrived(ids: Iterable<string>): void {
  const batch = [...ids];
  for (const id of batch) arrived.add(id);
  setTimeout(() => batch.forEach((id) => arrived.delete(id)), HIGHLIGHT_MS);
}

export function justArrived(id: string): boolean {
  return arrived.has(id);
}

// Listeners told of every batch the live stream (or polling) adds to an endpoint's list, and of a
// reset (the list was reloaded): an active search keeps itself current from them.
export type TArrival = { endpointId: string } & ({ kind: "captures"; captures: readonly TCaptureSummary[] } | { kind: "reset" });
const listeners = new Set<(a: TArrival) => void>();

export function onArrivals(listener: (a: TArrival) => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

export function announceArrivals(a: TArrival): void {
  for (const l of listeners) l(a);
}
