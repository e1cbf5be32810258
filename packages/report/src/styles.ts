import { raw, type Markup } from './html.js';

/**
 * The report's whole style sheet, inline so the file fetches nothing. On paper: A4 with 14 mm
 * margins, each major section on a new page, no card or chart split across pages, colours printed
 * as they are on screen.
 */
const STYLES = `
:root{--ink:#1b1b1b;--muted:#5a5a5a;--rule:#d0d0d0;--good:#1a7f37;--fair:#9a6700;--poor:#b42318}
*{box-sizing:border-box}
body{margin:0;padding:24px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:#fff}
main{max-width:1000px;margin:0 auto}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--rule)}
h3{font-size:15px;margin:0 0 6px}
p{margin:6px 0}
.muted,.facts{color:var(--muted)}
.facts{margin:0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:4px 18px}
.note{font-size:12px;color:var(--muted)}
.flag{display:inline-block;padding:1px 7px;border-radius:9px;background:#fde7e4;color:var(--poor);font-weight:600;font-size:12px}
.good{color:var(--good)}.fair{color:var(--fair)}.poor{color:var(--poor)}
.reading{font-weight:600}
svg{display:block;max-width:100%;height:auto;font-family:inherit}
svg text{font-size:12px;fill:var(--ink)}
svg.wheel{width:100%;max-width:640px;margin:0 auto}
svg.wheel .type{font-size:14px;font-weight:600}
svg.wheel .energies,svg.wheel .scale{font-size:11px;fill:var(--muted)}
svg.wheel .centroid text{font-size:15px;font-weight:700;stroke:#fff;stroke-width:3px;paint-order:stroke;fill:#000}
svg.bars{width:300px}
svg.chart{width:100%;max-width:560px}
svg.chart .note{font-size:11px;fill:var(--muted)}
svg.balance-bar{width:100%;max-width:260px;height:18px}
svg.balance-bar text{font-size:11px;font-weight:700;text-anchor:middle}
svg .light{fill:#fff}svg .dark{fill:#000}
svg.icon{display:inline-block;vertical-align:-1px;margin-right:4px}
svg.icon-defs{position:absolute;width:0;height:0;overflow:hidden}
.mix{margin-right:10px;white-space:nowrap}
.card .mix{display:block}
.numbers{display:block;font-size:12px;color:var(--muted)}
[hidden]{display:none !important}
nav.toc ul{display:flex;flex-wrap:wrap;gap:4px 16px;margin:10px 0;padding:0;list-style:none}
.filter{margin:10px 0}
.filter input{font:inherit;padding:3px 6px;min-width:260px}
details.members summary{cursor:pointer;color:var(--muted)}
table.overview tr.flagged td{background:#fdf1ef}
table.overview td a{color:inherit}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin:8px 0;padding:0;list-style:none}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}
.card{border:1px solid var(--rule);border-radius:8px;padding:10px 12px;break-inside:avoid;page-break-inside:avoid}
.card.flagged{border:2px solid var(--poor)}
.card dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:6px 0}
.card dt{color:var(--muted)}.card dd{margin:0}
.members{font-size:12px;word-break:break-word}
table{border-collapse:collapse;margin:8px 0}
th,td{text-align:left;padding:3px 10px 3px 0;border-bottom:1px solid var(--rule);vertical-align:top}
td.num,th.num{text-align:right}
section{break-inside:auto}
@page{size:A4;margin:14mm}
@media print{
  body{padding:0;font-size:10.5pt}
  main{max-width:none}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  section.page{break-before:page;page-break-before:always}
  h2,h3{break-after:avoid;page-break-after:avoid}
  .card,svg,table,figure{break-inside:avoid;page-break-inside:avoid}
  .cards{display:block}
  .card{display:inline-block;width:calc(50% - 6px);margin:0 0 8px;vertical-align:top}
  .card:nth-child(odd){margin-right:8px}
  svg.wheel{max-width:170mm;max-height:200mm}
  nav.toc,.filter{display:none}
}
`;

/** The style sheet as a `<style>` element's content. */
export function styleSheet(): Markup {
  return raw(STYLES);
}
