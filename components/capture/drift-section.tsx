// What a capture changed against its event type's inferred schema (captures.drift, set by the
// schema worker): each path with what it was before and what it is now.
import type { TCaptureSummary } from "@/lib/shared/validation/captures";
import { Section } from "./capture-section";

type TDrift = NonNullable<TCaptureSummary["drift"]>;

const KIND: Record<TDrift[number]["kind"], string> = {
  added: "new field",
  removed: "missing (was in every earlier capture)",
  type: "type changed",
};

const show = (types: string[]) => (types.length ? types.join(" | ") : "—");

export function DriftSection({ drift, eventType }: { drift: TDrift; eventType: string | null | undefined }) {
  return (
    <Section title="Drift" count={drift.length} testId="drift-section">
      <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-300">
        This capture differs from the schema inferred from the earlier{eventType ? ` ${eventType}` : ""} captures.
      </p>
      <table className="text-sm">
        <thead>
          <tr className="border-b border-zinc-200 text-left text-xs text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
            <th className="py-1 pr-8 font-medium">Path</th>
            <th className="py-1 pr-8 font-medium">Change</th>
            <th className="py-1 pr-8 font-medium">Before</th>
            <th className="py-1 font-medium">Now</th>
          </tr>
        </thead>
        <tbody>
          {drift.map((d) => (
            <tr key={`${d.kind}:${d.path}`} className="border-b border-zinc-100 dark:border-zinc-800" data-testid="drift-change">
              <td className="py-1 pr-8 font-mono text-xs break-all">{d.path || "(the body)"}</td>
              <td className="py-1 pr-8 text-xs">{KIND[d.kind]}</td>
              <td className="py-1 pr-8 font-mono text-xs">{show(d.before)}</td>
              <td className="py-1 font-mono text-xs">{show(d.after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}
