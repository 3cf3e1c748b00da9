import type { VNode } from 'preact';
import type { Db } from '../../db/connect.ts';
import type { ViewContext } from '../../views/context.ts';

/**
 * A block on the public home page supplied by another module (open public notices with days left,
 * the latest weekly report, …). `render` returns null when it has nothing public to show; what it
 * shows must pass the disclosure policy like any other public surface.
 */
export interface HomePanel {
  name: string;
  order: number;
  render: (db: Db, ctx: ViewContext) => Promise<VNode | null>;
}

const panels: HomePanel[] = [];

export function addHomePanel(panel: HomePanel): void {
  if (!panels.some((p) => p.name === panel.name)) panels.push(panel);
  panels.sort((a, b) => a.order - b.order);
}

export const homePanels = (): readonly HomePanel[] => panels;
