import { createHash } from 'node:crypto';

/**
 * Styles of the printed carriers, served as same-origin stylesheets (the CSP forbids inline
 * styles). One base sheet plus one `@page` sheet per paper size and orientation, chosen by `?size=`.
 */
export const CARRIERS_CSS = `
body.carrier { background: #fff; color: #000; margin: 0 auto; padding: 16px 24px; max-width: 1100px; font-size: 16px; }
body.carrier.size-A3 { max-width: 1500px; font-size: 19px; }
.carrier-toolbar { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin-bottom: 12px; }
.carrier-head { text-align: center; border-bottom: 3px double #000; margin-bottom: 12px; }
.carrier-head h1 { font-size: 1.8em; margin: 8px 0; }
.carrier-head .carrier-site { font-size: 1em; margin: 0; }
.carrier table { width: 100%; border-collapse: collapse; }
.carrier th, .carrier td { border: 1px solid #000; padding: 4px 6px; vertical-align: top; text-align: left; }
.carrier-foot { display: flex; gap: 16px; align-items: center; border-top: 1px solid #000; margin-top: 16px; padding-top: 8px; page-break-inside: avoid; }
.carrier-foot .qr-code { width: 112px; height: 112px; flex: none; }
.size-A3 .carrier-foot .qr-code { width: 150px; height: 150px; }
.carrier-foot p { margin: 2px 0; overflow-wrap: anywhere; }
.carrier .flowchart-figure svg { max-width: 100%; height: auto; display: block; }
.service-card { border: 2px solid #000; padding: 12px 16px; max-width: 720px; margin: 0 auto; }
.service-card dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; }
.service-card dd { margin: 0; }
.commitment-text { text-indent: 2em; line-height: 1.9; }
.commitment-sign { text-align: right; margin-top: 32px; line-height: 2; }
.carrier .bulletin { page-break-after: always; }
.carrier .bulletin:last-child { page-break-after: auto; }
@media print { .no-print, .carrier-toolbar { display: none; } body.carrier { padding: 0; max-width: none; } }
`;

export type Orientation = 'portrait' | 'landscape';

export const pageCss = (size: string, orientation: Orientation) => `@page { size: ${size} ${orientation}; margin: 12mm; }\n`;

export const carrierCssUrl = (size: string, orientation: Orientation) => `/assets/carriers-${size}-${orientation}.css`;

export const etagOf = (css: string) => `"${createHash('sha256').update(css).digest('hex').slice(0, 16)}"`;
