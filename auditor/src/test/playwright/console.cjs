// Drives the auditor web console in a real Chromium (Debian's, headless) through playwright-core:
// log in with Basic credentials, filter changes, download their CSV, open an employee, see a
// leaver's cut-off, and save a screenshot of every page. Run by ConsoleBrowserTest, which passes
// everything through the environment; any failed check exits non-zero with one line saying what.
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`missing env ${name}`);
  return v;
};
const base = env('CONSOLE_URL').replace(/\/$/, '');
const shots = env('SCREENSHOTS');
const downloads = env('DOWNLOADS');
const stuck = env('STUCK_EMPLOYEE');
const clean = env('CLEAN_EMPLOYEE');

function check(ok, what) {
  if (!ok) throw new Error(`check failed: ${what}`);
  console.log(`ok: ${what}`);
}

(async () => {
  fs.mkdirSync(shots, { recursive: true });
  fs.mkdirSync(downloads, { recursive: true });
  const context = await chromium.launchPersistentContext(env('USER_DATA_DIR'), {
    executablePath: env('CHROMIUM'),
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    httpCredentials: { username: env('CONSOLE_USER'), password: env('CONSOLE_PASSWORD') },
    acceptDownloads: true,
    viewport: { width: 1280, height: 760 },
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(30000);

    // Log in: the console answers 401 + WWW-Authenticate, the browser sends the credentials.
    const first = await page.goto(`${base}/console`);
    check(first.ok(), `logged in: ${first.status()} ${page.url()}`);
    check(page.url().endsWith('/console/changes'), '/console redirects to Changes');

    // Filter changes by employee.
    await page.fill('input[name=employeeId]', stuck);
    await Promise.all([page.waitForURL(/employeeId=/), page.click('#filter button[type=submit]')]);
    const rows = await page.locator('#changes tbody tr').allInnerTexts();
    check(rows.length === 2 && rows.every((r) => r.includes(stuck)), `changes filtered to ${stuck}: ${rows.length} rows`);
    await page.screenshot({ path: path.join(shots, 'changes.png') });

    // Download the CSV of this filter.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    const csvFile = path.join(downloads, 'changes.csv');
    await download.saveAs(csvFile);
    const csv = fs.readFileSync(csvFile, 'utf8').trim().split(/\r?\n/);
    check(csv[0].startsWith('seq,changeId') && csv.length === 3, `CSV downloaded: ${csv.length - 1} rows`);

    // Open the employee from the table.
    await Promise.all([page.waitForURL(/\/console\/employee\?/), page.locator('#changes a', { hasText: stuck }).first().click()]);
    const access = await page.locator('#access').innerText();
    check(access.includes('333333333333') && access.includes('failed'), 'employee page: prod account failed, access shown');
    check((await page.locator('#timeline tbody tr').count()) >= 4, 'employee page: timeline rows');
    await page.screenshot({ path: path.join(shots, 'employee.png'), fullPage: true });

    // The leavers report: the clean leaver's cut-off lag.
    await page.goto(`${base}/console/leavers?from=${encodeURIComponent(env('LEAVERS_FROM'))}&to=${encodeURIComponent(env('LEAVERS_TO'))}`);
    const cleanRow = page.locator('#leavers tbody tr', { hasText: clean });
    const cutOff = (await cleanRow.locator('td.cutoff').innerText()).trim();
    check(cutOff === 'PT0.25S', `leaver ${clean} cut off after ${cutOff}`);
    const firstRow = await page.locator('#leavers tbody tr').first().getAttribute('class');
    check(firstRow === 'open', 'a leaver with access possibly open is on top');
    check(await page.locator('#histogram tr.slo').isVisible(), 'histogram shows the SLO line');
    await page.screenshot({ path: path.join(shots, 'leavers.png'), fullPage: true });

    await page.click('header a[href="/console/integrity"]');
    check((await page.locator('#status').innerText()).includes('intact'), 'integrity: chain intact');
    await page.fill('input[name=fromSeq]', '1');
    await page.fill('input[name=toSeq]', '2');
    await Promise.all([page.waitForURL(/fromSeq=1/), page.click('form button[type=submit]')]);
    check((await page.locator('#head-seq').innerText()).trim() === '2', 'integrity: range 1..2 verified');
    await page.screenshot({ path: path.join(shots, 'integrity.png') });

    await page.click('header a[href="/console/scheduled"]');
    check((await page.locator('#scheduled tbody tr').count()) >= 1, 'scheduled: held events listed');
    await page.screenshot({ path: path.join(shots, 'scheduled.png') });

    await page.click('header a[href="/console/reconciliations"]');
    check(await page.locator('#reconciliations').isVisible(), 'reconciliations: the list is shown');
    await page.screenshot({ path: path.join(shots, 'reconciliations.png') });

    await page.click('header a[href="/console/findings"]');
    check(await page.locator('#findings').isVisible(), 'findings: the list is shown');
    await Promise.all([page.waitForURL(/status=open/), page.selectOption('select[name=status]', 'open').then(() => page.click('form button[type=submit]'))]);
    check(await page.locator('#findings').isVisible(), 'findings: filtered by status');
    await page.screenshot({ path: path.join(shots, 'findings.png') });
    console.log('console browser test passed');
  } finally {
    await context.close();
  }
})().catch((e) => {
  console.error(String(e && e.stack ? e.stack : e));
  process.exit(1);
});
