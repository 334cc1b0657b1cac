// suite.mjs - runs the official MCP conformance suite
// (@modelcontextprotocol/conformance, pinned in tests/package.json) against
// one server and ends with the line "N passed, M failed", counted in
// scenarios. Run it with Node >= 22 (the suite's own requirement).
//
//   node suite.mjs [options] URL                 a running Streamable HTTP server
//   node suite.mjs [options] -- SERVER [ARGS...] a stdio server, bridged
//
// The suite speaks Streamable HTTP only. A stdio server is reached through
// supergateway (stateful: one server process per MCP session, i.e. per
// scenario), and the scenarios that test the HTTP transport itself
// (dns-rebinding-protection, server-sse-*) are left out there, since they
// would judge the bridge.
//
// Options:
//   --scenario NAME   run NAME (repeatable; default: every server scenario)
//   --results DIR     keep the suite's checks.json files and logs in DIR
//                     (default: a new folder under /tmp, removed when
//                     every scenario passed)
//
// Each scenario runs in its own conformance process with a 120 s limit, so
// one that hangs or crashes costs only itself. A scenario passes when the
// process exits 0 and its checks.json holds no FAILURE. Exit status 0 iff
// none failed; 2 on a usage or setup error.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync,
	rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, '..', 'node_modules');
const CONFORMANCE = join(modules, '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const BRIDGE = join(modules, 'supergateway', 'dist', 'index.js');
const TRANSPORT_SCENARIOS = new Set(['dns-rebinding-protection', 'server-sse-multiple-streams',
	'server-sse-polling']);
const SCENARIO_LIMIT_MS = 120000;

function die(msg) {
	process.stderr.write(`suite.mjs: ${msg}\n`);
	process.exit(2);
}

function parseOptions(argv) {
	const o = { scenarios: [], results: null, url: null, command: null };
	const dashes = argv.indexOf('--');
	const opts = dashes < 0 ? argv : argv.slice(0, dashes);
	if (dashes >= 0)
		o.command = argv.slice(dashes + 1);
	for (let i = 0; i < opts.length; i++) {
		const name = opts[i];
		const value = () => (i + 1 < opts.length ? opts[++i] : die(`${name} needs a value`));
		if (name === '--scenario')
			o.scenarios.push(value());
		else if (name === '--results')
			o.results = value();
		else if (!name.startsWith('-') && !o.url)
			o.url = name;
		else
			die(`unknown argument ${name}`);
	}
	if (!o.url === !(o.command && o.command.length))
		die('give a URL or -- SERVER [ARGS...]');
	return o;
}

/* Every server scenario the suite knows, from `conformance list --server`. */
function allScenarios() {
	const r = spawnSync(process.execPath, [CONFORMANCE, 'list', '--server'], { encoding: 'utf8' });
	if (r.status !== 0)
		die(`conformance list failed: ${r.stderr || r.error}`);
	const names = [...r.stdout.matchAll(/^\s+- (\S+)/gm)].map((m) => m[1]);
	if (!names.length)
		die('conformance list --server printed no scenarios');
	return names;
}

function freePort() {
	return new Promise((resolve, reject) => {
		const s = createServer().listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
		s.on('error', reject);
	});
}

function accepting(port) {
	return new Promise((resolve) => {
		const s = connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
		s.on('error', () => resolve(false));
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* A POSIX-shell word: supergateway runs --stdio through a shell. */
const shellWord = (w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", "'\\''")}'`);

async function startBridge(command, results) {
	const port = await freePort();
	const log = createWriteStream(join(results, 'bridge.log'));
	const bridge = spawn(process.execPath, [BRIDGE, '--stdio', command.map(shellWord).join(' '),
		'--outputTransport', 'streamableHttp', '--stateful', '--port', String(port),
		'--logLevel', 'none'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	bridge.stdout.pipe(log);
	bridge.stderr.pipe(log);
	let exited = false;
	bridge.on('exit', () => { exited = true; });
	for (let i = 0; i < 100 && !exited; i++) {
		if (await accepting(port))
			return { url: `http://127.0.0.1:${port}/mcp`, bridge };
		await sleep(100);
	}
	die(`the bridge did not start listening; see ${join(results, 'bridge.log')}`);
}

/* Stops the bridge and the servers it started (its process group). */
function stopBridge(bridge) {
	if (!bridge || bridge.exitCode !== null)
		return;
	try {
		process.kill(-bridge.pid, 'SIGTERM');
	} catch { /* already gone */ }
}

/* Runs one scenario; resolves to its exit status (null: killed at the limit). */
function runScenario(url, name, results, log) {
	return new Promise((resolve) => {
		log.write(`=== ${name}\n`);
		const p = spawn(process.execPath, [CONFORMANCE, 'server', '--url', url, '--scenario', name,
			'-o', results], { stdio: ['ignore', 'pipe', 'pipe'] });
		p.stdout.on('data', (d) => log.write(d));
		p.stderr.on('data', (d) => log.write(d));
		const timer = setTimeout(() => p.kill('SIGKILL'), SCENARIO_LIMIT_MS);
		p.on('exit', (code) => { clearTimeout(timer); resolve(code); });
	});
}

/* The checks.json the suite wrote for a scenario (the newest), or null. */
function checksOf(results, name) {
	const prefix = `server-${name}-`;
	const dirs = readdirSync(results).filter((d) => d.startsWith(prefix) &&
		/^\d{4}-\d\d-\d\dT/.test(d.slice(prefix.length))).sort();
	const file = dirs.length ? join(results, dirs[dirs.length - 1], 'checks.json') : null;
	if (!file || !existsSync(file))
		return null;
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch {
		return null;
	}
}

const oneLine = (s, n) => String(s ?? '').replace(/\s+/g, ' ').slice(0, n);

async function main() {
	const o = parseOptions(process.argv.slice(2));
	for (const f of [CONFORMANCE, BRIDGE])
		if (!existsSync(f))
			die(`${f} is missing: run tests/npm-ci.sh`);
	const results = o.results ?? mkdtempSync(join(tmpdir(), 'ews-conformance-'));
	mkdirSync(results, { recursive: true });
	const log = createWriteStream(join(results, 'conformance.log'));

	let scenarios = o.scenarios.length ? o.scenarios : allScenarios();
	let url = o.url, bridge = null;
	if (o.command) {
		const left = scenarios.filter((s) => TRANSPORT_SCENARIOS.has(s));
		scenarios = scenarios.filter((s) => !TRANSPORT_SCENARIOS.has(s));
		if (left.length)
			console.log(`left out over stdio (they test the HTTP transport): ${left.join(', ')}`);
		({ url, bridge } = await startBridge(o.command, results));
		console.log(`stdio server ${o.command.join(' ')}, bridged by supergateway at ${url}`);
	}
	process.on('exit', () => stopBridge(bridge));
	const version = spawnSync(process.execPath, [CONFORMANCE, '--version'], { encoding: 'utf8' });
	console.log(`conformance ${version.stdout.trim()}: ${scenarios.length} scenarios against ${url}`);

	let passed = 0, failed = 0, checksOk = 0, checksBad = 0, warnings = 0;
	const width = Math.max(...scenarios.map((s) => s.length));
	for (const name of scenarios) {
		const code = await runScenario(url, name, results, log);
		const checks = checksOf(results, name);
		let verdict, note;
		if (code === null) {
			verdict = 'FAIL';
			note = `no answer within ${SCENARIO_LIMIT_MS / 1000} s`;
		} else if (!Array.isArray(checks)) {
			verdict = 'FAIL';
			note = `no checks.json (exit ${code}); see ${join(results, 'conformance.log')}`;
		} else {
			const ok = checks.filter((c) => c.status === 'SUCCESS');
			const bad = checks.filter((c) => c.status === 'FAILURE');
			const warn = checks.filter((c) => c.status === 'WARNING');
			checksOk += ok.length;
			checksBad += bad.length;
			warnings += warn.length;
			verdict = bad.length === 0 && code === 0 ? 'PASS' : 'FAIL';
			note = `${ok.length}/${ok.length + bad.length} checks`;
			if (warn.length)
				note += `, ${warn.length} warning(s): ` +
					warn.map((c) => `${c.id}: ${oneLine(c.errorMessage, 120)}`).join(' | ');
			if (bad.length)
				note += ' | ' + bad.map((c) => `${c.id}: ${oneLine(c.errorMessage ?? c.description, 160)}`).join(' | ');
			else if (code !== 0)
				note += ` | exit ${code}`;
		}
		if (verdict === 'PASS')
			passed++;
		else
			failed++;
		console.log(`${verdict} ${name.padEnd(width)}  ${note}`);
	}
	await new Promise((resolve) => log.end(resolve));
	stopBridge(bridge);
	const keep = o.results || failed;
	console.log(`checks: ${checksOk} passed, ${checksBad} failed, ${warnings} warnings` +
		(keep ? `; results in ${results}` : ''));
	if (!keep)
		rmSync(results, { recursive: true, force: true });
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed === 0 ? 0 : 1;
}

await main();
