import { maskParty, maskTextForScope, type Party } from '../disclosure/mask.ts';
import type { DeadlineStatus } from './request.deadline.ts';
import type { RequestRow } from './request.repository.ts';
import type { Requester } from './request.tables.ts';

/** Shapes of a request for its readers: the tracking-code holder (masked) and staff (full). */

export function partyOf(requester: Requester | null): Party[] {
  if (!requester) return [];
  if (requester.kind === 'organisation') {
    return [
      {
        kind: 'organisation',
        name: requester.name,
        creditCode: requester.idNumber ?? null,
        contact: { name: requester.contactName ?? null, phone: requester.phone ?? null },
      },
    ];
  }
  return [
    {
      kind: 'person',
      name: requester.name,
      idNumber: requester.idNumber ?? null,
      phone: requester.phone ?? null,
      address: requester.address ?? null,
    },
  ];
}

export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) return '****';
  return `${email[0]}***${email.slice(at)}`;
}

/** The requester as any public output shows it: names, numbers, phones, addresses and e-mail masked. */
export function maskedRequester(requester: Requester | null): Requester | null {
  if (!requester) return null;
  const [party] = partyOf(requester);
  const masked = maskParty(party, 'public');
  if (masked.kind === 'organisation') {
    return {
      kind: 'organisation',
      name: masked.name,
      contactName: masked.contact?.name ?? null,
      idType: requester.idType ?? null,
      idNumber: requester.idNumber
        ? maskParty({ kind: 'person', name: '', idNumber: requester.idNumber }, 'public').idNumber
        : null,
      phone: masked.contact?.phone ?? null,
      email: requester.email ? maskEmail(requester.email) : null,
      address: null,
    };
  }
  return {
    kind: 'person',
    name: masked.name,
    idType: requester.idType ?? null,
    idNumber: masked.idNumber ?? null,
    phone: masked.phone ?? null,
    email: requester.email ? maskEmail(requester.email) : null,
    address: masked.address ?? null,
  };
}

/** Free text of a request for a public output: the requester's own data and any ID/phone numbers masked. */
export function maskedText(text: string | null, requester: Requester | null): string | null {
  if (text === null) return null;
  return maskTextForScope(text, partyOf(requester), 'public');
}

export interface EventView {
  kind: string;
  on: string;
  note: string | null;
}

export function trackingView(
  row: RequestRow,
  events: Array<{ kind: string; on_date: string; note: string | null }>,
  extra: { departmentName: string | null; officeName: string | null; deadlineStatus: DeadlineStatus; qaPublished: boolean },
) {
  const requester = row.requester as Requester | null;
  return {
    number: row.number ?? '',
    kind: row.kind,
    subkind: row.subkind,
    subject: maskedText(row.subject, requester) ?? '',
    description: maskedText(row.description, requester) ?? '',
    department: extra.departmentName ?? '',
    office: extra.officeName,
    caseNumber: row.case_number,
    anonymous: row.anonymous,
    requester: maskedRequester(requester),
    format: row.format_wanted,
    delivery: row.delivery,
    status: row.status,
    deadlineStatus: extra.deadlineStatus,
    receivedOn: row.received_on,
    deadline: row.deadline,
    deadlineProvisional: row.deadline_provisional,
    extensionDays: row.extension_days,
    outcome: row.outcome,
    outcomeReason: maskedText(row.outcome_reason, requester),
    reply: maskedText(row.reply, requester),
    repliedOn: row.replied_on,
    qaPublished: extra.qaPublished,
    events: events.map((e) => ({ kind: e.kind, on: e.on_date, note: maskedText(e.note, requester) })),
  };
}

export type TrackingView = ReturnType<typeof trackingView>;
