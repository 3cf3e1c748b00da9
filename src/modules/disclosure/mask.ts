import { isPlausibleResidentId15, isValidResidentId18 } from './id-number.ts';
import type { Disclosable, Viewer } from './visibility.ts';

/**
 * Masking of parties' personal data (DESIGN.md §3.8): per-field maskers, a free-text masker and
 * `maskParty`, which applies MASKING_POLICY for an output scope. Rules are documented in
 * docs/disclosure.md; organisations' names and credit codes are not personal data and stay visible.
 */

const STAR = '*';

/** Compound (two-character) surnames kept whole: 欧阳娜娜 → 欧阳**. */
export const COMPOUND_SURNAMES: ReadonlySet<string> = new Set(
  (
    '欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 独孤 南宫 西门 百里 ' +
    '呼延 万俟 单于 澹台 公冶 太史 申屠 钟离 闻人 赫连 濮阳 淳于 仲孙 拓跋 第五 司空 左丘 东郭 公羊 ' +
    '梁丘 闾丘 羊舌 微生 亓官 司寇 子车 颛孙 壤驷 巫马 公西 漆雕 乐正 谷梁 宰父 夹谷 拓拔 段干 ' +
    '东门 公良 锺离'
  ).split(' '),
);

const HAN = /\p{Script=Han}/u;
const NAME_SEPARATORS = new Set(['·', '•', '・', '‧', '.', '-', ' ']);

/**
 * Personal name. Chinese: the surname stays, every other character becomes *, one per character
 * (张三 → 张*, 张三丰 → 张**); a compound surname from COMPOUND_SURNAMES stays whole when the name
 * has at least three characters (欧阳娜娜 → 欧阳**, 司马光 → 司马*); a one-character name becomes *.
 * Names with a middle dot (艾力·买买提) keep only their first character (艾*·***). Latin names keep
 * the first letter of each word (John Smith → J*** S****).
 */
export function maskName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') return name;
  const chars = [...trimmed];
  if (HAN.test(trimmed)) {
    if (chars.length === 1) return STAR;
    const keep = chars.length >= 3 && COMPOUND_SURNAMES.has(chars[0] + chars[1]) ? 2 : 1;
    return chars.map((c, i) => (i < keep || (NAME_SEPARATORS.has(c) && i > 0) ? c : STAR)).join('');
  }
  return trimmed.replace(/\p{L}[\p{L}\p{M}']*/gu, (word) => {
    const letters = [...word];
    return letters[0] + STAR.repeat(letters.length - 1);
  });
}

/** Full-width digits, X, hyphen and brackets as their ASCII twins (same length, so offsets hold). */
function toAscii(text: string): string {
  return text.replace(/[０-９Ｘｘ－（）　]/g, (c) => {
    if (c === '　') return ' ';
    if (c === '（') return '(';
    if (c === '）') return ')';
    if (c === '－') return '-';
    return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
  });
}

/**
 * Identity document number. 18 characters or 15 digits (resident identity card): the first 6
 * (region) and last 4 stay (320102199001011234 → 320102********1234, 15 digits → 6 + ***** + 4).
 * The field is masked whether or not its checksum is right. Other documents (passports, permits):
 * all but the last 4 characters when longer than 7, otherwise everything.
 */
export function maskIdNumber(value: string): string {
  const id = toAscii(value.trim());
  if (id === '') return value;
  if (/^\d{17}[\dXx]$/.test(id) || /^\d{15}$/.test(id)) return id.slice(0, 6) + STAR.repeat(id.length - 10) + id.slice(-4);
  if (id.length > 7) return STAR.repeat(id.length - 4) + id.slice(-4);
  return STAR.repeat(id.length);
}

/** Masks all digits of `part` except the last `keepLast`, keeping separators. */
function maskDigits(part: string, keepLast: number): string {
  const total = (part.match(/\d/g) ?? []).length;
  let seen = 0;
  return part.replace(/\d/g, (d) => (++seen > total - keepLast ? d : STAR));
}

const MOBILE_FIELD = /^(\+?86[- ]?)?(1[3-9]\d)([- ]?)(\d{4})([- ]?)(\d{4})$/;
const LANDLINE_FIELD =
  /^(\+?86[- ]?)?(\(0?\d{2,3}\)\s?|0\d{2,3}[- ]|0[12]\d(?=\d{8}$)|0[3-9]\d{2}(?=\d{7,8}$))(\d{3,4}[- ]?\d{3,4})(\s*(?:-|转|ext\.?|x|,)\s*\d{1,6})?$/i;

/**
 * Telephone number. Mobile: first 3 and last 4 digits stay (13812345678 → 138****5678, a +86
 * prefix and separators are kept). Landline: the area code and the last 4 digits of the local
 * number stay (0511-85011234 → 0511-****1234; an extension stays). Anything else: every digit but
 * the last 4.
 */
export function maskPhone(value: string): string {
  const phone = toAscii(value.trim());
  if (phone === '') return value;
  const mobile = MOBILE_FIELD.exec(phone);
  if (mobile) return `${mobile[1] ?? ''}${mobile[2]}${mobile[3]}****${mobile[5]}${mobile[6]}`;
  const landline = LANDLINE_FIELD.exec(phone);
  if (landline) return `${landline[1] ?? ''}${landline[2]}${maskDigits(landline[3], 4)}${landline[4] ?? ''}`;
  const digits = (phone.match(/\d/g) ?? []).length;
  return maskDigits(phone, digits > 6 ? 4 : 0);
}

/** Where the house-number part of a Chinese address begins: a digit, 甲/乙 + digit, or a Chinese numeral + unit. */
const ADDRESS_DETAIL = /[0-9]|[甲乙丙丁][0-9]|[一二三四五六七八九十百千零〇两]+\s*(?:号|栋|幢|座|单元|室|楼|层|组|队|户|弄|排)/;
/** Suffixes of divisions and streets that may stay visible (区 but not 小区/园区/校区). */
const ADDRESS_LEVEL =
  /(?:省|自治区|特别行政区|自治州|地区|盟|市|(?<![小园校厂营])区|县|旗|镇|乡|街道|社区|路|街|大道|(?<!街)道|巷|胡同|里弄|村)/g;
const MASK_TAIL = '****';

/**
 * Postal address. Chinese: kept up to the last division or street name before the house-number
 * part (province … district, town or 街道, road / street / lane, village), the rest becomes ****
 * (镇江市润州区南徐大道 1 号 3 幢 201 室 → 镇江市润州区南徐大道****; a residential compound name
 * is dropped: 镇江市润州区金山花园3幢 → 镇江市润州区****). Latin: the last two comma-separated
 * parts stay (district, city), the rest becomes ****.
 */
export function maskAddress(address: string): string {
  const text = address.trim();
  if (text === '') return address;
  if (!HAN.test(text)) {
    const parts = text.split(',').map((p) => p.trim());
    return parts.length > 2 ? [MASK_TAIL, ...parts.slice(-2)].join(', ') : MASK_TAIL;
  }
  const ascii = toAscii(text);
  const detail = ADDRESS_DETAIL.exec(ascii);
  const head = detail ? text.slice(0, detail.index) : text;
  let cut = 0;
  for (const m of head.matchAll(ADDRESS_LEVEL)) cut = m.index + m[0].length;
  const kept = head.slice(0, cut).replace(/\s+/g, '');
  if (cut === head.length && !detail) return kept;
  return kept + MASK_TAIL;
}

/** Personal data the caller knows to be in a text: masked wherever it appears verbatim. */
export interface KnownPersonalData {
  /** Names of natural persons (parties, contacts). Never organisations' names. */
  names?: readonly string[];
  idNumbers?: readonly string[];
  phones?: readonly string[];
  addresses?: readonly string[];
  /** Numbers never masked, e.g. the department's own published telephone (compared by digits). */
  keepNumbers?: readonly string[];
}

type Replacer = (match: string, groups: string[]) => string | null;

/** Replaces matches found in `work` (the ASCII twin) in both strings; `null` from the replacer keeps the match. */
function replaceBoth(state: { work: string; orig: string }, pattern: RegExp, replacer: Replacer): void {
  let work = '';
  let orig = '';
  let last = 0;
  for (const m of state.work.matchAll(pattern)) {
    const replacement = replacer(m[0], m.slice(1));
    if (replacement === null) continue;
    const original = state.orig.slice(m.index, m.index + m[0].length);
    // Same length: keep the original characters (full-width digits, brackets) wherever they were not masked.
    const shown =
      replacement.length === m[0].length
        ? [...replacement].map((c, i) => (c === m[0][i] ? original[i] : c)).join('')
        : replacement;
    work += state.work.slice(last, m.index) + replacement;
    orig += state.orig.slice(last, m.index) + shown;
    last = m.index + m[0].length;
  }
  if (last === 0) return;
  state.work = work + state.work.slice(last);
  state.orig = orig + state.orig.slice(last);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const digitsOf = (s: string) => toAscii(s).replace(/\D/g, '');

const LABELLED_ID = /(身份证(?:号码|号)?|公民身份号码|证件号码?)(\s*[:：]?\s*)(\d{17}[\dXx]|\d{15,18})(?![0-9A-Za-z])/g;
const ID18 = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const ID15 = /(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])/g;
const MOBILE = /(?<![\d+])(\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)/g;
const LANDLINE_SEPARATED = /(?<!\d)(?:\(0\d{2,3}\)\s?|0\d{2,3}-|0\d{2,3} (?=\d{3,4}[- ]?\d{4}(?!\d)))\d{3,4}[- ]?\d{4}(?!\d)/g;
const LANDLINE_COMPACT = /(?<!\d)(?:0[12]\d\d{8}|0[3-9]\d{2}\d{7,8})(?!\d)/g;

/**
 * Masks personal data inside free text: identity numbers (18 characters only when the GB 11643
 * checksum and birth date are valid, 15 digits when the birth date is; any 15–18 character number
 * right after 身份证/证件号码), mobile numbers (1[3-9] + 9 digits, not inside longer digit runs),
 * landlines with an area code, and the known names, ID numbers, phones and addresses given by the
 * caller. Case numbers, dates, amounts and 18-digit numbers with a wrong checksum are left alone.
 * `known` may be a plain list of person names.
 */
export function maskFreeText(text: string, known?: readonly string[] | KnownPersonalData): string {
  if (!text) return text;
  const data: KnownPersonalData = Array.isArray(known) ? { names: known } : ((known as KnownPersonalData) ?? {});
  const keep = new Set((data.keepNumbers ?? []).map(digitsOf).filter((d) => d.length > 0));
  const kept = (match: string) => keep.has(digitsOf(match));
  const state = { work: toAscii(text), orig: text };

  const literal = (values: readonly string[] | undefined, mask: (v: string) => string) => {
    const list = [...new Set((values ?? []).map((v) => v.trim()).filter((v) => v.length >= 2))];
    list.sort((a, b) => b.length - a.length);
    for (const value of list) {
      const masked = mask(value);
      if (masked === value) continue;
      const flags = HAN.test(value) ? 'g' : 'gi';
      replaceBoth(state, new RegExp(escapeRegExp(toAscii(value)), flags), () => masked);
    }
  };
  literal(data.addresses, maskAddress);
  literal(data.idNumbers, maskIdNumber);
  literal(data.phones, maskPhone);

  replaceBoth(state, LABELLED_ID, (_m, [label, sep, id]) => `${label}${sep}${maskIdNumber(id)}`);
  replaceBoth(state, ID18, (m) => (isValidResidentId18(m) ? maskIdNumber(m) : null));
  replaceBoth(state, ID15, (m) => (isPlausibleResidentId15(m) ? maskIdNumber(m) : null));
  replaceBoth(state, MOBILE, (m) => (kept(m) ? null : maskPhone(m)));
  replaceBoth(state, LANDLINE_SEPARATED, (m) => (kept(m) ? null : maskPhone(m)));
  replaceBoth(state, LANDLINE_COMPACT, (m) => (kept(m) ? null : maskPhone(m)));

  literal(data.names, maskName);
  return state.orig;
}

// ---------------------------------------------------------------------------------------------
// Parties and scopes

export interface PersonParty {
  kind: 'person';
  name: string;
  idNumber?: string | null;
  phone?: string | null;
  address?: string | null;
}
export interface OrganisationParty {
  kind: 'organisation';
  name: string;
  creditCode?: string | null;
  contact?: { name?: string | null; phone?: string | null } | null;
}
export type Party = PersonParty | OrganisationParty;

/**
 * Output scopes for masking: `public` — every public surface, and staff of other departments;
 * `party` — the party itself on its case query (proved by the query code, a bearer secret, so it
 * shows no more than a receipt would); `staff` — staff who work on the record.
 */
export type MaskScope = 'public' | 'party' | 'staff';
export const MASK_SCOPES: readonly MaskScope[] = ['public', 'party', 'staff'];
export type PartyField =
  | 'personName'
  | 'idNumber'
  | 'phone'
  | 'address'
  | 'organisationName'
  | 'creditCode'
  | 'contactName'
  | 'contactPhone';
export type FieldTreatment = 'full' | 'masked';

/** Per field and per scope (DESIGN.md §3.8). */
export const MASKING_POLICY: Readonly<Record<MaskScope, Readonly<Record<PartyField, FieldTreatment>>>> = {
  public: {
    personName: 'masked',
    idNumber: 'masked',
    phone: 'masked',
    address: 'masked',
    organisationName: 'full',
    creditCode: 'full',
    contactName: 'masked',
    contactPhone: 'masked',
  },
  party: {
    personName: 'full',
    idNumber: 'masked',
    phone: 'masked',
    address: 'masked',
    organisationName: 'full',
    creditCode: 'full',
    contactName: 'full',
    contactPhone: 'masked',
  },
  staff: {
    personName: 'full',
    idNumber: 'full',
    phone: 'full',
    address: 'full',
    organisationName: 'full',
    creditCode: 'full',
    contactName: 'full',
    contactPhone: 'full',
  },
};

type Fields = Record<string, unknown>;

/** Masks `key` of `target` in place when present, a string, and masked for `scope` by the policy. */
function maskField(target: Fields, key: string, scope: MaskScope, field: PartyField, mask: (v: string) => string): void {
  const value = target[key];
  if (typeof value === 'string' && MASKING_POLICY[scope][field] === 'masked') target[key] = mask(value);
}

/** A copy of the party with each field treated as MASKING_POLICY says for `scope`; other properties are kept. */
export function maskParty<P extends Party>(party: P, scope: MaskScope): P {
  const out: Fields = { ...party };
  if (party.kind === 'person') {
    maskField(out, 'name', scope, 'personName', maskName);
    maskField(out, 'idNumber', scope, 'idNumber', maskIdNumber);
    maskField(out, 'phone', scope, 'phone', maskPhone);
    maskField(out, 'address', scope, 'address', maskAddress);
  } else {
    maskField(out, 'name', scope, 'organisationName', maskName);
    maskField(out, 'creditCode', scope, 'creditCode', maskIdNumber);
    if (party.contact) {
      const contact: Fields = { ...party.contact };
      maskField(contact, 'name', scope, 'contactName', maskName);
      maskField(contact, 'phone', scope, 'contactPhone', maskPhone);
      out.contact = contact;
    }
  }
  return out as P;
}

/** The personal data of `parties` that must be masked in free text for `scope`. */
export function personalDataOf(parties: readonly Party[], scope: MaskScope): KnownPersonalData {
  const policy = MASKING_POLICY[scope];
  const names: string[] = [];
  const idNumbers: string[] = [];
  const phones: string[] = [];
  const addresses: string[] = [];
  const add = (list: string[], value: string | null | undefined, field: PartyField) => {
    if (value && policy[field] === 'masked') list.push(value);
  };
  for (const party of parties) {
    if (party.kind === 'person') {
      add(names, party.name, 'personName');
      add(idNumbers, party.idNumber, 'idNumber');
      add(phones, party.phone, 'phone');
      add(addresses, party.address, 'address');
    } else {
      add(names, party.contact?.name, 'contactName');
      add(phones, party.contact?.phone, 'contactPhone');
    }
  }
  return { names, idNumbers, phones, addresses };
}

/** Free text of a record (opinions, results, replies) for `scope`: unchanged for staff, masked otherwise. */
export function maskTextForScope(
  text: string,
  parties: readonly Party[],
  scope: MaskScope,
  keepNumbers: readonly string[] = [],
): string {
  if (scope === 'staff') return text;
  return maskFreeText(text, { ...personalDataOf(parties, scope), keepNumbers });
}

/**
 * The masking scope for a viewer of an item it may see (check `canView` first): `staff` for staff
 * of the item's department, the city office, city-wide supervisors and the system; `public` for
 * everyone else, including city-wide administrators and staff of other departments. Party viewers
 * get `public` here too, because a grant may be an applicant's rather than the party's own: the
 * case-status query, which knows the viewer proved this case's query code, passes `party` itself.
 */
export function maskScopeFor(item: Pick<Disclosable, 'departmentId'>, viewer: Viewer): MaskScope {
  if (viewer.kind !== 'staff') return 'public';
  const actor = viewer.actor;
  if (actor.kind === 'system') return 'staff';
  if (actor.kind === 'public') return 'public';
  if (actor.cityWide && (actor.role === 'city_office' || actor.role === 'supervisor')) return 'staff';
  if (actor.unitId !== null && actor.unitId === item.departmentId) return 'staff';
  return 'public';
}
