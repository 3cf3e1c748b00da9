import type { VNode } from 'preact';
import type { ErrorDetail } from '../../app-error.ts';
import type { Db } from '../../db/connect.ts';
import type { ViewContext } from '../../views/context.ts';
import type { VersionRow } from './catalog.view.ts';

/**
 * Extension points for other modules. The flowchart module registers its time-budget check
 * (run on every submit) and adds its section to the public power page.
 */
export type SubmitValidator = (db: Db, version: VersionRow) => Promise<ErrorDetail[]>;
const submitValidators: SubmitValidator[] = [];

export function addSubmitValidator(validator: SubmitValidator): void {
  if (!submitValidators.includes(validator)) submitValidators.push(validator);
}

export async function runSubmitValidators(db: Db, version: VersionRow): Promise<ErrorDetail[]> {
  const details: ErrorDetail[] = [];
  for (const validator of submitValidators) details.push(...(await validator(db, version)));
  return details;
}

export interface PowerDetailSectionProps {
  db: Db;
  ctx: ViewContext;
  powerId: number;
  /** The version shown: the one in force on public pages. */
  versionId: number;
  audience: 'public' | 'staff' | 'print';
}

export interface PowerDetailSection {
  key: string;
  /** Sections are shown in this order after the catalog's own (basis, limits, fee …). */
  order: number;
  /** Loads what it needs and returns the section, or null to show nothing. */
  render: (props: PowerDetailSectionProps) => Promise<VNode | null>;
}

const sections: PowerDetailSection[] = [];

export function addPowerDetailSection(section: PowerDetailSection): void {
  if (sections.some((s) => s.key === section.key)) return;
  sections.push(section);
  sections.sort((a, b) => a.order - b.order);
}

export async function renderPowerDetailSections(props: PowerDetailSectionProps): Promise<VNode[]> {
  const rendered = await Promise.all(sections.map((section) => section.render(props)));
  return rendered.filter((node): node is VNode => node !== null);
}
