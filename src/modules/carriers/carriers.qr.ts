import QRCode from 'qrcode';

/**
 * QR codes on printed carriers (传统载体): each sheet carries one, encoding the absolute URL of the
 * live page it was printed from, so a reader of the bulletin board can check the sheet online.
 * Drawn as SVG on the server (no script; the CSP forbids inline styles, and the SVG uses only
 * presentation attributes).
 */
export const QR_OPTIONS = { type: 'svg', errorCorrectionLevel: 'M', margin: 2 } as const;

const escapeAttr = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The QR code of `url` as an SVG element with an accessible name. */
export async function qrSvg(url: string, label: string): Promise<string> {
  const svg = await QRCode.toString(url, QR_OPTIONS);
  return svg.replace('<svg ', `<svg role="img" aria-label="${escapeAttr(label)}" class="qr-code" `);
}

/**
 * Reads the module matrix back from an SVG drawn by `qrSvg` (the `qrcode` package draws each
 * row's dark runs as `M x y.5 h n` / `m dx dy h n` path segments). Used by the tests to check that a
 * printed code carries exactly the modules of the expected URL's code.
 */
export function qrMatrixFromSvg(svg: string): boolean[][] {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  const d = /<path stroke="[^"]+" d="([^"]+)"/.exec(svg)?.[1];
  if (!size || !d) throw new Error('not a qrcode SVG');
  const margin = QR_OPTIONS.margin;
  const n = size - 2 * margin;
  const matrix = Array.from({ length: n }, () => Array<boolean>(n).fill(false));
  let x = 0;
  let y = 0;
  for (const [, op, a, b] of d.matchAll(/([MmHh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?/g)) {
    if (op === 'M') [x, y] = [Number(a), Number(b)];
    else if (op === 'm') [x, y] = [x + Number(a), y + Number(b)];
    else {
      const len = op === 'h' ? Number(a) : Number(a) - x;
      for (let i = 0; i < len; i++) matrix[Math.floor(y) - margin][x + i - margin] = true;
      x += len;
    }
  }
  return matrix;
}

/** The module matrix `qrcode` computes for `text` with the same options (the reference for tests). */
export function qrMatrixOf(text: string): boolean[][] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: QR_OPTIONS.errorCorrectionLevel });
  return Array.from({ length: modules.size }, (_, row) =>
    Array.from({ length: modules.size }, (_, col) => Boolean(modules.get(row, col))),
  );
}
