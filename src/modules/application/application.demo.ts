import { deflateSync } from 'node:zlib';
import { demoPdf as pdf } from '../../demo/helpers.ts';
import { addDemoSeeder, type DemoContext } from '../../demo/registry.ts';
import type { UploadedFile } from '../../plugins/uploads.ts';
import type { Actor } from '../account/actor.ts';
import { publicCatalog } from '../catalog/catalog.queries.ts';
import { todayInChina } from '../disclosure/visibility.ts';
import * as files from '../files/file-store.service.ts';
import { materialField, submitApplication } from './application.service.ts';
import type { Material } from './application.tables.ts';
import { issueCertificate } from './certificate.service.ts';
import { issueFeeNotice, recordPayment } from './fee.service.ts';
import { saveSettings } from './online-service.service.ts';

// ---------------------------------------------------------------------------------------------
// Tiny generated files: a one-page PDF and a 24×24 PNG.

/** A minimal one-page PDF whose page shows `title` (ASCII). */
export function demoPdf(title: string): Buffer {
  return pdf(title, { x: 40, y: 100, width: 300, height: 200 });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A 24×24 RGB PNG: a coloured square with a lighter diagonal (stands in for a scanned photo). */
export function demoPng(rgb: [number, number, number]): Buffer {
  const size = 24;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows: number[] = [];
  for (let y = 0; y < size; y++) {
    rows.push(0);
    for (let x = 0; x < size; x++) rows.push(...(x === y ? [255, 255, 255] : rgb));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------

const M = (name: string, form: Material['form'], copies: number, required: boolean) => ({ name, form, copies, required });

const SERVICES: Array<[power: string, materials: ReturnType<typeof M>[]]> = [
  [
    '母婴保健技术服务机构执业许可',
    [M('执业许可申请书', 'original', 1, true), M('医疗机构执业许可证', 'copy', 1, true), M('技术人员资格证明', 'copy', 1, false)],
  ],
  [
    '母婴保健技术服务人员资格认定',
    [M('资格认定申请表', 'original', 1, true), M('身份证', 'copy', 1, true), M('培训合格证明', 'electronic', 1, false)],
  ],
  ['独生子女父母光荣证确认', [M('申请表', 'original', 1, true), M('户口簿', 'copy', 1, true)]],
  ['预防接种异常反应鉴定费收取', [M('鉴定申请书', 'original', 1, true), M('预防接种证', 'copy', 1, true)]],
];

const APPLICANTS = [
  { kind: 'person', name: '陈晓梅', idNumber: '321102198503120021', phone: '13952901234', address: '镇江市京口区学府路 8 号' },
  {
    kind: 'organisation',
    name: '镇江市润州区康宁妇产医院',
    idNumber: '52321100MJ1234567X',
    phone: '0511-85230000',
    address: '镇江市润州区南山路 66 号',
  },
  { kind: 'person', name: '刘建国', idNumber: '321102197806150012', phone: '13805291111', address: '镇江市丹徒区谷阳镇' },
  { kind: 'person', name: '王丽', idNumber: '321102199204180029', phone: '15150901234', address: '镇江市润州区金山街道' },
  { kind: 'person', name: '赵强', idNumber: '321102198811020030', phone: '18952901111', address: '镇江市京口区大市口' },
];

/**
 * Online services of the demo commission: four powers open for online application with their
 * materials, five applications with small generated PDF/PNG files, one certificate to verify
 * (printed in the log), one fee notice paid by bank transfer and one unpaid.
 */
export async function seedApplications(ctx: DemoContext): Promise<void> {
  const unit = ctx.departments.get('WJW');
  const clerkId = ctx.users.get('clerk');
  if (unit === undefined || clerkId === undefined) return;
  const clerk: Actor = {
    kind: 'user',
    userId: clerkId,
    apiKeyId: null,
    label: 'clerk',
    role: 'clerk',
    departmentId: ctx.departments.get('WJW-JTFZ') ?? unit,
    unitId: unit,
    cityWide: false,
    clientIp: null,
  };
  const { items } = await publicCatalog(ctx.db, { department: 'WJW', pageSize: 100 }, ctx.today);
  const byName = new Map(items.map((p) => [p.name, p.id]));
  const today = todayInChina(ctx.today);
  const dayStart = new Date(`${today}T00:05:00+08:00`).getTime();
  const cases: string[] = [];
  await files.transactionWithFiles(ctx.db, async (trx) => {
    const settings = new Map<string, Material[]>();
    for (const [name, materials] of SERVICES) {
      const powerId = byName.get(name);
      if (powerId === undefined) continue;
      settings.set(name, (await saveSettings(trx, clerk, powerId, { online: true, materials })).materials);
    }
    const plan: Array<[power: string, applicant: number]> = [
      [SERVICES[0][0], 1],
      [SERVICES[1][0], 0],
      [SERVICES[2][0], 2],
      [SERVICES[3][0], 3],
      [SERVICES[3][0], 4],
    ];
    let i = 0;
    for (const [name, who] of plan) {
      const powerId = byName.get(name);
      const materials = settings.get(name);
      if (powerId === undefined || !materials) continue;
      const uploads: UploadedFile[] = materials
        .filter((m) => m.required || i % 2 === 0)
        .map((m, k) =>
          k % 2 === 0
            ? {
                field: materialField(m.key),
                filename: `application-${i + 1}-${k + 1}.pdf`,
                mimetype: 'application/pdf',
                data: demoPdf(`Gongkai demo ${m.key}`),
              }
            : {
                field: materialField(m.key),
                filename: `scan-${i + 1}-${k + 1}.png`,
                mimetype: 'image/png',
                data: demoPng([40 + k * 60, 90, 160]),
              },
        );
      const now = new Date(Math.max(dayStart, ctx.today.getTime() - (plan.length - i) * 7 * 60_000));
      const out = await submitApplication(
        trx,
        { powerId, applicant: APPLICANTS[who], files: uploads, idempotencyKey: null },
        now,
      );
      cases.push(out.caseNumber);
      i++;
    }
    if (cases.length < 5) return;
    const year = today.slice(0, 4);
    const validTo = `${Number(year) + 5}${today.slice(4)}`;
    await issueCertificate(trx, clerk, {
      caseNumber: cases[0],
      number: `镇卫母婴证〔${year}〕0001号`,
      validFrom: today,
      validTo,
    });
    const paid = await issueFeeNotice(trx, clerk, { caseNumber: cases[3], amount: '2000' });
    await recordPayment(trx, clerk, paid.id, { method: 'bank_transfer', reference: 'ICBC-DEMO-0001', paidOn: today }, ctx.today);
    await issueFeeNotice(trx, clerk, { caseNumber: cases[4], amount: '2000' });
    ctx.log(`    网上申报：${cases.length} 件；证照核验示例编号 / certificate to verify: 镇卫母婴证〔${year}〕0001号`);
  });
}

addDemoSeeder({ name: 'application', order: 58, run: seedApplications });
