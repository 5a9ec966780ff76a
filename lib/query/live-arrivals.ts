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
