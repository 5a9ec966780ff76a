"use client";
// The endpoint's name as a heading; click (or Enter) to rename in place. Validated with the API's
// own schema before it is sent.
import { useState } from "react";
import { describeError } from "@/lib/browser/query/api";
import { useUpdateEndpoint } from "@/lib/browser/query/use-endpoints";
import { ZUpdateEndpointRequest } from "@/lib/shared/validation/endpoints";
import { EscapedText } from "@/components/capture/escaped-text";
import { buttonClass } from "@/components/ui/button-styles";

export function EndpointNameEditor({ endpointId, name }: { endpointId: string; name: string }) {
  const update = useUpdateEndpoint(endpointId);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const save = () => {
    if (draft === null) return;
    const parsed = ZUpdateEndpointRequest.safeParse({ name: draft });
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? "Invalid name");
    if (parsed.data.name === name) return setDraft(null);
    update.mutate(parsed.data, {
      onSuccess: () => {
        setDraft(null);
        setError(null);
      },
      onError: (e) => setError(describeError(e)),
    });
  };

  if (draft === null) {
    return (
      <h1 className="flex min-w-0">
        <button
          type="button"
          data-testid="endpoint-name"
          title="Rename"
          onClick={() => {
            setDraft(name);
            setError(null);
          }}
          className="group inline-flex max-w-full min-w-0 items-center gap-1.5 rounded px-1 text-base font-semibold hover:bg-zinc-100 sm:text-lg dark:hover:bg-zinc-800"
        >
          <span className="truncate">
            <EscapedText text={name} />
          </span>
          <span aria-hidden="true" className="text-sm text-zinc-400 opacity-0 group-hover:opacity-100 group-focus-visible:opacity-100">
            ✎
          </span>
          <span className="sr-only">(rename)</span>
        </button>
      </h1>
    );
  }

  return (
    <form
      className="flex min-w-0 flex-1 items-center gap-2 sm:flex-none"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <input
        autoFocus
        aria-label="Endpoint name"
        data-testid="endpoint-name-input"
        value={draft}
        maxLength={200}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            setDraft(null);
            setError(null);
          }
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "endpoint-name-error" : undefined}
        className="w-full min-w-0 rounded border sm:w-56 border-zinc-300 bg-white px-2 py-1 text-base font-semibold dark:border-zinc-600 dark:bg-zinc-900"
      />
      <button type="submit" disabled={update.isPending} className={buttonClass("primary", "shrink-0", "sm")}>
        {update.isPending ? "Saving…" : "Save"}
      </button>
      <button
        type="button"
        onClick={() => {
          setDraft(null);
          setError(null);
        }}
        className={buttonClass("ghost", "shrink-0", "sm")}
      >
        Cancel
      </button>
      {error && (
        <span id="endpoint-name-error" role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </span>
      )}
    </form>
  );
}
