// Finds a Chromium for the end-to-end tests, or gets one, and writes its path to .browser-path
// (read by playwright.config.ts). Order: $E2E_CHROMIUM, Playwright's own Chromium, the system's
// Chromium; else Playwright's download where its host is reachable; else Debian's package when
// running as root; else it fails saying how to install one.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(here, '.browser-path');
const SYSTEM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const say = (line) => console.log(`[ensure-browser] ${line}`);

async function playwrightChromium() {
  try {
    const { chromium } = await import('playwright-core');
    const file = chromium.executablePath();
    return file && existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

async function findBrowser() {
  const fromEnv = process.env.E2E_CHROMIUM;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    say(`E2E_CHROMIUM=${fromEnv} does not exist; looking elsewhere.`);
  }
  return (await playwrightChromium()) ?? SYSTEM.find((file) => existsSync(file)) ?? null;
}

async function downloadHostReachable() {
  const host = process.env.PLAYWRIGHT_DOWNLOAD_HOST || 'https://cdn.playwright.dev';
  try {
    const response = await fetch(host, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
    return response.status < 500;
  } catch {
    return false;
  }
}

function run(command, args) {
  say(`running: ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { stdio: 'inherit', cwd: here }).status === 0;
}

function hasCommand(name) {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let browser = await findBrowser();
if (!browser) {
  if (await downloadHostReachable()) {
    say("No Chromium found; downloading Playwright's own (npx playwright install chromium).");
    if (run('npx', ['playwright', 'install', 'chromium'])) browser = await playwrightChromium();
  } else {
    say("No Chromium found, and Playwright's download host is not reachable.");
  }
}
if (!browser && process.getuid?.() === 0 && hasCommand('apt-get')) {
  say("Installing Debian's Chromium package (apt-get update && apt-get install -y chromium).");
  if (run('apt-get', ['update']) && run('apt-get', ['install', '-y', 'chromium'])) {
    browser = SYSTEM.find((file) => existsSync(file)) ?? null;
  }
}
if (!browser) {
  console.error(
    [
      '[ensure-browser] No Chromium for the end-to-end tests, and none could be installed.',
      'Install one, then run the tests again:',
      "  - Playwright's own:   npx playwright install chromium   (needs access to cdn.playwright.dev)",
      '  - Debian or Ubuntu:   sudo apt-get install -y chromium',
      '  - or point E2E_CHROMIUM at a Chromium or Chrome executable.',
    ].join('\n'),
  );
  process.exit(1);
}
writeFileSync(OUT, `${browser}\n`);
say(`using ${browser}`);
