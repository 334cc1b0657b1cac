// mcp_http_load.mjs URL CLIENTS CALLS TOOL ARGS_JSON - N concurrent MCP
// clients over Streamable HTTP, each: initialize, then CALLS sequential
// tools/call of TOOL, then DELETE. Plain fetch (no SDK), so the driver's
// own cost stays small. Prints one JSON line: calls, errors, seconds,
// callsPerSecond, p50/p99/max ms (nearest rank). Loopback only.
const [url, nClients, nCalls, tool, argsJson] = process.argv.slice(2);
if (!/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url || "")) {
  console.error("usage: node mcp_http_load.mjs http://127.0.0.1:PORT/mcp CLIENTS CALLS TOOL ARGS");
  process.exit(2);
}
const args = JSON.parse(argsJson || "{}");
const base = { "Content-Type": "application/json", Accept: "application/json, text/event-stream" };
const lat = [];
let errors = 0;

async function post(headers, body) {
  const r = await fetch(url, { method: "POST", headers: { ...base, ...headers }, body: JSON.stringify(body) });
  const text = await r.text();
  return { r, text };
}

async function client(n) {
  const init = await post({}, { jsonrpc: "2.0", id: 0, method: "initialize",
    params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "load" + n, version: "1" } } });
  const sid = init.r.headers.get("mcp-session-id");
  const h = { "Mcp-Session-Id": sid, "MCP-Protocol-Version": "2025-11-25" };
  await post(h, { jsonrpc: "2.0", method: "notifications/initialized" });
  for (let i = 1; i <= nCalls; i++) {
    const t0 = performance.now();
    const { r, text } = await post(h, { jsonrpc: "2.0", id: i, method: "tools/call", params: { name: tool, arguments: args } });
    lat.push(performance.now() - t0);
    if (r.status !== 200 || !text.includes('"result"') || text.includes('"isError":true')) errors++;
  }
  await fetch(url, { method: "DELETE", headers: h });
}

const t0 = performance.now();
await Promise.all(Array.from({ length: +nClients }, (_, i) => client(i)));
const secs = (performance.now() - t0) / 1000;
lat.sort((a, b) => a - b);
const rank = p => lat[Math.max(0, Math.ceil(p * lat.length) - 1)].toFixed(2);
console.log(JSON.stringify({ clients: +nClients, calls: lat.length, errors, seconds: +secs.toFixed(2),
  callsPerSecond: +(lat.length / secs).toFixed(1), p50: +rank(0.5), p99: +rank(0.99), max: +rank(1) }));
