import type { Permission } from '../modules/account/authorize.ts';

export interface NavItem {
  href: string;
  /** Message key of the label. */
  label: string;
  order: number;
  /** Staff items are shown only to holders of this permission. */
  permission?: Permission;
}

const publicNav: NavItem[] = [];
const staffNav: NavItem[] = [];

/** Modules add their sections to the portal and workbench menus from their pages file. */
export function addPublicNav(item: NavItem): void {
  if (!publicNav.some((i) => i.href === item.href)) publicNav.push(item);
  publicNav.sort((a, b) => a.order - b.order);
}

export function addStaffNav(item: NavItem): void {
  if (!staffNav.some((i) => i.href === item.href)) staffNav.push(item);
  staffNav.sort((a, b) => a.order - b.order);
}

export const publicNavItems = (): readonly NavItem[] => publicNav;
export const staffNavItems = (): readonly NavItem[] => staffNav;
