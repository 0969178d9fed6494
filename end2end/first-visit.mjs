// A first visit to a page on a phone, and a repeat visit, in Debian's Chromium.
//
//   node first-visit.mjs http://127.0.0.1:3200/search?q=张伟 [http://127.0.0.1:3200/login …]
//
// Throttled as a mid-range phone on a slow mobile network (Chrome DevTools' own knobs, set over
// CDP): 1.6 Mbps down, 750 kbps up, 150 ms round trip, CPU 4× slower; 375×812 screen, cold cache.
// Prints when the page is readable (first contentful paint: the server-rendered results are in the
// first HTML), when it is interactive (a public page carries no client: its links and forms work
// once it has loaded; a staff page is interactive when the client has hydrated it,
// `<body data-hydrated>`), and the
// bytes of the client's files as they travelled; then the same for a repeat visit from the cache
// (which must fetch no WASM again).
import { chromium } from '@playwright/test';

const urls = process.argv.slice(2);
if (!urls.length) {
  console.error('usage: node first-visit.mjs URL [URL …]');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
});
const context = await browser.newContext({
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
});
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');
await cdp.send('Network.emulateNetworkConditions', {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
});
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });

// Bytes on the wire per request (headers and compressed body), and whether the cache answered.
let files = new Map();
cdp.on('Network.responseReceived', (e) => {
  const u = new URL(e.response.url);
  files.set(e.requestId, { path: u.pathname, bytes: 0, cached: e.response.fromDiskCache || e.response.fromMemoryCache || false });
});
cdp.on('Network.requestServedFromCache', (e) => {
  const f = files.get(e.requestId);
  if (f) f.cached = true;
});
cdp.on('Network.loadingFinished', (e) => {
  const f = files.get(e.requestId);
  if (f) f.bytes = e.encodedDataLength;
});

async function visit(url, label) {
  files = new Map();
  const start = Date.now();
  await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
  if (await page.locator('link[rel="modulepreload"]').count()) {
    await page.waitForSelector('body[data-hydrated]', { state: 'attached', timeout: 60_000 });
  }
  const interactive = Date.now() - start;
  const paint = await page.evaluate(() => {
    const p = performance.getEntriesByName('first-contentful-paint')[0];
    return p ? p.startTime : NaN;
  });
  const nav = await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.startTime ?? 0);
  const pkg = [...files.values()].filter((f) => f.path.startsWith('/pkg/'));
  const wire = (fs) => fs.filter((f) => !f.cached).reduce((n, f) => n + f.bytes, 0);
  const wasm = pkg.filter((f) => f.path.endsWith('.wasm'));
  console.log(
    `${label}: readable ${(paint - nav).toFixed(0)} ms, interactive ${interactive} ms; ` +
      `client files ${pkg.length} (${wasm.length} WASM), ${(wire(pkg) / 1024).toFixed(1)} KB over the network ` +
      `(WASM ${(wire(wasm) / 1024).toFixed(1)} KB, from cache: ${pkg.filter((f) => f.cached).length})`,
  );
  return { paint: paint - nav, interactive, wasmFetched: wasm.filter((f) => !f.cached).length };
}

console.log('first visit on a phone profile: 1.6 Mbps down, 150 ms RTT, CPU 4× slower, cold cache');
let failed = false;
for (const url of urls) {
  console.log(new URL(url).pathname + new URL(url).search);
  await context.clearCookies();
  await cdp.send('Network.clearBrowserCache');
  await visit(url, '  first visit ');
  const again = await visit(url, '  repeat visit');
  if (again.wasmFetched > 0) {
    console.error('the repeat visit fetched WASM again');
    failed = true;
  }
}
await browser.close();
process.exit(failed ? 1 : 0);
