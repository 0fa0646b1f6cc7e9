// Reads site pages as a board member would, in headless Chromium at desktop and phone widths, and
// reports per page and width as JSON on stdout: the rendered text (innerText), whether the page
// scrolls sideways as a whole, every wide table (does it scroll inside its box, is the scroll cue
// visible), and the search box's results for a query. Saves a full-page screenshot of each.
// Usage: node board_check.js <node_modules dir> <screenshot dir> <query> <url> [<url> ...]
"use strict";
const path = require("path");

const [modulesArg, shots, query, ...urls] = process.argv.slice(2);
const { chromium } = require(path.join(path.resolve(modulesArg), "playwright-core"));
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-features=AutofillServerCommunication"];
const WIDTHS = { desktop: [1366, 900], phone: [390, 844] };

async function check(browser, url, index, device) {
  const [width, height] = WIDTHS[device];
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (err) => errors.push(String(err)));
  await page.goto(url, { waitUntil: "load" });
  await page.waitForFunction(() =>
    document.querySelectorAll(".js-plotly-plot").length >= document.querySelectorAll("script.chart-spec").length,
    null, { timeout: 20000 }).catch(() => {});
  const report = await page.evaluate(() => ({
    text: document.body.innerText,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    tables: Array.from(document.querySelectorAll("table.wide")).map((t) => {
      const wrap = t.closest(".table-wrap");
      const cue = wrap && wrap.previousElementSibling;
      const firstCell = t.querySelector("tbody td, tbody th");
      return { id: t.id, scrolls: wrap.scrollWidth > wrap.clientWidth + 1,
               cueVisible: !!(cue && cue.classList.contains("scroll-cue") && cue.offsetParent !== null),
               cellWidth: firstCell ? firstCell.getBoundingClientRect().width : null };
    }),
  }));
  let search = [];
  if (await page.$("#area-search-input")) {
    await page.fill("#area-search-input", query);
    await page.waitForTimeout(200);
    search = await page.evaluate(() =>
      Array.from(document.querySelectorAll("#area-search-results a")).map((a) => [a.textContent, a.getAttribute("href")]));
  }
  await page.screenshot({ path: path.join(shots, `board-${index}-${device}.png`), fullPage: false });
  await context.close();
  return Object.assign(report, { url, device, errors, search });
}

(async () => {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: FLAGS, headless: true });
  const reports = [];
  try {
    for (let i = 0; i < urls.length; i++) {
      for (const device of Object.keys(WIDTHS)) reports.push(await check(browser, urls[i], i, device));
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(reports));
})().catch((err) => { console.error(err); process.exit(2); });
