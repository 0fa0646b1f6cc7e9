// Opens site pages in headless Chromium (playwright-core, Debian's /usr/bin/chromium) and reports, per
// page as JSON on stdout: console errors, every request URL, charts drawn (and their SVG layers, map
// areas and bars), tables, horizontal overflow on a phone-sized screen, and axe-core accessibility
// violations (WCAG 2.0/2.1/2.2 A and AA rules). Saves screenshots: each page at 1280x900 and on a
// phone, and the first page at 1280x2000 (page-0-tall.png).
// Usage: node site_check.js <node_modules dir> <screenshot dir> <url> [<url> ...]
"use strict";
const path = require("path");

const [modulesArg, shots, ...urls] = process.argv.slice(2);
const modules = path.resolve(modulesArg);
const { chromium } = require(path.join(modules, "playwright-core"));
const axePath = require.resolve(path.join(modules, "axe-core", "axe.min.js"));

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-features=AutofillServerCommunication"];

async function check(browser, url, index) {
  const report = { url, consoleErrors: [], requests: [], violations: [] };
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("console", (msg) => { if (msg.type() === "error") report.consoleErrors.push(msg.text()); });
  page.on("pageerror", (err) => report.consoleErrors.push(String(err)));
  page.on("request", (req) => report.requests.push(req.url()));
  await page.goto(url, { waitUntil: "load" });
  // Every chart spec should become a drawn plotly chart.
  await page.waitForFunction(() =>
    document.querySelectorAll(".js-plotly-plot").length >= document.querySelectorAll("script.chart-spec").length,
    null, { timeout: 20000 }).catch(() => {});
  Object.assign(report, await page.evaluate(() => ({
    specs: document.querySelectorAll("script.chart-spec").length,
    plots: document.querySelectorAll(".js-plotly-plot").length,
    mainSvg: document.querySelectorAll("svg.main-svg").length,
    mapAreas: document.querySelectorAll(".choroplethlocation").length,
    bars: document.querySelectorAll("g.trace.bars").length,
    tables: document.querySelectorAll("table").length,
    captions: document.querySelectorAll("table > caption").length,
    title: document.title,
  })));
  await page.screenshot({ path: path.join(shots, `page-${index}-desktop.png`), fullPage: false });
  if (index === 0) {
    await page.setViewportSize({ width: 1280, height: 2000 });
    await page.screenshot({ path: path.join(shots, "page-0-tall.png"), fullPage: false });
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  await page.addScriptTag({ path: axePath });
  const axe = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  report.violations = axe;
  // A phone: nothing may need sideways scrolling of the whole page.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.waitForTimeout(300);
  report.phoneOverflow = await page.evaluate(() =>
    document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.screenshot({ path: path.join(shots, `page-${index}-phone.png`), fullPage: false });
  // Keyboard: the first Tab lands on the skip link.
  await page.keyboard.press("Tab");
  report.firstTab = await page.evaluate(() => document.activeElement && document.activeElement.className);
  await context.close();
  return report;
}

(async () => {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: FLAGS, headless: true });
  const reports = [];
  try {
    for (let i = 0; i < urls.length; i++) reports.push(await check(browser, urls[i], i));
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(reports));
})().catch((err) => { console.error(err); process.exit(2); });
