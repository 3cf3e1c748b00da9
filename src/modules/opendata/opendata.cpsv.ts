import type { Db } from '../../db/connect.ts';
import type { PublicPower } from '../catalog/catalog.view.ts';
import { allPublicPowers } from './public-data.ts';

/**
 * The public catalog as CPSV-AP 3.2 JSON-LD (Core Public Service Vocabulary Application Profile):
 * one `PublicService` per public power with `hasLegalResource`, `hasCost`, `hasCompetentAuthority`,
 * `hasChannel` and `processingTime` (an ISO 8601 duration). What CPSV-AP cannot say — statutory vs
 * promised limits and their units (working or calendar days), the promise's exception, the disclosure
 * scope and term — is in the extension namespace `gk:` documented at /open-data/ns
 * (docs/disclosure.md).
 */
export const EXTENSION_PATH = '/open-data/ns#';

export function jsonLdContext(baseUrl: string) {
  return {
    cpsv: 'http://purl.org/vocab/cpsv#',
    cv: 'http://data.europa.eu/m8g/',
    dct: 'http://purl.org/dc/terms/',
    eli: 'http://data.europa.eu/eli/ontology#',
    skos: 'http://www.w3.org/2004/02/skos/core#',
    xsd: 'http://www.w3.org/2001/XMLSchema#',
    adms: 'http://www.w3.org/ns/adms#',
    gk: `${baseUrl}${EXTENSION_PATH}`,
    PublicService: 'cpsv:PublicService',
    PublicOrganisation: 'cv:PublicOrganisation',
    LegalResource: 'eli:LegalResource',
    Cost: 'cv:Cost',
    Channel: 'cv:Channel',
    identifier: 'dct:identifier',
    name: 'dct:title',
    description: 'dct:description',
    title: 'dct:title',
    prefLabel: 'skos:prefLabel',
    type: { '@id': 'dct:type', '@type': '@id' },
    hasLegalResource: { '@id': 'cv:hasLegalResource', '@container': '@set' },
    hasCost: { '@id': 'cv:hasCost', '@container': '@set' },
    hasCompetentAuthority: { '@id': 'cv:hasCompetentAuthority', '@type': '@id' },
    hasChannel: { '@id': 'cv:hasChannel', '@container': '@set' },
    processingTime: { '@id': 'cv:processingTime', '@type': 'xsd:duration' },
    value: { '@id': 'cv:value', '@type': 'xsd:decimal' },
    currency: { '@id': 'cv:currency', '@type': '@id' },
    isDefinedBy: 'cv:isDefinedBy',
    sector: 'cv:sector',
    thematicArea: 'cv:thematicArea',
    statutoryLimit: 'gk:statutoryLimit',
    promisedLimit: 'gk:promisedLimit',
    promisedLimitException: 'gk:promisedLimitException',
    days: { '@id': 'gk:days', '@type': 'xsd:nonNegativeInteger' },
    unit: { '@id': 'gk:unit', '@type': '@vocab' },
    working: 'gk:WorkingDays',
    natural: 'gk:CalendarDays',
    disclosureScope: { '@id': 'gk:disclosureScope', '@type': '@vocab' },
    disclosureTerm: { '@id': 'gk:disclosureTerm', '@type': '@vocab' },
    disclosureTermEnd: { '@id': 'gk:disclosureTermEnd', '@type': 'xsd:date' },
    public: 'gk:Public',
    limited: 'gk:Limited',
    internal: 'gk:Internal',
    leadership: 'gk:Leadership',
    long_term: 'gk:LongTerm',
    timely: 'gk:Timely',
    powerCategory: 'gk:powerCategory',
    effectiveFrom: { '@id': 'gk:effectiveFrom', '@type': 'xsd:date' },
  };
}

/** ISO 8601 duration of a limit: P13D (the unit — working or calendar days — is in gk:unit). */
export function isoDuration(limit: { days: number } | null): string | undefined {
  if (!limit) return undefined;
  return `P${limit.days}D`;
}

const CHANNEL_TYPES: Record<string, string> = {
  website: 'http://publications.europa.eu/resource/authority/channel/HOMEPAGE',
  service_window: 'http://publications.europa.eu/resource/authority/channel/ASSISTANT',
  hotline: 'http://publications.europa.eu/resource/authority/channel/TELEPHONE',
  bulletin_board: `gk:BulletinBoard`,
  guide_card: `gk:ServiceCard`,
  newspaper: `gk:Newspaper`,
};

function service(baseUrl: string, p: PublicPower) {
  const url = `${baseUrl}/catalog/${p.id}`;
  const fee = p.fee as { charged: boolean; standard?: string; basis?: string; amount?: number };
  const limit = (l: { days: number; unit: string } | null) => (l ? { days: l.days, unit: l.unit } : undefined);
  return {
    '@id': url,
    '@type': 'PublicService',
    identifier: p.code,
    name: { '@value': p.name, '@language': 'zh' },
    powerCategory: p.category,
    hasCompetentAuthority: {
      '@id': `${baseUrl}/about#department-${encodeURIComponent(p.department.code)}`,
      '@type': 'PublicOrganisation',
      identifier: p.department.code,
      prefLabel: { '@value': p.department.name, '@language': 'zh' },
    },
    hasLegalResource: p.legalBasis.map((b, i) => ({
      '@id': `${url}#legal-${i + 1}`,
      '@type': 'LegalResource',
      title: { '@value': `${b.title}${b.article ? ` ${b.article}` : ''}`, '@language': 'zh' },
    })),
    hasCost: [
      {
        '@id': `${url}#cost`,
        '@type': 'Cost',
        ...(fee.charged ? (fee.amount !== undefined ? { value: fee.amount } : {}) : { value: 0 }),
        currency: 'http://publications.europa.eu/resource/authority/currency/CNY',
        description: { '@value': fee.charged ? `${fee.standard ?? ''}（${fee.basis ?? ''}）` : '不收费', '@language': 'zh' },
      },
    ],
    hasChannel: p.disclosure.forms.map((form) => ({
      '@id': `${url}#channel-${form}`,
      '@type': 'Channel',
      type: CHANNEL_TYPES[form] ?? `gk:${form}`,
    })),
    ...(isoDuration(p.promisedLimit ?? p.statutoryLimit)
      ? { processingTime: isoDuration(p.promisedLimit ?? p.statutoryLimit) }
      : {}),
    ...(limit(p.statutoryLimit) ? { statutoryLimit: limit(p.statutoryLimit) } : {}),
    ...(limit(p.promisedLimit) ? { promisedLimit: limit(p.promisedLimit) } : {}),
    ...(p.promisedLimitException ? { promisedLimitException: p.promisedLimitException } : {}),
    disclosureScope: p.disclosure.scope,
    disclosureTerm: p.disclosure.term.kind,
    ...(p.disclosure.term.end ? { disclosureTermEnd: p.disclosure.term.end } : {}),
    ...(p.effectiveFrom ? { effectiveFrom: p.effectiveFrom } : {}),
  };
}

export async function catalogJsonLd(db: Db, baseUrl: string) {
  const powers = await allPublicPowers(db);
  return {
    '@context': jsonLdContext(baseUrl),
    '@id': `${baseUrl}/open-data/catalog.jsonld`,
    '@graph': powers.map((p) => service(baseUrl, p)),
  };
}

/** The extension terms, for /open-data/ns and docs/disclosure.md. */
export const EXTENSION_TERMS: Array<[term: string, zh: string, en: string]> = [
  ['gk:statutoryLimit', '法定时限：{ days, unit }', 'Statutory time limit: { days, unit }'],
  [
    'gk:promisedLimit',
    '承诺时限（向社会公开承诺，不长于法定时限的三分之二）',
    'Promised limit (public promise, at most 2/3 of the statutory)',
  ],
  ['gk:promisedLimitException', '承诺时限超过三分之二时公开的书面理由', 'Published written reason when the promise exceeds 2/3'],
  ['gk:days', '天数（0 = 即办）', 'Number of days (0 = same day)'],
  ['gk:unit', 'gk:WorkingDays（工作日）或 gk:CalendarDays（自然日）', 'gk:WorkingDays or gk:CalendarDays'],
  [
    'gk:disclosureScope',
    '公开范围：gk:Public / gk:Limited / gk:Internal / gk:Leadership（开放数据中只有 gk:Public）',
    'Disclosure scope (only gk:Public appears in open data)',
  ],
  [
    'gk:disclosureTerm',
    '公开时间：gk:LongTerm（长期）或 gk:Timely（及时，至 gk:disclosureTermEnd）',
    'Disclosure term: gk:LongTerm or gk:Timely',
  ],
  ['gk:disclosureTermEnd', '及时公开的最后一天（xsd:date），之后自动撤下', 'Last day a timely item is shown (xsd:date)'],
  ['gk:powerCategory', '权力类别代码（licensing、penalty …）', 'Power category code'],
  ['gk:effectiveFrom', '现行版本生效日期', 'Date the version in force took effect'],
];
