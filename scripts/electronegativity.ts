// `npm run check:electron`: Electronegativity, the Electron security scanner an auditor runs
// first, over the repository's files, offline. Fails (exit code 1) on any finding of medium or
// high severity, and on any file the scanner could not read (a file it did not check).
//
// Offline: the scanner reaches the network twice, for newer translations of its messages and
// for Electron's list of releases. Its HTTP client (got) is replaced here by one that answers
// "offline" at once, so it uses the English messages it ships, and the one check that needs the
// release list (AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK: "is there a newer Electron with security
// fixes?", class AvailableSecurityFixesGlobalCheck) is left out; the Electron version is read
// from package.json.
//
// What is scanned: the files git knows (tracked, or new and not ignored), copied to a temporary
// folder, so that build output (out/, dist/) and test results never count.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Needs the network: whether a newer Electron fixes security issues. */
export const OFFLINE_EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

/** Severities the check fails on (the scanner's names). */
export const FAILING_SEVERITIES = ['MEDIUM', 'HIGH', 'CRITICAL'];

export interface Finding {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
  column: number;
  description: string;
}

export interface ScanResult {
  findings: Finding[];
  /** Files the scanner could not parse, with why. */
  unreadable: { file: string; message: string }[];
  checks: number;
}

interface RawIssue {
  id: string;
  file: string;
  location: { line: number; column: number };
  description: string;
  severity: { name: string };
  confidence: { name: string };
}

type Runner = (options: Record<string, unknown>) => Promise<{
  globalChecks: number;
  atomicChecks: number;
  errors: { file: string; message: string; tolerable: boolean }[];
  issues: RawIssue[];
}>;

/** The scanner's own rule for the files it reads. */
function scannable(file: string): boolean {
  const base = file.split('/').pop()!.toLowerCase();
  return (
    /\.(jsx?|tsx?|html?)$/i.test(file) ||
    ['package.json', 'package-lock.json', 'yarn.lock'].includes(base)
  );
}

/** The scanner with its HTTP client answering "offline": nothing leaves the machine. */
function offlineRunner(): Runner {
  const scannerRequire = createRequire(
    createRequire(import.meta.url).resolve('@doyensec/electronegativity/package.json'),
  );
  const gotPath = scannerRequire.resolve('got');
  const offline = () => Promise.reject(new Error('offline: Backprop Lab runs this check offline'));
  const stub = new Module(gotPath);
  stub.filename = gotPath;
  stub.loaded = true;
  stub.exports = Object.assign(offline, { head: offline, get: offline });
  scannerRequire.cache[gotPath] = stub;
  return scannerRequire('./dist/runner.js') as Runner;
}

/** Severity names a ScanResult lists, one line each, failing ones first. */
export function formatFindings(result: ScanResult): string[] {
  const rank = (s: string) => -['INFORMATIONAL', 'LOW', ...FAILING_SEVERITIES].indexOf(s);
  return [...result.findings]
    .sort((a, b) => rank(a.severity) - rank(b.severity) || a.file.localeCompare(b.file))
    .map(
      (f) =>
        `${f.severity} ${f.id} ${f.file}:${f.line}:${f.column} (${f.confidence.toLowerCase()}): ${f.description}`,
    );
}

export function failingFindings(result: ScanResult): Finding[] {
  return result.findings.filter((f) => FAILING_SEVERITIES.includes(f.severity));
}

/**
 * Scan a folder (every file the scanner reads, outside node_modules) offline.
 *
 * @param electronVersion the Electron version the app is built with (e.g. '45.5.0')
 */
export async function scanFolder(dir: string, electronVersion: string): Promise<ScanResult> {
  const run = offlineRunner();
  // The scanner prints what it could not fetch and how it progresses; the summary says enough.
  const log = console.log;
  console.log = () => {};
  let out: Awaited<ReturnType<Runner>>;
  try {
    out = await run({
      input: dir,
      isRelative: true,
      customScan: [],
      excludeFromScan: OFFLINE_EXCLUDED_CHECKS,
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    });
  } finally {
    console.log = log;
  }
  return {
    checks: out.globalChecks + out.atomicChecks,
    unreadable: out.errors
      .filter((e) => !e.tolerable)
      .map(({ file, message }) => ({ file, message })),
    findings: out.issues.map((i) => ({
      id: i.id,
      severity: i.severity.name,
      confidence: i.confidence.name,
      file: i.file,
      line: i.location.line,
      column: i.location.column,
      description: i.description,
    })),
  };
}

/** The files git knows in `repo` (tracked, and new ones it does not ignore). */
export function repositoryFiles(repo: string): string[] {
  const r = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repo,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ls-files failed in ${repo}: ${r.stderr || r.error}`);
  return r.stdout.split('\0').filter((f) => f !== '');
}

/** The Electron version package.json asks for, without its range (^45.5.0 → 45.5.0). */
export function electronVersionOf(packageJson: string): string {
  const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const range = pkg.devDependencies?.electron ?? pkg.dependencies?.electron;
  const version = range?.match(/\d+\.\d+\.\d+/)?.[0];
  if (!version) throw new Error(`${packageJson} names no Electron version`);
  return version;
}

/** Scan the repository's own files (a copy of those the scanner reads, in a temporary folder). */
export async function scanRepository(repo: string = root): Promise<ScanResult> {
  const copy = mkdtempSync(join(tmpdir(), 'backprop-lab-electronegativity-'));
  try {
    for (const file of repositoryFiles(repo).filter(scannable)) {
      if (file.split('/').includes('node_modules')) continue;
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      try {
        copyFileSync(join(repo, file), join(copy, file));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; // deleted, not yet staged
      }
    }
    return await scanFolder(copy, electronVersionOf(join(repo, 'package.json')));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const result = await scanRepository();
  const failing = failingFindings(result);
  for (const line of formatFindings(result)) console.log(line);
  for (const u of result.unreadable) console.log(`UNREADABLE ${u.file}: ${u.message}`);
  const lower = result.findings.length - failing.length;
  console.log(
    `Electronegativity: ${result.checks} checks, ${failing.length} medium or high finding(s), ` +
      `${lower} low or informational, ${result.unreadable.length} unreadable file(s) ` +
      `(offline; left out: ${OFFLINE_EXCLUDED_CHECKS.join(', ')}).`,
  );
  return failing.length > 0 || result.unreadable.length > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      process.exit(2);
    },
  );
}
