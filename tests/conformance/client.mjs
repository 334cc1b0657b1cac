// client.mjs - the project's MCP test client, on the official TypeScript SDK
// (@modelcontextprotocol/sdk, pinned in tests/package.json).
//
//   node client.mjs [options] --url http://127.0.0.1:PORT/mcp   Streamable HTTP
//   node client.mjs [options] -- SERVER [ARGS...]               stdio (spawned)
//
// It initializes, lists every tool (following nextCursor) and judges each
// definition, optionally pings, calls one tool and benchmarks sequential
// calls, then closes the session (DELETE over HTTP, stdin EOF over stdio).
// stdout gets one JSON report; stderr one line per failed check. Exit status:
// 0 when every check passed, 1 when one failed, 2 on a usage error.
//
// Checks, all of them failures unless marked "warning":
//  - the SDK reports no transport or protocol error (a stdout line that is
//    not JSON-RPC, an unknown response id, a JSON-RPC error answer, a timeout,
//    an unsupported protocol version);
//  - ping answers {} (warning otherwise);
//  - tools/list pages: no repeated cursor, at most 1000 pages;
//  - every tool: a unique non-empty name (outside [A-Za-z0-9_.-]{1,128}: a
//    warning, SEP-986), a description, an inputSchema and (if present) an
//    outputSchema that are JSON objects with type "object", whose properties
//    are schemas, whose required is a list of strings naming properties when
//    additionalProperties is false, that pass the JSON Schema meta-schema and
//    compile with Ajv (2020-12 unless $schema names draft-07);
//  - --call: the result has a content array, is not isError (unless
//    --allow-tool-error), and its structuredContent validates against the
//    tool's outputSchema; --expect PATH=JSON compares one value of it;
//  - --expect-tools N: exactly N tools;
//  - stdio: the server exits within 2 s of stdin EOF (warning).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import Ajv2020Pkg from 'ajv/dist/2020.js';
import AjvPkg from 'ajv';
import ajvFormatsPkg from 'ajv-formats';

const Ajv2020 = Ajv2020Pkg.default ?? Ajv2020Pkg;
const AjvDraft7 = AjvPkg.default ?? AjvPkg;
const addFormats = ajvFormatsPkg.default ?? ajvFormatsPkg;

const HELP = `usage: node client.mjs [options] (--url URL | -- SERVER [ARGS...])
  --url URL             Streamable HTTP endpoint
  --ping                send one ping
  --call NAME           call tool NAME after tools/list
  --args JSON           its arguments (a JSON object; default {})
  --allow-tool-error    a result with isError:true is not a failure
  --expect PATH=JSON    after --call: structuredContent.PATH must equal JSON
                        (repeatable; PATH is dot-separated)
  --expect-tools N      tools/list must return exactly N tools
  --bench N             then N sequential calls of --call's tool (ping without
                        --call), timed; the report gets percentiles and calls/s
  --warmup N            untimed calls before --bench (default 10)
  --timeout MS          per request (default 30000)
  --cwd DIR             working folder of a stdio server
  --quiet-server        discard a stdio server's stderr`;

function usage(msg) {
	process.stderr.write(`client.mjs: ${msg}\n${HELP}\n`);
	process.exit(2);
}

function parseOptions(argv) {
	const o = {
		url: null, command: null, ping: false, call: null, args: {},
		allowToolError: false, expect: [], expectTools: null, bench: 0,
		warmup: 10, timeout: 30000, cwd: undefined, quietServer: false,
	};
	const dashes = argv.indexOf('--');
	const opts = dashes < 0 ? argv : argv.slice(0, dashes);
	if (dashes >= 0)
		o.command = argv.slice(dashes + 1);
	const count = (v, name) => {
		if (!/^\d+$/.test(v ?? ''))
			usage(`${name} wants a whole number, not ${v}`);
		return Number(v);
	};
	const json = (v, name) => {
		try {
			return JSON.parse(v);
		} catch (e) {
			return usage(`${name}: ${e.message}`);
		}
	};
	for (let i = 0; i < opts.length; i++) {
		const name = opts[i];
		const value = () => (i + 1 < opts.length ? opts[++i] : usage(`${name} needs a value`));
		switch (name) {
		case '--url': o.url = value(); break;
		case '--ping': o.ping = true; break;
		case '--call': o.call = value(); break;
		case '--args':
			o.args = json(value(), name);
			if (!o.args || typeof o.args !== 'object' || Array.isArray(o.args))
				usage('--args must be a JSON object');
			break;
		case '--allow-tool-error': o.allowToolError = true; break;
		case '--expect': {
			const v = value(), eq = v.indexOf('=');
			if (eq < 1)
				usage(`--expect wants PATH=JSON, not ${v}`);
			o.expect.push({ path: v.slice(0, eq), want: json(v.slice(eq + 1), name) });
			break;
		}
		case '--expect-tools': o.expectTools = count(value(), name); break;
		case '--bench': o.bench = count(value(), name); break;
		case '--warmup': o.warmup = count(value(), name); break;
		case '--timeout': o.timeout = count(value(), name); break;
		case '--cwd': o.cwd = value(); break;
		case '--quiet-server': o.quietServer = true; break;
		case '-h': case '--help': process.stdout.write(HELP + '\n'); process.exit(0);
		default: usage(`unknown option ${name}`);
		}
	}
	if (!o.url === !(o.command && o.command.length))
		usage('give exactly one of --url URL and -- SERVER [ARGS...]');
	if (o.expect.length && !o.call)
		usage('--expect needs --call');
	return o;
}

/* ---- a transport that records what the SDK hides -------------------------
 * The SDK validates every message against its own schemas; the checks below
 * want the raw initialize and tools/list results, so this wrapper keeps the
 * results of the requests it was told to watch, by id. */
class Recorder {
	constructor(inner) {
		this.inner = inner;
		this.watch = new Map();   /* request id -> method */
		this.raw = [];            /* { method, result } in arrival order */
		this.sent = 0;
		this.received = 0;
	}
	get sessionId() { return this.inner.sessionId; }
	setProtocolVersion(v) { this.inner.setProtocolVersion?.(v); }
	async start() {
		this.inner.onmessage = (msg, extra) => {
			this.received++;
			if (msg && this.watch.has(msg.id) && 'result' in msg) {
				this.raw.push({ method: this.watch.get(msg.id), result: msg.result });
				this.watch.delete(msg.id);
			}
			this.onmessage?.(msg, extra);
		};
		this.inner.onerror = (e) => this.onerror?.(e);
		this.inner.onclose = () => this.onclose?.();
		await this.inner.start();
	}
	async send(msg, opts) {
		this.sent++;
		if (msg && (msg.method === 'initialize' || msg.method === 'tools/list'))
			this.watch.set(msg.id, msg.method);
		await this.inner.send(msg, opts);
	}
	async close() { await this.inner.close(); }
	async terminateSession() { await this.inner.terminateSession?.(); }
	results(method) { return this.raw.filter((r) => r.method === method).map((r) => r.result); }
}

/* ---- tool definitions ----------------------------------------------------- */

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const DRAFT7 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;
const DRAFT2020 = /^https:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/;

function newAjv(Impl) {
	const ajv = new Impl({ strict: false, allErrors: true, validateFormats: true });
	addFormats(ajv);
	return ajv;
}
const validators = { draft7: newAjv(AjvDraft7), draft2020: newAjv(Ajv2020) };

/* Compiles schema with the Ajv of its dialect (2020-12 unless it says
 * draft-07: MCP 2025-11-25 makes 2020-12 the default); throws on errors. */
function compile(schema) {
	const ajv = DRAFT7.test(schema.$schema ?? '') ? validators.draft7 : validators.draft2020;
	/* $id would clash between tools in the shared Ajv; $schema is implied. */
	const { $id, $schema, ...body } = schema;
	void $id;
	void $schema;
	if (!ajv.validateSchema(body))
		throw new Error(`fails the JSON Schema meta-schema: ${ajv.errorsText(ajv.errors)}`);
	return ajv.compile(body);
}

/* Problems of one inputSchema/outputSchema, as strings. */
function schemaProblems(schema, what) {
	if (!isObject(schema))
		return [`${what} is not a JSON object`];
	const out = [];
	if (schema.type !== 'object')
		out.push(`${what}.type is ${JSON.stringify(schema.type)}, not "object"`);
	if (schema.$schema !== undefined && !DRAFT7.test(schema.$schema) && !DRAFT2020.test(schema.$schema))
		out.push(`${what}.$schema ${JSON.stringify(schema.$schema)} is neither 2020-12 nor draft-07`);
	if (schema.properties !== undefined) {
		if (!isObject(schema.properties))
			out.push(`${what}.properties is not an object`);
		else
			for (const [k, v] of Object.entries(schema.properties))
				if (typeof v !== 'boolean' && !isObject(v))
					out.push(`${what}.properties.${k} is not a schema`);
	}
	if (schema.required !== undefined) {
		if (!Array.isArray(schema.required) || schema.required.some((r) => typeof r !== 'string'))
			out.push(`${what}.required is not a list of strings`);
		else if (schema.additionalProperties === false)
			for (const r of schema.required)
				if (!isObject(schema.properties) || !(r in schema.properties))
					out.push(`${what}.required names ${r}, which no property allows`);
	}
	try {
		compile(schema);
	} catch (e) {
		out.push(`${what} ${e.message}`);
	}
	return out;
}

function toolProblems(tool, seen, warnings) {
	if (!isObject(tool))
		return ['a tools/list entry is not an object'];
	const out = [];
	if (typeof tool.name !== 'string' || tool.name === '') {
		out.push('no name');
	} else {
		if (seen.has(tool.name))
			out.push('name used twice');
		seen.add(tool.name);
		if (!/^[A-Za-z0-9_.-]{1,128}$/.test(tool.name))
			warnings.push(`tool ${tool.name}: name outside [A-Za-z0-9_.-]{1,128} (SEP-986)`);
	}
	if (typeof tool.description !== 'string' || tool.description === '')
		out.push('no description');
	out.push(...schemaProblems(tool.inputSchema, 'inputSchema'));
	if (tool.outputSchema !== undefined)
		out.push(...schemaProblems(tool.outputSchema, 'outputSchema'));
	return out;
}

/* ---- helpers -------------------------------------------------------------- */

const now = () => performance.now();
const ms3 = (x) => Math.round(x * 1000) / 1000;

/* Nearest-rank percentile of an ascending array. */
function percentile(sorted, p) {
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function dig(value, path) {
	for (const key of path.split('.'))
		value = isObject(value) || Array.isArray(value) ? value[key] : undefined;
	return value;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function describe(e) {
	return e instanceof Error ? `${e.name === 'Error' ? '' : e.name + ': '}${e.message}` : String(e);
}

/* ---- the session ---------------------------------------------------------- */

async function run(o, report) {
	const fail = (msg) => report.failures.push(msg);
	const inner = o.url
		? new StreamableHTTPClientTransport(new URL(o.url))
		/* The whole environment (ASAN_OPTIONS and friends), not the SDK's
		 * default of six variables. */
		: new StdioClientTransport({
			command: o.command[0], args: o.command.slice(1), env: { ...process.env },
			cwd: o.cwd, stderr: o.quietServer ? 'ignore' : 'inherit',
		});
	const wire = new Recorder(inner);
	const client = new Client({ name: 'ews-mcp-test-client', version: '1.0.0' }, { capabilities: {} });
	const timeout = { timeout: o.timeout };
	let closing = false;

	client.fallbackNotificationHandler = async (n) => {
		report.notifications[n.method] = (report.notifications[n.method] ?? 0) + 1;
	};
	client.onerror = (e) => {
		if (closing)
			return;
		/* A line on stdout that is not a JSON-RPC message. */
		if (e instanceof SyntaxError || /JSON|zod/i.test(e?.name ?? ''))
			report.badMessages++;
		fail(`transport/protocol error: ${describe(e)}`);
	};

	try {
		const t0 = now();
		await client.connect(wire, timeout);
		report.initializeMs = ms3(now() - t0);
		const init = wire.results('initialize')[0] ?? {};
		report.protocolVersion = init.protocolVersion ?? null;
		report.serverInfo = client.getServerVersion() ?? null;
		report.capabilities = client.getServerCapabilities() ?? null;
		if (report.protocolVersion !== LATEST_PROTOCOL_VERSION)
			report.warnings.push(`negotiated ${report.protocolVersion}, offered ${LATEST_PROTOCOL_VERSION}`);

		if (o.ping) {
			const pong = await client.ping(timeout);
			if (isObject(pong) && Object.keys(pong).length)
				report.warnings.push(`ping answered ${JSON.stringify(pong)}, not {}`);
		}

		if (report.capabilities?.tools) {
			const cursors = new Set();
			let cursor;
			for (let page = 1; ; page++) {
				const res = await client.listTools(cursor === undefined ? {} : { cursor }, timeout);
				cursor = res.nextCursor;
				if (cursor === undefined || cursor === null)
					break;
				if (cursors.has(cursor))
					throw new Error(`tools/list: cursor ${JSON.stringify(cursor)} came twice`);
				if (page >= 1000)
					throw new Error('tools/list: more than 1000 pages');
				cursors.add(cursor);
			}
		} else {
			report.warnings.push('no tools capability: tools/list not sent');
		}
		const tools = wire.results('tools/list').flatMap((r) => (Array.isArray(r?.tools) ? r.tools : []));
		const seen = new Set();
		report.tools = { count: tools.length, names: tools.map((t) => t?.name ?? null), problems: [] };
		for (const t of tools) {
			const p = toolProblems(t, seen, report.warnings);
			if (p.length) {
				report.tools.problems.push({ tool: t?.name ?? null, problems: p });
				fail(`tool ${t?.name}: ${p.join('; ')}`);
			}
		}
		if (o.expectTools !== null && tools.length !== o.expectTools)
			fail(`tools/list returned ${tools.length} tools, expected ${o.expectTools}`);

		if (o.call) {
			const def = tools.find((t) => t?.name === o.call);
			if (!def)
				fail(`tool ${o.call} is not in tools/list`);
			const c0 = now();
			const res = await client.callTool({ name: o.call, arguments: o.args }, undefined, timeout);
			report.call = {
				name: o.call, ms: ms3(now() - c0), isError: res.isError === true,
				content: (res.content ?? []).map((c) => (c.type === 'text'
					? { type: 'text', text: c.text.length > 400 ? c.text.slice(0, 400) + '...' : c.text }
					: { type: c.type })),
				structuredContent: res.structuredContent,
			};
			if (!Array.isArray(res.content))
				fail(`${o.call}: the result has no content array`);
			if (res.isError === true && !o.allowToolError)
				fail(`${o.call} returned isError:true: ${JSON.stringify(res.content).slice(0, 400)}`);
			if (def?.outputSchema && res.structuredContent !== undefined) {
				try {
					const valid = compile(def.outputSchema);
					if (!valid(res.structuredContent))
						fail(`${o.call}: structuredContent does not match the outputSchema: ` +
						     validators.draft2020.errorsText(valid.errors));
				} catch (e) {
					fail(`${o.call}: outputSchema: ${e.message}`);
				}
			}
			for (const { path, want } of o.expect) {
				const got = dig(res.structuredContent, path);
				if (!same(got, want))
					fail(`${o.call}: structuredContent.${path} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
			}
		}

		if (o.bench > 0) {
			const once = o.call
				? async () => {
					const r = await client.callTool({ name: o.call, arguments: o.args }, undefined, timeout);
					if (r.isError === true && !o.allowToolError)
						throw new Error(`${o.call} returned isError:true during the benchmark`);
				}
				: () => client.ping(timeout);
			for (let i = 0; i < o.warmup; i++)
				await once();
			const lat = [];
			const b0 = now();
			for (let i = 0; i < o.bench; i++) {
				const s = now();
				await once();
				lat.push(now() - s);
			}
			const seconds = (now() - b0) / 1000;
			lat.sort((a, b) => a - b);
			report.bench = {
				target: o.call ? `tools/call ${o.call}` : 'ping',
				calls: o.bench, warmup: o.warmup,
				p50Ms: ms3(percentile(lat, 50)), p95Ms: ms3(percentile(lat, 95)),
				p99Ms: ms3(percentile(lat, 99)), maxMs: ms3(lat[lat.length - 1]),
				seconds: ms3(seconds), callsPerSecond: ms3(o.bench / seconds),
			};
		}
	} catch (e) {
		fail(describe(e));
	} finally {
		if (o.url && wire.sessionId) {
			try {
				await wire.terminateSession();
			} catch (e) {
				fail(`DELETE of the session failed: ${describe(e)}`);
			}
		}
		closing = true;
		const s0 = now();
		await client.close().catch(() => {});
		if (!o.url && now() - s0 > 1900)
			report.warnings.push('the stdio server did not exit within 2 s of stdin EOF');
		report.messages = { sent: wire.sent, received: wire.received };
	}
}

const options = parseOptions(process.argv.slice(2));
const report = {
	ok: false, transport: options.url ? 'streamable-http' : 'stdio',
	target: options.url ?? options.command.join(' '),
	failures: [], warnings: [], badMessages: 0, notifications: {},
};
await run(options, report);
report.ok = report.failures.length === 0;
for (const f of report.failures)
	process.stderr.write(`client.mjs: FAIL ${f}\n`);
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
/* Lingering sockets or timers must not hold the exit. */
setTimeout(() => process.exit(report.ok ? 0 : 1), 20).unref();
process.exitCode = report.ok ? 0 : 1;
