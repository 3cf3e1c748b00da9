import type { Actor } from '../modules/account/actor.ts';
import type { DemoContext } from './registry.ts';

/** The actor of a demo user: ids looked up by username and department/unit code (null when absent). */
export function demoUserActor(
  ctx: DemoContext,
  username: string,
  role: Actor['role'],
  departmentCode: string,
  unitCode: string,
  cityWide = false,
): Actor {
  return {
    kind: 'user',
    userId: ctx.users.get(username) ?? null,
    apiKeyId: null,
    label: username,
    role,
    departmentId: ctx.departments.get(departmentCode) ?? null,
    unitId: ctx.departments.get(unitCode) ?? null,
    cityWide,
    clientIp: null,
  };
}

export interface DemoPdfLayout {
  fontSize: number;
  /** Text position (points from the lower left corner). */
  x: number;
  y: number;
  /** Page size in points. */
  width: number;
  height: number;
}

const A4_LAYOUT: DemoPdfLayout = { fontSize: 14, x: 72, y: 760, width: 595, height: 842 };

/** A minimal valid one-page PDF whose page shows one ASCII line of `text` (parentheses and backslashes dropped). */
export function demoPdf(text: string, layout: Partial<DemoPdfLayout> = {}): Buffer {
  const { fontSize, x, y, width, height } = { ...A4_LAYOUT, ...layout };
  const safe = text.replace(/[()\\]/g, '');
  const stream = `BT /F1 ${fontSize} Tf ${x} ${y} Td (${safe}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>`,
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
