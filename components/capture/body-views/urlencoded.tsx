"use client";
// Formatted urlencoded forms: one row per field, percent-decoded (a bad escape is shown as sent).
import { useMemo } from "react";
import { parseUrlEncoded } from "@/lib/shared/format/form";
import { EscapedText } from "@/components/capture/escaped-text";
import { TABLE, TD, TH } from "./parts";
import { FORMATTED, type TBodyView, type TBodyViewProps } from "./types";

function UrlEncodedFields({ text }: TBodyViewProps) {
  const { fields, omitted } = useMemo(() => parseUrlEncoded(text ?? ""), [text]);
  return (
    <div data-testid="body-form-fields" className="overflow-x-auto">
      <table className={TABLE}>
        <thead>
          <tr>
            <th className={`${TH} w-1/3`}>Field</th>
            <th className={TH}>Value</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f, i) => (
            <tr key={i} data-testid="form-field">
              <td className={TD}>
                <EscapedText text={f.name} />
              </td>
              <td className={TD}>
                <EscapedText text={f.value} />
                {f.malformed && (
                  <span className="ml-2 font-sans text-xs text-amber-700 dark:text-amber-300">(bad percent-encoding, shown as sent)</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {omitted > 0 && (
        <p className="px-3 py-1.5 text-xs text-zinc-500">
          {omitted.toLocaleString("en")} more fields not listed; the Raw view has them all.
        </p>
      )}
    </div>
  );
}

export const urlEncodedView: TBodyView = {
  id: "urlencoded-fields",
  mode: FORMATTED,
  kinds: ["urlencoded"],
  Component: UrlEncodedFields,
};
