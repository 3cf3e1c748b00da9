import type { Locale } from '../config.ts';

export type Messages = Record<string, string>;
export interface MessageBundle {
  'zh-CN': Messages;
  en: Messages;
}

const catalogs: Record<Locale, Messages> = { 'zh-CN': {}, en: {} };

/** Modules contribute their messages here at import time (see all-messages.ts). */
export function registerMessages(bundle: MessageBundle): void {
  Object.assign(catalogs['zh-CN'], bundle['zh-CN']);
  Object.assign(catalogs.en, bundle.en);
}

export type Params = Record<string, string | number | undefined | null>;
export type Translate = (key: string, params?: Params) => string;

function interpolate(template: string, params: Params | undefined): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined || value === null ? whole : String(value);
  });
}

export function translate(locale: Locale, key: string, params?: Params): string {
  const template = catalogs[locale][key] ?? catalogs['zh-CN'][key] ?? key;
  return interpolate(template, params);
}

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}

export function hasMessage(locale: Locale, key: string): boolean {
  return key in catalogs[locale];
}

/** Keys present in Chinese but missing in English: the test suite asserts this list is empty. */
export function missingTranslations(): string[] {
  return Object.keys(catalogs['zh-CN']).filter((key) => !(key in catalogs.en));
}
