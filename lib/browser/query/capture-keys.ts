// Query keys for captures, from one factory so invalidation by prefix reaches every capture query:
// invalidating captureKeys.all refreshes lists and details alike.
export const captureKeys = {
  all: ["captures"] as const,
  lists: () => [...captureKeys.all, "list"] as const,
  list: (endpointId: string) => [...captureKeys.lists(), endpointId] as const,
  /** Search results of an endpoint, one query per search text (under list(), so clearing reaches them). */
  searches: (endpointId: string) => [...captureKeys.list(endpointId), "search"] as const,
  search: (endpointId: string, query: string) => [...captureKeys.searches(endpointId), query] as const,
  details: () => [...captureKeys.all, "detail"] as const,
  detail: (id: string) => [...captureKeys.details(), id] as const,
  /** A body's exact bytes by its URL: outside `all` on purpose, so refreshing captures never refetches megabytes that never change. */
  body: (bodyUrl: string) => ["capture-body", bodyUrl] as const,
};
