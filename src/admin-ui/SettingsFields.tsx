import type { ReactNode } from "react";
import { Checkbox, FormLayout, Select, TextField } from "@shopify/polaris";

/** A draft's field by its path: a top-level key, or "record.key" inside one of the draft's records ("automations.welcome"). */
export type FieldPath<D, V> = {
  [K in keyof D & string]: D[K] extends V ? K : D[K] extends Record<string, V> ? `${K}.${keyof D[K] & string}` : never;
}[keyof D & string];

/** A fixed value, or one read from what the form shows (a help text that follows another field's choice). */
type Live<C, T> = T | ((c: C) => T);

interface Common<C> {
  label: Live<C, string>;
  help?: Live<C, string | undefined>;
  /** The settings path the server names when it refuses this field's value; no error shown when absent. */
  error?: string;
  /** Shown only while this holds. */
  when?: (c: C) => boolean;
}

export type Option = { label: string; value: string };

/** One simple field of a settings form, declared: what it edits, what it says, where its error comes from. */
export type FieldSpec<D, C> =
  | (Common<C> & {
      kind: "text";
      path: FieldPath<D, string>;
      type?: "number" | "password";
      autoComplete?: string;
      placeholder?: Live<C, string | undefined>;
      disabled?: (c: C) => boolean;
    })
  | (Common<C> & { kind: "check"; path: FieldPath<D, boolean> })
  | (Common<C> & { kind: "select"; path: FieldPath<D, string>; options: Live<C, Option[]> })
  /** Fields side by side (Polaris' condensed group). */
  | { kind: "group"; fields: FieldSpec<D, C>[]; when?: (c: C) => boolean };

/** What the fields read and how they write: the draft inside `context`, the server's refusal by settings path. */
export interface FieldsHost<D, C extends { draft: D }> {
  context: C;
  onChange(next: D): void;
  errorFor(field: string): string | undefined;
}

const live = <C, T>(v: Live<C, T>, c: C): T => (typeof v === "function" ? (v as (c: C) => T)(c) : v);

function valueAt<D>(draft: D, path: string): unknown {
  const [key, sub] = path.split(".") as [keyof D, string | undefined];
  return sub === undefined ? draft[key] : (draft[key] as Record<string, unknown>)[sub];
}

function withValue<D>(draft: D, path: string, value: unknown): D {
  const [key, sub] = path.split(".") as [keyof D, string | undefined];
  return { ...draft, [key]: sub === undefined ? value : { ...(draft[key] as Record<string, unknown>), [sub]: value } };
}

/**
 * The fields of `specs` that show now, one element each, so a Polaris FormLayout spaces each as
 * its own item (a wrapper component would make them one).
 */
export function renderFields<D, C extends { draft: D }>(specs: FieldSpec<D, C>[], host: FieldsHost<D, C>): ReactNode[] {
  return specs
    .filter((s) => !s.when || s.when(host.context))
    .map((s, i) =>
      s.kind === "group" ? (
        <FormLayout.Group condensed key={`group-${i}`}>
          {renderFields(s.fields, host)}
        </FormLayout.Group>
      ) : (
        <SettingsField key={s.path} spec={s} host={host} />
      ),
    );
}

function SettingsField<D, C extends { draft: D }>({ spec: s, host }: { spec: Exclude<FieldSpec<D, C>, { kind: "group" }>; host: FieldsHost<D, C> }) {
  const c = host.context;
  const value = valueAt(c.draft, s.path);
  const onChange = (v: string | boolean) => host.onChange(withValue(c.draft, s.path, v));
  const helpText = s.help === undefined ? undefined : live(s.help, c);
  const error = s.error === undefined ? undefined : host.errorFor(s.error);
  const label = live(s.label, c);
  if (s.kind === "check") return <Checkbox label={label} helpText={helpText} checked={value as boolean} onChange={onChange} />;
  if (s.kind === "select") return <Select label={label} options={live(s.options, c)} value={value as string} onChange={onChange} helpText={helpText} error={error} />;
  return (
    <TextField
      label={label}
      type={s.type}
      value={value as string}
      onChange={onChange}
      autoComplete={s.autoComplete ?? "off"}
      placeholder={s.placeholder === undefined ? undefined : live(s.placeholder, c)}
      disabled={s.disabled?.(c)}
      helpText={helpText}
      error={error}
    />
  );
}
