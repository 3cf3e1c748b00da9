/**
 * The public portal's main sections, in the order a government website presents them
 * (政府网站发展指引): each has a landing URL and the URL prefixes that belong to it, so the top
 * navigation marks the current section and the home page lists them. Labels are message keys
 * (src/modules/portal/portal.messages.ts).
 */
export interface PublicSection {
  href: string;
  label: string;
  /** Message key of a one-line description (home page). */
  description: string;
  /** Paths (and their sub-paths) that belong to this section. */
  prefixes: string[];
}

export const PUBLIC_SECTIONS: readonly PublicSection[] = [
  { href: '/about', label: 'portal.section.about', description: 'portal.section.about.desc', prefixes: ['/about'] },
  { href: '/catalog', label: 'portal.section.catalog', description: 'portal.section.catalog.desc', prefixes: ['/catalog'] },
  {
    href: '/flowcharts',
    label: 'portal.section.flowcharts',
    description: 'portal.section.flowcharts.desc',
    prefixes: ['/flowcharts'],
  },
  {
    href: '/results',
    label: 'portal.section.operation',
    description: 'portal.section.operation.desc',
    prefixes: ['/results', '/reports', '/cases', '/rectifications', '/evaluation'],
  },
  {
    href: '/decisions',
    label: 'portal.section.decisions',
    description: 'portal.section.decisions.desc',
    prefixes: ['/decisions'],
  },
  {
    href: '/services',
    label: 'portal.section.services',
    description: 'portal.section.services.desc',
    prefixes: ['/services', '/query', '/calendar'],
  },
  {
    href: '/interact',
    label: 'portal.section.interact',
    description: 'portal.section.interact.desc',
    prefixes: ['/interact', '/requests'],
  },
  { href: '/ogi', label: 'portal.section.ogi', description: 'portal.section.ogi.desc', prefixes: ['/ogi', '/open-data'] },
  { href: '/news', label: 'portal.section.news', description: 'portal.section.news.desc', prefixes: ['/news'] },
];

/** The section a path belongs to, if any. */
export function sectionOf(path: string): PublicSection | undefined {
  return PUBLIC_SECTIONS.find((s) => s.prefixes.some((p) => path === p || path.startsWith(`${p}/`)));
}
