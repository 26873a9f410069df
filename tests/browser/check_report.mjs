// The real-browser test of report.html (issue 6): loads the report in headless Chromium (Debian's,
// never a downloaded one) from a file:// URL and fails on any of
//   - a console error or page error, or any request other than the report file itself;
//   - a file of 2 MB or more;
//   - a blank screenshot (the full-page PNG is decoded here with zlib and its distinct colours counted);
//   - a check without the chart its type calls for, or with a number of data marks different from its
//     categories as report.json (read independently of the HTML) counts them; an incomputable or
//     not-applicable check without its reason box, or with a data chart;
//   - Korean text not rendered with a CJK font (three probes, see cjkProbes below).
// Usage: node check_report.mjs REPORT.html [--json report.json] [--shots DIR]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.IAF_CHROMIUM || '/usr/bin/chromium';
const MAX_BYTES = 2 * 1024 * 1024;
const KOREAN = '남자 여자 경기 서울';
const FONT_STACK = '"Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif';

// ---- arguments ------------------------------------------------------------------------------------
const argv = process.argv.slice(2);
const htmlPath = path.resolve(argv.find((a, i) => !a.startsWith('--') && !['--json', '--shots'].includes(argv[i - 1])) || '');
const opt = (name) => (argv.indexOf(name) >= 0 ? argv[argv.indexOf(name) + 1] : undefined);
if (!htmlPath || !fs.existsSync(htmlPath)) {
  console.error(`check_report: no report.html at '${htmlPath}'`);
  process.exit(2);
}
const jsonPath = path.resolve(opt('--json') || path.join(path.dirname(htmlPath), 'report.json'));
const shotDir = path.resolve(opt('--shots') || path.dirname(htmlPath));

const failures = [];
const fail = (msg) => failures.push(msg);

// ---- what report.json says each check must show -----------------------------------------------------
const KIND = { marginal: 'paired-bars', joint: 'heatmap', conditional: 'heatmap', share: 'share-scatter', bounds: 'rate-profile', rule: 'compliance' };
const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

function expectedMarks(c) {
  const d = c.details || {};
  switch (c.type) {
    case 'marginal':
    case 'joint':
      return (d.cells || []).length;
    case 'conditional':
      return (d.levels || []).length * (d.outcome_labels || []).length;
    case 'share':
      return (d.categories || []).filter((k) => isNum(k.s_p) && isNum(k.s_q)).length;
    case 'bounds':
      return (d.strata || []).filter((s) => isNum(s.rate)).length;
    case 'rule':
      return isNum((c.metrics || {}).compliance) ? 1 : 0;
    default:
      return null;
  }
}

const report = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
const expected = report.checks.map((c) => ({
  id: c.id,
  type: c.type,
  status: c.status,
  computed: ['pass', 'flag', 'fail'].includes(c.status),
  kind: KIND[c.type],
  marks: expectedMarks(c),
  variants: Object.keys(c.by_variant || {}).length,
  matrix: Object.keys(c.by_variant || {}).length > 0 || (c.standardised_status !== null && c.standardised_status !== undefined),
  standardised: c.standardised_status !== null && c.standardised_status !== undefined,
}));

// ---- PNG decoding (8-bit RGB/RGBA, non-interlaced: what Chromium writes) -----------------------------
function decodePng(buf) {
  const sig = buf.subarray(0, 8).toString('hex');
  if (sig !== '89504e470d0a1a0a') throw new Error('not a PNG');
  let off = 8, width = 0, height = 0, bitDepth = 0, colorType = 0, interlace = 0;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.subarray(off + 4, off + 8).toString('latin1');
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      bitDepth = data[8];
      colorType = data[9];
      interlace = data[12];
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  if (bitDepth !== 8 || ![2, 6].includes(colorType) || interlace !== 0)
    throw new Error(`unsupported PNG (bit depth ${bitDepth}, colour type ${colorType}, interlace ${interlace})`);
  const bpp = colorType === 6 ? 4 : 3, stride = width * bpp;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const px = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)], src = y * (stride + 1) + 1, dst = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? px[dst + x - bpp] : 0, b = y > 0 ? px[dst - stride + x] : 0, c = x >= bpp && y > 0 ? px[dst - stride + x - bpp] : 0;
      let v = raw[src + x];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      px[dst + x] = v & 255;
    }
  }
  return { width, height, bpp, px };
}

function colourStats({ width, height, bpp, px }) {
  const colours = new Set();
  let nonWhite = 0;
  for (let i = 0; i < width * height; i++) {
    const o = i * bpp, r = px[o], g = px[o + 1], b = px[o + 2];
    colours.add((r << 16) | (g << 8) | b);
    if (r < 245 || g < 245 || b < 245) nonWhite++;
  }
  return { distinct: colours.size, nonWhiteShare: nonWhite / (width * height) };
}

// ---- the run ---------------------------------------------------------------------------------------
const bytes = fs.statSync(htmlPath).size;
if (bytes >= MAX_BYTES) fail(`report.html is ${bytes} bytes, not under 2 MB`);

const fileUrl = pathToFileURL(htmlPath).href;
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iaf-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 1000 },
    deviceScaleFactor: 1,
    offline: true,
  });
} catch (e) {
  console.error(`check_report: cannot launch ${CHROMIUM}: ${e.message.split('\n')[0]}`);
  process.exit(2);
}

let cjk, platformFonts = [], seen, markTotal = 0, png, stats, shot;
try {
  const requests = [];
  const blocked = [];
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u === fileUrl) return route.continue();
    blocked.push(u);
    return route.abort();
  });
  const page = context.pages()[0] || (await context.newPage());
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') fail(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => fail(`page error: ${e.message}`));

  await page.goto(fileUrl, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);

  // Charts and marks as the page shows them.
  seen = await page.evaluate(() => {
    const out = [];
    for (const sec of document.querySelectorAll('section[data-check]')) {
      const charts = [...sec.querySelectorAll('svg[data-chart]')].map((svg) => {
        const r = svg.getBoundingClientRect();
        const title = svg.querySelector(':scope > title'), desc = svg.querySelector(':scope > desc');
        return {
          kind: svg.getAttribute('data-chart'),
          marks: svg.querySelectorAll('[data-mark]').length,
          variantMarks: svg.querySelectorAll('[data-mark="variant"]').length,
          standardisationMarks: svg.querySelectorAll('[data-mark="standardisation"]').length,
          alt: !!(title && title.textContent.trim() && desc && desc.textContent.trim()) || !!svg.getAttribute('aria-label'),
          role: svg.getAttribute('role'),
          drawn: r.width > 0 && r.height > 0,
        };
      });
      out.push({ id: sec.getAttribute('data-check'), charts, reasonBox: !!sec.querySelector('[data-reason-box]') });
    }
    return { sections: out, allCharts: document.querySelectorAll('svg[data-chart]').length };
  });

  const byId = new Map(seen.sections.map((s) => [s.id, s]));
  for (const e of expected) {
    const s = byId.get(e.id);
    if (!s) {
      fail(`${e.id}: no section[data-check] in the page`);
      continue;
    }
    for (const ch of s.charts) {
      if (!ch.alt) fail(`${e.id}: chart ${ch.kind} has no text alternative (title + desc or aria-label)`);
      if (ch.role !== 'img') fail(`${e.id}: chart ${ch.kind} lacks role="img"`);
      if (!ch.drawn) fail(`${e.id}: chart ${ch.kind} is not laid out (zero size)`);
    }
    const typeCharts = s.charts.filter((c) => c.kind !== 'variant-matrix');
    if (e.computed) {
      const mine = typeCharts.filter((c) => c.kind === e.kind);
      if (mine.length !== 1) fail(`${e.id} (${e.type}, ${e.status}): expected one ${e.kind} chart, found ${typeCharts.map((c) => c.kind).join(', ') || 'none'}`);
      else {
        markTotal += mine[0].marks;
        if (mine[0].marks !== e.marks) fail(`${e.id} (${e.type}): ${mine[0].marks} data marks, report.json has ${e.marks} categories`);
      }
    } else {
      if (!s.reasonBox) fail(`${e.id} (${e.status}): no reason box`);
      if (typeCharts.length) fail(`${e.id} (${e.status}): has a data chart (${typeCharts.map((c) => c.kind).join(', ')})`);
    }
    const matrices = s.charts.filter((c) => c.kind === 'variant-matrix');
    if (e.matrix) {
      if (matrices.length !== 1) fail(`${e.id}: by_variant/standardised_status set but ${matrices.length} variant-matrix charts`);
      else {
        if (matrices[0].variantMarks !== e.variants) fail(`${e.id}: variant-matrix has ${matrices[0].variantMarks} variants, report.json ${e.variants}`);
        if (matrices[0].standardisationMarks !== (e.standardised ? 2 : 0))
          fail(`${e.id}: variant-matrix has ${matrices[0].standardisationMarks} crude/standardised marks, expected ${e.standardised ? 2 : 0}`);
        markTotal += matrices[0].variantMarks;
      }
    } else if (matrices.length) fail(`${e.id}: a variant-matrix without by_variant or standardised_status`);
  }
  if (seen.sections.length !== expected.length) fail(`${seen.sections.length} check sections in the page, ${expected.length} checks in report.json`);

  // ---- CJK rendering ---------------------------------------------------------------------------------
  // 1. document.fonts.check for the stack's first family (required by the issue; weak alone: the
  //    FontFaceSet holds no system fonts, so this only proves nothing is pending).
  // 2. Canvas widths in the report's own font stack (read from the page's computed body font): the
  //    Korean string must differ by more than 2% from as many private-use characters (U+E000, which no
  //    installed font has: drawn as the fallback box), and each Hangul syllable must be 0.85–1.1 em
  //    wide, as in CJK fonts (Noto Sans CJK KR: 0.92 em; a missing-glyph box in DejaVu: 0.375 em).
  // 3. What Chromium actually drew: CSS.getPlatformFontsForNode (DevTools protocol) for a Korean label
  //    inside a chart must name a CJK family (Noto Sans CJK KR, or another Korean-capable face).
  cjk = await page.evaluate(([korean, stack]) => {
    const body = getComputedStyle(document.body).fontFamily;
    const ctx = document.createElement('canvas').getContext('2d');
    const width = (s, fam) => {
      ctx.font = `32px ${fam}`;
      return ctx.measureText(s).width;
    };
    const tofu = [...korean].map((ch) => (ch === ' ' ? ' ' : '\uE000')).join('');
    const syllables = [...korean].filter((ch) => ch !== ' ').map((ch) => width(ch, body));
    // tag a Korean label inside a chart for probe 3
    const hangul = /[\uAC00-\uD7A3]/;
    let probe = null;
    for (const t of document.querySelectorAll('svg[data-chart] text')) {
      const own = [...t.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('');
      if (hangul.test(own)) {
        probe = own;
        t.setAttribute('data-cjk-probe', '1');
        break;
      }
    }
    return {
      body,
      stackMatches: body.replace(/\s+/g, '') === stack.replace(/\s+/g, ''),
      fontsCheck: document.fonts.check('16px "Noto Sans CJK KR"'),
      koreanWidth: width(korean, body),
      tofuWidth: width(tofu, body),
      syllables,
      probe,
    };
  }, [KOREAN, FONT_STACK]);

  if (!cjk.stackMatches) fail(`the body font stack is ${cjk.body}, not ${FONT_STACK}`);
  if (!cjk.fontsCheck) fail(`document.fonts.check('16px "Noto Sans CJK KR"') is false`);
  const rel = Math.abs(cjk.koreanWidth - cjk.tofuWidth) / Math.max(cjk.tofuWidth, 1);
  if (!(rel > 0.02)) fail(`'${KOREAN}' is ${cjk.koreanWidth.toFixed(1)}px wide, like the tofu string (${cjk.tofuWidth.toFixed(1)}px): no CJK glyphs`);
  const offEm = cjk.syllables.filter((w) => w < 32 * 0.85 || w > 32 * 1.1);
  if (offEm.length) fail(`Hangul syllables are not about 1 em wide at 32px (${cjk.syllables.map((w) => w.toFixed(1)).join(', ')}): not a CJK font`);
  if (!cjk.probe) fail('no Korean label inside any chart to probe (the NPK report has Korean category labels)');
  else {
    const cdp = await context.newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '[data-cjk-probe]' });
    ({ fonts: platformFonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId }));
    const cjkFace = platformFonts.find((f) => /CJK|Noto Sans KR|Nanum|Malgun|Apple SD Gothic|Un ?Dotum|Baekmuk/i.test(f.familyName) && f.glyphCount > 0);
    if (!cjkFace) fail(`Korean label '${cjk.probe}' is drawn with ${platformFonts.map((f) => `${f.familyName} (${f.glyphCount})`).join(', ') || 'no font'}: no CJK face`);
  }

  // ---- screenshot ------------------------------------------------------------------------------------
  fs.mkdirSync(shotDir, { recursive: true });
  shot = path.join(shotDir, 'report.png');
  await page.screenshot({ path: shot, fullPage: true });
  await page.screenshot({ path: path.join(shotDir, 'report-top.png') });
  png = decodePng(fs.readFileSync(shot));
  stats = colourStats(png);
  if (stats.distinct < 16) fail(`the screenshot has ${stats.distinct} distinct colours: blank`);
  if (stats.nonWhiteShare < 0.01) fail(`the screenshot is ${(100 * (1 - stats.nonWhiteShare)).toFixed(2)}% white: blank`);

  // ---- network ---------------------------------------------------------------------------------------
  const others = [...new Set([...requests, ...blocked])].filter((u) => u !== fileUrl);
  if (others.length) fail(`requests beyond the file itself: ${others.slice(0, 5).join(', ')}${others.length > 5 ? ', …' : ''}`);
  if (!requests.includes(fileUrl)) fail(`the request log never saw ${fileUrl}: interception is not working`);
} finally {
  await context.close().catch(() => {});
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

const fonts = platformFonts.map((f) => f.familyName).join('+') || '—';
console.log(
  `browser check: ${expected.length} checks, ${seen.allCharts} charts, ${markTotal} marks, ${(bytes / 1024).toFixed(0)} KiB; ` +
    `Korean '${cjk.probe ?? ''}' in ${fonts} (width ${cjk.koreanWidth.toFixed(1)}px vs tofu ${cjk.tofuWidth.toFixed(1)}px); ` +
    `screenshot ${shot} ${png.width}×${png.height}, ${stats.distinct} distinct colours`,
);
if (failures.length) {
  console.error(`browser check FAILED (${failures.length}):`);
  for (const f of failures) console.error(`  - ${f}`);
  process.exit(1);
}
