import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { multipart, PDF } from '../../src/modules/application/application.fixtures.ts';
import { todayInChina } from '../../src/modules/disclosure/visibility.ts';
import { idNumber } from '../../src/modules/operation/operation.fixtures.ts';
import { apiKeyFor } from '../factories.ts';
import { Browser, createTestApp, loggedIn, type TestApp } from '../helpers/app.ts';
import { DEMO_PASSWORD, seedWorld } from '../helpers/world.ts';

// Issue 10 item 5: a distinct probe in every free-text field of the public request forms, the
// operation registration (staff form and JSON API), the online application and decision comments;
// then every page that shows the value, public and staff, must show it escaped — never raw.
// To cover a new field: add it to a source's `fields` and name the pages that show it in `pages`.

/** Probe n: breaks out of an attribute and opens a tag, and opens a script element. */
const probe = (n: number) => `"><img src=x onerror=gk${n}><script>alert("gk-${n}")</script>`;
/** For fields with little room (case numbers): the attribute break-out and tag only. */
const shortProbe = (n: number) => `"><img src=x onerror=gk${n}>`;
/** What a page must never contain for probe n: the live tags. */
const rawFragments = (n: number) => [`<img src=x onerror=gk${n}>`, `<script>alert("gk-${n}")`];
/** Probe n as an escaping page shows it (Preact escapes & < " and leaves > as it is; &gt; also accepted). */
const escapedForms = (n: number) =>
  ['>', '&gt;'].flatMap((gt) => [`&lt;img src=x onerror=gk${n}${gt}`, `&lt;script${gt}alert(&quot;gk-${n}&quot;)`]);
/** A `javascript:` URL, for fields that could end up in a link. */
const jsProbe = (n: number) => `javascript:alert(gk${n})//`;

/** 'public' (anonymous) or the username of a demo account. */
type Who = string;

interface PageSpec {
  who: Who;
  url: string;
  /** POST a form to `url` (CSRF token taken from `csrfFrom`), for pages reached only by POST (the /cases query). */
  post?: { csrfFrom: string; form: Record<string, string> };
  /** Expected status (default 200; a POST may answer anything below 400). 400: a refused form shown again with its values. */
  status?: number;
  /** Fields whose probe this page must show (escaped). Other probes must not appear raw either. */
  shows: string[];
}

interface Source {
  name: string;
  /** Free-text fields; each gets its own probe. */
  fields: string[];
  /** Fields among them that are too short for the full probe (they get `shortProbe`). */
  short?: string[];
  /** Fields among them that get a `javascript:` URL instead (must never become a link target). */
  js?: string[];
  /**
   * Submits the probes (field → value) and returns the pages that show them; pages that show the
   * value only for a while (a moderation queue) are checked on the way with `visit`.
   */
  submit(values: Record<string, string>, visit: (spec: PageSpec) => Promise<void>): Promise<PageSpec[]>;
}

let t: TestApp;
const browsers = new Map<Who, Browser>();
const summary: string[] = [];
let serial = 0;
const ip = () => `10.66.${Math.floor(serial / 200)}.${serial++ % 200}`;

async function as(who: Who): Promise<Browser> {
  if (!browsers.has(who)) browsers.set(who, who === 'public' ? new Browser(t.app) : await loggedIn(t.app, who, DEMO_PASSWORD));
  return browsers.get(who) as Browser;
}

async function json(method: 'GET' | 'POST', url: string, payload?: object, key?: string) {
  const response = await t.app.inject({
    method,
    url,
    ...(payload ? { payload } : {}),
    headers: key ? { authorization: `Bearer ${key}` } : {},
    remoteAddress: ip(),
  });
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
}

/** Posts an HTML form as `who`, with the CSRF token of the form page. */
async function postForm(who: Who, formPage: string, action: string, form: Record<string, string>) {
  const browser = await as(who);
  const page = await browser.get(formPage);
  assert.equal(page.statusCode, 200, `${formPage}: ${page.body.slice(0, 200)}`);
  return t.app.inject({
    method: 'POST',
    url: action,
    payload: new URLSearchParams({ ...form, _csrf: Browser.csrfOf(page.body) }).toString(),
    headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: browser.cookieHeader() },
    remoteAddress: ip(),
  });
}

/** The demo clerk's unit, an API key for it, and a power the clerk can register operations of. */
let clerkUnit: { id: number; code: string };
let clerkKey: string;
let power: { id: number; steps: string[] };
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gk-xss-'));

before(async () => {
  t = await createTestApp({ DATA_DIR: dataDir });
  const world = await seedWorld(t.db);
  assert.deepEqual(world.skipped, [], 'every demo seeder ran');
  clerkUnit = await t.db
    .selectFrom('app_user as u')
    .innerJoin('department as d', 'd.id', 'u.department_id')
    .select(['d.id', 'd.code'])
    .where('u.username', '=', 'clerk')
    .executeTakeFirstOrThrow();
  clerkKey = await apiKeyFor(t.db, clerkUnit.code, 'clerk');
  const clerk = await as('clerk');
  const pick = await clerk.get('/staff/operations/new');
  const powerId = Number(/<select id="pick-power" name="powerId">[\s\S]*?<option value="(\d+)"/.exec(pick.body)?.[1]);
  assert.ok(powerId > 0, 'the clerk can register an operation of some power');
  const form = await clerk.get(`/staff/operations/new?powerId=${powerId}`);
  const steps = [...form.body.matchAll(/name="step\.([^".]+)\.handler"/g)].map((m) => m[1]);
  assert.ok(steps.length > 0, 'the power has a flowchart with steps');
  power = { id: powerId, steps };
});
after(async () => {
  for (const line of summary) console.log(`[xss-probes] ${line}`);
  await t?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The error summary of a refused form, for failure messages. */
const problemsOf = (html: string) => /<div class="error-summary[\s\S]*?<\/div>/.exec(html)?.[0] ?? html.slice(0, 500);
const trackingCodeOf = (html: string) => /\/requests\/([A-Z0-9]+)"/.exec(html)?.[1];

const OPERATION_FIELDS = [
  'caseNumber',
  'partyName',
  'contactName',
  'handler',
  'opinion',
  'stopReason',
  'documentNumber',
  'resultNote',
  'feeBasis',
];

function requestFormSource(kind: 'consultation' | 'complaint' | 'disclosure', path: string): Source {
  return {
    name: `${kind} form ${path}`,
    fields: ['subject', 'description', 'caseNumber', 'requesterName', 'requesterContactName', 'requesterAddress'],
    short: ['caseNumber'],
    async submit(v, visit) {
      const department = await t.db.selectFrom('department').select('id').where('code', '=', 'WJW').executeTakeFirstOrThrow();
      // Refused (no department chosen): the form comes back with every value in its fields.
      await visit({
        who: 'public',
        url: path,
        post: { csrfFrom: path, form: { ...v, departmentId: '' } },
        status: 400,
        // Contact person and address are asked of complaints and disclosure requests only.
        shows: ['subject', 'description', 'caseNumber', 'requesterName'],
      });
      const response = await postForm('public', path, path, {
        subject: v.subject,
        description: v.description,
        caseNumber: v.caseNumber,
        departmentId: String(department.id),
        ...(kind === 'complaint' ? { subkind: 'complaint' } : {}),
        requesterKind: 'organisation',
        requesterName: v.requesterName,
        requesterContactName: v.requesterContactName,
        requesterPhone: '13812345678',
        requesterEmail: 'a@example.cn',
        requesterAddress: v.requesterAddress,
        requesterIdType: '统一社会信用代码',
        requesterIdNumber: '91320000MA1XXXXX0X',
        ...(kind === 'disclosure' ? { format: 'electronic', delivery: 'email' } : {}),
      });
      assert.equal(response.statusCode, 201, `${kind}: ${problemsOf(response.body)}`);
      const code = trackingCodeOf(response.body);
      assert.ok(code, 'receipt shows the tracking link');
      const row = await t.db.selectFrom('public_request').select('id').where('subject', '=', v.subject).executeTakeFirstOrThrow();
      return [
        { who: 'public', url: `/requests/${code}`, shows: ['subject', 'description', 'caseNumber', 'requesterName'] },
        { who: 'clerk', url: '/staff/requests', shows: ['subject'] },
        { who: 'clerk', url: `/staff/requests/${row.id}`, shows: this.fields },
      ];
    },
  };
}

const sources: Source[] = [
  requestFormSource('consultation', '/interact/consult'),
  requestFormSource('complaint', '/interact/complain'),
  requestFormSource('disclosure', '/ogi/request'),
  {
    name: 'request JSON API',
    fields: ['subject', 'description', 'caseNumber', 'name', 'contactName', 'address'],
    short: ['caseNumber'],
    js: ['contactName'],
    async submit(v) {
      const department = await t.db.selectFrom('department').select('id').where('code', '=', 'WJW').executeTakeFirstOrThrow();
      const created = await json('POST', '/api/v1/requests', {
        kind: 'complaint',
        subkind: 'report',
        subject: v.subject,
        description: v.description,
        caseNumber: v.caseNumber,
        departmentId: department.id,
        requester: { kind: 'organisation', name: v.name, contactName: v.contactName, address: v.address, phone: '13812345678' },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const row = await t.db.selectFrom('public_request').select('id').where('subject', '=', v.subject).executeTakeFirstOrThrow();
      // Overdue, so e-supervision lists it (only the date changes; the stored text is as submitted).
      await t.db.updateTable('public_request').set({ deadline: '2026-11-02' }).where('id', '=', row.id).execute();
      return [
        {
          who: 'public',
          url: `/requests/${created.body.trackingCode}`,
          shows: ['subject', 'description', 'caseNumber', 'name'],
        },
        { who: 'clerk', url: '/staff/requests', shows: ['subject'] },
        { who: 'clerk', url: `/staff/requests/${row.id}`, shows: this.fields },
        { who: 'supervisor', url: '/staff/supervision', shows: ['subject'] },
      ];
    },
  },
  operationSource('operation JSON API', async (v) => {
    const created = await json('POST', '/api/v1/operations', operationBody(v), clerkKey);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return { id: created.body.id, queryCode: created.body.queryCode };
  }),
  operationSource('operation staff form /staff/operations/new', async (v, visit) => {
    const form: Record<string, string> = {
      powerId: String(power.id),
      caseNumber: v.caseNumber,
      acceptedAt: localAgo(3),
      channel: 'window',
      partyKind: 'organisation',
      partyName: v.partyName,
      creditCode: '',
      contactName: v.contactName,
      phone: '13812345678',
      stopKind: 'correction',
      stopFrom: acceptanceDay(),
      stopTo: acceptanceDay(),
      stopReason: v.stopReason,
      resultKind: 'approved',
      documentNumber: v.documentNumber,
      decidedAt: localAgo(1),
      resultNote: v.resultNote,
      fee: '1',
      feeBasis: v.feeBasis,
    };
    for (const step of power.steps) {
      form[`step.${step}.handler`] = v.handler;
      form[`step.${step}.startedAt`] = localAgo(3);
      form[`step.${step}.finishedAt`] = localAgo(2);
      form[`step.${step}.opinion`] = v.opinion;
    }
    // Refused (no acceptance time): the form comes back with every value in its fields.
    await visit({
      who: 'clerk',
      url: '/staff/operations/new',
      post: { csrfFrom: `/staff/operations/new?powerId=${power.id}`, form: { ...form, acceptedAt: '' } },
      status: 400,
      shows: OPERATION_FIELDS,
    });
    const response = await postForm('clerk', `/staff/operations/new?powerId=${power.id}`, '/staff/operations/new', form);
    assert.ok(response.statusCode < 400, `staff form: ${response.statusCode} ${problemsOf(response.body)}`);
    const queryCode = /[A-Z2-9]{10}/.exec(/class="[^"]*query-code[^"]*"[^>]*>([^<]+)</.exec(response.body)?.[1] ?? '')?.[0];
    const row = await t.db.selectFrom('operation').select('id').where('case_number', '=', v.caseNumber).executeTakeFirstOrThrow();
    assert.ok(queryCode, 'the receipt shows the query code');
    return { id: row.id, queryCode };
  }),
  {
    name: 'decision comment form /decisions/:id/comments',
    fields: ['name', 'contact', 'content', 'moderationNote'],
    short: ['name', 'contact'],
    async submit(v, visit) {
      const id = await openDecision();
      // Refused (a name longer than allowed): the form comes back with the values.
      await visit({
        who: 'public',
        url: `/decisions/${id}/comments`,
        post: { csrfFrom: `/decisions/${id}`, form: { name: v.name.repeat(3), contact: v.contact, content: v.content } },
        status: 400,
        shows: ['contact', 'content'],
      });
      const response = await postForm('public', `/decisions/${id}`, `/decisions/${id}/comments`, {
        name: v.name,
        contact: v.contact,
        content: v.content,
      });
      assert.equal(response.statusCode, 303, `comment: ${response.statusCode} ${problemsOf(response.body)}`);
      const comment = await t.db
        .selectFrom('decision_comment')
        .select(['id'])
        .where('content', '=', v.content)
        .executeTakeFirstOrThrow();
      const decision = await t.db.selectFrom('decision').select('department_id').where('id', '=', id).executeTakeFirstOrThrow();
      const code = await t.db
        .selectFrom('department')
        .select('code')
        .where('id', '=', decision.department_id)
        .executeTakeFirstOrThrow();
      const key = await apiKeyFor(t.db, code.code, 'clerk');
      // Demo staff sit in the department's offices; they act for the department.
      const moderator = await t.db
        .selectFrom('app_user as u')
        .innerJoin('department as d', 'd.id', 'u.department_id')
        .select('u.username')
        .where((eb) => eb.or([eb('d.id', '=', decision.department_id), eb('d.parent_id', '=', decision.department_id)]))
        .where('u.role', 'in', ['dept_office', 'clerk'])
        .orderBy('u.role', 'desc')
        .executeTakeFirstOrThrow();
      // The moderation queue (before moderation) and the staff decision page (pending comments listed).
      await visit({ who: moderator.username, url: '/staff/decisions/comments', shows: ['name', 'contact', 'content'] });
      await visit({ who: moderator.username, url: `/staff/decisions/${id}`, shows: ['name', 'contact', 'content'] });
      const moderated = await json(
        'POST',
        `/api/v1/decision-comments/${comment.id}/moderation`,
        { action: 'approve', note: v.moderationNote },
        key,
      );
      assert.equal(moderated.status, 200, JSON.stringify(moderated.body));
      return [
        { who: 'public', url: `/decisions/${id}`, shows: ['content'] },
        { who: moderator.username, url: `/staff/decisions/${id}`, shows: ['name', 'contact', 'content', 'moderationNote'] },
      ];
    },
  },
  {
    name: 'online application form /services/apply/:powerId',
    fields: ['name', 'address'],
    async submit(v) {
      const services = await json('GET', '/api/v1/online-services');
      const service = services.body.items[0] as { powerId: number; materials: Array<{ key: string; required: boolean }> };
      assert.ok(service, 'the demo has an online service');
      const browser = new Browser(t.app);
      const form = await browser.get(`/services/apply/${service.powerId}`);
      assert.equal(form.statusCode, 200);
      const body = multipart([
        { name: '_csrf', value: Browser.csrfOf(form.body) },
        ...Object.entries({
          formKey: /name="formKey" value="([^"]+)"/.exec(form.body)?.[1] ?? 'xss-probe-form',
          kind: 'person',
          name: v.name,
          idNumber: idNumber('320102', '1990-01-01', '123'),
          phone: '13812345678',
          address: v.address,
        }).map(([name, value]) => ({ name, value })),
        ...service.materials.map((m) => ({
          name: `material_${m.key}`,
          filename: '证明.pdf',
          type: 'application/pdf',
          data: PDF,
        })),
      ]);
      const response = await t.app.inject({
        method: 'POST',
        url: `/services/apply/${service.powerId}`,
        payload: body.payload,
        headers: { ...body.headers, accept: 'text/html', cookie: browser.cookieHeader() },
        remoteAddress: ip(),
      });
      assert.ok(response.statusCode < 400, `apply: ${response.statusCode} ${problemsOf(response.body)}`);
      const row = await t.db.selectFrom('online_application').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
      return [
        { who: 'admin', url: '/staff/applications', shows: ['name'] },
        { who: 'admin', url: `/staff/applications/${row.id}`, shows: ['name', 'address'] },
      ];
    },
  },
];

/** A decision whose notice period is open for comments (the demo has one). */
async function openDecision(): Promise<number> {
  const rows = await t.db.selectFrom('decision').select('id').orderBy('id').execute();
  for (const { id } of rows) {
    const page = await (await as('public')).get(`/decisions/${id}`);
    if (page.statusCode === 200 && page.body.includes(`action="/decisions/${id}/comments"`)) return id;
  }
  throw new Error('no decision open for comments in the demo data');
}

/**
 * A moment `hoursAgo` (0–3) before now: ISO for the API, China-time `datetime-local` for the form.
 * The demo's powers take effect on the day the data was seeded, so the acts must fall on or after
 * midnight China time: in the first three hours of a day the three hours are squeezed into the
 * time since midnight (same order, shorter gaps).
 */
function momentAgo(hoursAgo: number): number {
  const now = Date.now();
  const midnight = Date.parse(`${todayInChina(new Date(now))}T00:00:00+08:00`);
  const start = Math.max(now - 3 * 3_600_000, midnight);
  return now - (hoursAgo / 3) * (now - start);
}
const ago = (hoursAgo: number) => new Date(momentAgo(hoursAgo)).toISOString();
const localAgo = (hoursAgo: number) => new Date(momentAgo(hoursAgo) + 8 * 3_600_000).toISOString().slice(0, 16);
// The clock stop lies on the day of acceptance (China time): "today" would fall after the act's
// finish for the first hours after midnight, when it was accepted and finished the day before.
const acceptanceDay = () => localAgo(3).slice(0, 10);

function operationBody(v: Record<string, string>) {
  return {
    powerId: power.id,
    caseNumber: v.caseNumber,
    acceptedAt: ago(3),
    channel: 'window',
    party: { kind: 'organisation', name: v.partyName, contact: { name: v.contactName, phone: '13812345678' } },
    steps: power.steps.map((step) => ({
      step,
      handler: v.handler,
      startedAt: ago(3),
      finishedAt: ago(2),
      opinion: v.opinion,
    })),
    clockStops: [{ kind: 'correction', from: acceptanceDay(), to: acceptanceDay(), reason: v.stopReason }],
    result: { kind: 'approved', documentNumber: v.documentNumber, decidedAt: ago(1), note: v.resultNote },
    finishedAt: ago(1),
    feeCharged: { amountFen: 100, basis: v.feeBasis },
    scope: 'public',
  };
}

/** An operation registered one way or another, then looked at by staff, by the party (query code) and in the public register. */
function operationSource(
  name: string,
  register: (v: Record<string, string>, visit: (spec: PageSpec) => Promise<void>) => Promise<{ id: number; queryCode?: string }>,
): Source {
  return {
    name,
    fields: OPERATION_FIELDS,
    short: ['caseNumber'],
    async submit(v, visit) {
      const { id, queryCode } = await register(v, visit);
      // Newest first in the public register, so it is on its first page.
      await sql`update operation set finished_at = now() where id = ${id}`.execute(t.db);
      const pages: PageSpec[] = [
        { who: 'clerk', url: '/staff/operations', shows: ['caseNumber'] },
        { who: 'clerk', url: `/staff/operations/${id}`, shows: OPERATION_FIELDS },
        { who: 'public', url: '/results', shows: ['partyName', 'documentNumber', 'resultNote'] },
      ];
      if (queryCode)
        pages.push({
          who: 'public',
          url: '/cases',
          post: { csrfFrom: '/cases', form: { caseNumber: v.caseNumber, code: queryCode } },
          shows: ['caseNumber', 'partyName', 'opinion', 'documentNumber', 'resultNote'],
        });
      return pages;
    },
  };
}

test('XSS probes in every free-text field come back escaped on every page that shows them', { timeout: 600_000 }, async () => {
  const failures: string[] = [];
  const seenEscaped = new Map<string, string[]>();
  let pages = 0;
  const all: Array<{ field: string; n: number; js: boolean }> = [];
  for (const source of sources) {
    const ids = new Map<string, number>();
    const values: Record<string, string> = {};
    for (const field of source.fields) {
      ids.set(field, ++serial + 1000);
      const kind = source.js?.includes(field) ? 'js' : source.short?.includes(field) ? 'short' : 'full';
      values[field] = { js: jsProbe, short: shortProbe, full: probe }[kind](ids.get(field) as number);
      all.push({ field: `${source.name} ${field}`, n: ids.get(field) as number, js: kind === 'js' });
    }
    const visit = async (spec: PageSpec) => {
      const browser = await as(spec.who);
      let body: string;
      if (spec.post) {
        const form = await browser.get(spec.post.csrfFrom);
        const response = await browser.post(spec.url, { ...spec.post.form, _csrf: Browser.csrfOf(form.body) });
        body = response.body;
        if (spec.status) assert.equal(response.statusCode, spec.status, `${spec.url}: ${problemsOf(body)}`);
        else assert.ok(response.statusCode < 400, `${spec.url}: ${response.statusCode}`);
      } else {
        const response = await browser.get(spec.url);
        assert.equal(response.statusCode, 200, `${spec.who} ${spec.url}: ${response.statusCode}`);
        body = response.body;
      }
      pages++;
      const where = `${source.name}: ${spec.who} ${spec.post ? 'POST ' : ''}${spec.url}`;
      const escaped: string[] = [];
      // Every probe so far, not only this source's: lists show older rows too.
      for (const p of all) {
        const raws = p.js ? [`="${jsProbe(p.n)}`, `='${jsProbe(p.n)}`, `=${jsProbe(p.n)}`] : rawFragments(p.n);
        for (const raw of raws) if (body.includes(raw)) failures.push(`${where} shows ${p.field} raw: ${raw}`);
      }
      for (const [field, n] of ids) {
        const shown = source.js?.includes(field) ? [jsProbe(n)] : escapedForms(n);
        if (shown.some((e) => body.includes(e))) escaped.push(field);
      }
      seenEscaped.set(where, escaped);
      for (const field of spec.shows) if (!escaped.includes(field)) failures.push(`${where} does not show ${field} escaped`);
    };
    for (const spec of await source.submit(values, visit)) await visit(spec);
  }
  for (const [where, fields] of seenEscaped) summary.push(`${where}: escaped ${fields.join(', ') || '—'}`);
  summary.push(`${sources.length} sources, ${serial} probes, ${pages} pages checked`);
  assert.deepEqual(failures, [], failures.join('\n'));
});
