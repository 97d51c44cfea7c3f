// Shopify admin's own chrome around the page when it runs embedded: App Bridge's navigation menu,
// contextual save bar and toast stand in for the page's tabs, save buttons and Polaris Toast.
// Outside Shopify admin (a standalone login) there is no App Bridge and the page keeps its own.
import { useEffect, type MouseEvent, type ReactNode } from "react";
import { Button } from "@shopify/polaris";

/** The part of App Bridge's `shopify` global the admin uses (shopify.dev, App Home APIs). */
export interface AppBridge {
  /** A session token for the app's own API, fresh when the last one is about to expire. */
  idToken(): Promise<string>;
  toast: { show(message: string, options?: { isError?: boolean; duration?: number }): unknown };
  saveBar: { show(id: string): Promise<void>; hide(id: string): Promise<void> };
  app?: { extensions?(): Promise<{ type: string; activations: { handle: string; status: string }[] }[]> };
}

declare global {
  interface Window {
    shopify?: AppBridge;
  }
}

// App Bridge's elements and the attributes it reads on a save bar's buttons.
declare module "react" {
  interface ButtonHTMLAttributes<T> extends HTMLAttributes<T> {
    variant?: "primary";
    loading?: "";
  }
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      "ui-nav-menu": { children?: ReactNode };
      "ui-save-bar": { id: string; children?: ReactNode };
    }
  }
}

/**
 * App Bridge when Shopify admin frames the page: its script tag comes before the page's (the
 * server adds it only then) and defines `shopify` before the page runs. Undefined standalone.
 */
export const appBridge = (): AppBridge | undefined => window.shopify;

export interface NavSection<Id extends string> {
  id: Id;
  content: string;
}

/** The address of a section inside Shopify admin, with the query Shopify added to the app's address. */
export const sectionPath = (id: string): string => `/${id}${location.search}`;

/**
 * The sections in App Bridge's navigation menu (the admin's sidebar). Its first link is the app's
 * home, which App Bridge does not list; the home section is listed again under its own name. A
 * click (App Bridge clicks the link itself) opens the section in place, without reloading the frame.
 */
export function NavMenu<Id extends string>({ sections, home, onOpen }: { sections: readonly NavSection<Id>[]; home: Id; onOpen(id: Id): void }) {
  const open = (id: Id) => (event: MouseEvent) => {
    event.preventDefault();
    onOpen(id);
  };
  return (
    <ui-nav-menu>
      <a href="/" rel="home" onClick={open(home)}>
        {sections.find((s) => s.id === home)?.content}
      </a>
      {sections.map((s) => (
        <a key={s.id} href={`/${s.id}`} onClick={open(s.id)}>
          {s.content}
        </a>
      ))}
    </ui-nav-menu>
  );
}

/**
 * Save and discard for a form: App Bridge's contextual save bar, shown while there are unsaved
 * changes, when embedded; standalone, the page's own primary button.
 */
export function SaveControls({ id, label, dirty, saving, onSave, onDiscard }: { id: string; label: string; dirty: boolean; saving: boolean; onSave(): void; onDiscard(): void }) {
  const shopify = appBridge();
  useEffect(() => {
    if (shopify) void (dirty ? shopify.saveBar.show(id) : shopify.saveBar.hide(id));
  }, [dirty]);
  useEffect(() => () => void shopify?.saveBar.hide(id), []);
  if (!shopify)
    return (
      <Button variant="primary" loading={saving} onClick={onSave}>
        {label}
      </Button>
    );
  return (
    <ui-save-bar id={id}>
      <button variant="primary" loading={saving ? "" : undefined} disabled={saving} onClick={onSave}>
        {label}
      </button>
      <button disabled={saving} onClick={onDiscard}>
        Discard
      </button>
    </ui-save-bar>
  );
}
