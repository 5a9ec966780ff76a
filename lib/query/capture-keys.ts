// Query keys for captures, from one factory so invalidation by prefix reaches every capture query:
// invalidating captureKeys.all refreshes lists and details alike.
export const captureKeys = {
  all: ["captures"] as const,
  lists: () => [...captureKeys.all, "list"] as const,
  list: (endpointId: string) => [...captureKeys.lists(), endpointId] as const,
  details: () => [...captureKeys.all, "detail"] as const,
  detail: (id: string) => [...captureKeys.details(), id] as const,
};
