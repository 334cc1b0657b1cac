/* http_server.c - the HTTP listener: start/stop, routing, probes, replies
 * (see http.h).
 *
 * libmicrohttpd runs one thread per connection (MHD_USE_THREAD_PER_CONNECTION),
 * which lets a POST wait for its tool call and an SSE reader wait for its
 * next message by simply blocking, as the MHD manual's "Flow control"
 * chapter allows for this mode only. Every request is checked in the same
 * order: public probes and OAuth discovery first, then Host/Origin (403),
 * the API key (401), then the endpoint's own checks. A reaper thread
 * expires idle sessions, drops finished streams and closes connections
 * that did not deliver a request in time (http_conns.c); libmicrohttpd
 * itself caps the connections in total and per client address.
 */
#include "mcp/http_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/log.h"
#include "version.h"

/* ---- replies ---------------------------------------------------------------- */

enum MHD_Result http_reply(struct MHD_Connection *c, unsigned status,
			   const char *ctype, const char *text,
			   const char *const *headers)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;
	size_t i;

	resp = MHD_create_response_from_buffer(text ? strlen(text) : 0, (void *)(text ? text : ""),
					       MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	if (ctype)
		MHD_add_response_header(resp, "Content-Type", ctype);
	for (i = 0; headers && headers[i] && headers[i + 1]; i += 2)
		MHD_add_response_header(resp, headers[i], headers[i + 1]);
	rc = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

enum MHD_Result http_reply_rpc_error(struct MHD_Connection *c, unsigned status,
				     int code, const char *message, long retry_after)
{
	json_t *body = json_pack("{s:s, s:n, s:{s:i, s:s}}", "jsonrpc", "2.0", "id", "error",
				 "code", code, "message", message);
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	char ra[32];
	const char *hdrs[] = { "Retry-After", ra, NULL, NULL };
	enum MHD_Result rc;

	snprintf(ra, sizeof(ra), "%ld", retry_after);
	rc = http_reply(c, status, "application/json", text ? text : "{}",
			retry_after > 0 ? hdrs : NULL);
	free(text);
	json_decref(body);
	return rc;
}

static enum MHD_Result reply_json(struct MHD_Connection *c, unsigned status, json_t *obj)
{
	char *text = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
	const char *hdrs[] = { "Cache-Control", "no-store", NULL };
	enum MHD_Result rc = http_reply(c, status, "application/json", text ? text : "{}", hdrs);

	free(text);
	json_decref(obj);
	return rc;
}

/* ---- small helpers ------------------------------------------------------------ */

const char *http_header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

int http_conn_fd(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);

	return ci ? ci->connect_fd : -1;
}

void http_client_addr(struct MHD_Connection *c, char *out, size_t cap)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, cap, "unknown");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  (socklen_t)cap);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  out, (socklen_t)cap);
}

/* Non-zero when needle occurs in hay, ignoring ASCII case. */
static int contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

int http_accepts(struct MHD_Connection *c, const char *type)
{
	const char *accept = http_header(c, "Accept");

	if (!accept)
		return 0;
	return contains_nocase(accept, type) || strstr(accept, "*/*") != NULL;
}

void http_rate_key(const mcp_http *h, struct MHD_Connection *c, int key_index,
		   char *out, size_t cap)
{
	char addr[64];

	(void)h;
	if (key_index >= 0) {
		snprintf(out, cap, "key:%d", key_index);
		return;
	}
	http_client_addr(c, addr, sizeof(addr));
	snprintf(out, cap, "addr:%s", addr);
}

int http_count_messages(const json_t *body, http_msg_counts *n, char *why, size_t cap)
{
	size_t i, count = json_is_array(body) ? json_array_size(body) : 1;

	memset(n, 0, sizeof(*n));
	if (json_is_array(body) && count == 0) {
		snprintf(why, cap, "Invalid Request: empty batch");
		return -1;
	}
	for (i = 0; i < count; i++) {
		const json_t *m = json_is_array(body) ? json_array_get(body, i) : body;
		const char *method = json_string_value(json_object_get(m, "method"));

		if (!json_is_object(m)) {
			snprintf(why, cap, "Invalid Request: a message must be a JSON-RPC object");
			return -1;
		}
		if (method && json_object_get(m, "id")) {
			n->requests++;
			n->tool_calls += strcmp(method, "tools/call") == 0;
			n->initialize += strcmp(method, "initialize") == 0;
		}
	}
	return 0;
}

int http_admit_calls(mcp_http *h, struct MHD_Connection *c, http_sess *s,
		     size_t tool_calls, int key_index, enum MHD_Result *answered)
{
	char key[96], msg[200];
	long wait;

	if (!tool_calls)
		return 0;
	if (mcp_session_inflight(s->mcp) + tool_calls > h->o.max_inflight) {
		snprintf(msg, sizeof(msg), "Too many requests: this session already has %zu tool "
			 "calls in progress (limit %zu)", mcp_session_inflight(s->mcp),
			 h->o.max_inflight);
		*answered = http_reply_rpc_error(c, 429, -32000, msg, 1);
		return -1;
	}
	http_rate_key(h, c, key_index, key, sizeof(key));
	/* One budget per API key (or client address), as the tools layer
	 * keeps one per target mailbox: no global bucket. */
	wait = h->rate ? ratelimit_take_n(h->rate, key, (long)tool_calls, ratelimit_now_ms()) : 0;
	if (wait > 0) {
		wait = (wait + 999) / 1000; /* Retry-After is in seconds */
		snprintf(msg, sizeof(msg), "Rate limit exceeded: at most %ld tool calls per minute; "
			 "retry after %ld s", h->o.rate_limit_per_minute, wait);
		log_info("HTTP", "rate limit reached for %s", key);
		*answered = http_reply_rpc_error(c, 429, -32000, msg, wait);
		return -1;
	}
	return 0;
}

/* ---- probes ------------------------------------------------------------------- */

static enum MHD_Result probe(mcp_http *h, struct MHD_Connection *c, const char *url)
{
	char why[256] = "";

	if (strcmp(url, "/livez") == 0)
		return reply_json(c, 200, json_pack("{s:s}", "status", "ok"));
	if (strcmp(url, "/readyz") == 0) {
		int ready = !atomic_load(&h->draining) &&
			    (!h->o.ready || h->o.ready(h->o.ready_payload, why, sizeof(why)));

		if (atomic_load(&h->draining))
			snprintf(why, sizeof(why), "shutting down");
		if (ready)
			return reply_json(c, 200, json_pack("{s:s}", "status", "ready"));
		return reply_json(c, 503, json_pack("{s:s, s:s}", "status", "not ready",
						    "reason", why[0] ? why : "not ready yet"));
	}
	return reply_json(c, 200, json_pack("{s:s, s:s, s:s, s:I, s:I}", "status", "ok",
					    "name", EWS_MCP_NAME, "version", EWS_MCP_VERSION,
					    "tools", (json_int_t)h->tool_count,
					    "sessions", (json_int_t)mcp_http_session_count(h)));
}

/* ---- routing -------------------------------------------------------------------- */

static void count_request(mcp_http *h, http_req *r, int delta)
{
	if (delta > 0 && !r->counted) {
		atomic_fetch_add(&h->active, 1);
		r->counted = 1;
	} else if (delta < 0 && r->counted) {
		atomic_fetch_sub(&h->active, 1);
		r->counted = 0;
	}
}

static enum MHD_Result route(mcp_http *h, struct MHD_Connection *c, const char *url,
			     const char *method, http_req *r)
{
	const char *allow_hdr[] = { "Allow", "GET, POST, DELETE", NULL };
	const char *auth_hdr[] = { "WWW-Authenticate", "Bearer realm=\"ews-mcp\"", NULL };
	char why[256];
	int key_index = -1;

	if (strcmp(url, "/health") == 0 || strcmp(url, "/livez") == 0 ||
	    strcmp(url, "/readyz") == 0) {
		if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
			return http_reply(c, 405, "text/plain", "Method Not Allowed\n",
					  (const char *const[]){ "Allow", "GET", NULL });
		return probe(h, c, url);
	}
	/* No OAuth here: answering discovery with 404 keeps clients from
	 * starting an authorization flow that cannot succeed. */
	if (strncmp(url, "/.well-known/oauth-", 19) == 0)
		return http_reply(c, 404, "text/plain", "Not Found\n", NULL);
	if (strcmp(url, "/mcp") != 0 && strcmp(url, "/sse") != 0 && strcmp(url, "/messages") != 0)
		return http_reply(c, 404, "text/plain", "Not Found\n", NULL);

	if (http_check_origin(h, c, why, sizeof(why)) < 0) {
		char addr[64];

		http_client_addr(c, addr, sizeof(addr));
		log_warning("HTTP", "%s %s from %s refused: %s", method, url, addr, why);
		return http_reply_rpc_error(c, 403, -32000, why, 0);
	}
	if (http_check_api_key(h, c, &key_index) < 0)
		return http_reply(c, 401, "application/json",
				  "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,"
				  "\"message\":\"Unauthorized: send the API key as Authorization: "
				  "Bearer <key>, X-API-Key or ?api_key=\"}}", auth_hdr);
	if (atomic_load(&h->draining))
		return http_reply_rpc_error(c, 503, -32000, "Server is shutting down", 5);
	if (r->too_large) {
		snprintf(why, sizeof(why), "Request body too large (limit %zu bytes)", h->o.max_body);
		return http_reply_rpc_error(c, 413, -32001, why, 0);
	}

	if (strcmp(url, "/mcp") == 0) {
		if (strcmp(method, "POST") && strcmp(method, "GET") && strcmp(method, "DELETE"))
			return http_reply(c, 405, "text/plain", "Method Not Allowed\n", allow_hdr);
		return http_mcp_handle(h, c, method, r, key_index);
	}
	if (strcmp(url, "/sse") == 0) {
		if (strcmp(method, "GET") != 0)
			return http_reply(c, 405, "text/plain", "Method Not Allowed\n",
					  (const char *const[]){ "Allow", "GET", NULL });
		return http_legacy_sse(h, c);
	}
	if (strcmp(method, "POST") != 0)
		return http_reply(c, 405, "text/plain", "Method Not Allowed\n",
				  (const char *const[]){ "Allow", "POST", NULL });
	return http_legacy_post(h, c, r, key_index);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload, size_t *upload_size, void **con_cls)
{
	mcp_http *h = cls;
	http_req *r = *con_cls;

	(void)version;
	if (!r) {
		const char *cl = http_header(c, "Content-Length");

		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		r->body = (buf)BUF_INIT(h->o.max_body);
		*con_cls = r;
		/* The headers are in; the body has its own deadline. */
		r->conn = http_conn_of(c);
		http_conn_phase(h, r->conn, HTTP_CONN_BODY);
		count_request(h, r, 1);
		if ((size_t)atomic_load(&h->active) > h->o.max_connections)
			return http_reply_rpc_error(c, 503, -32000,
						    "Server busy: too many concurrent requests", 1);
		/* Refuse an announced oversized body before reading it. */
		if (cl && strtoull(cl, NULL, 10) > h->o.max_body)
			r->too_large = 1;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->too_large && buf_put(&r->body, upload, *upload_size) < 0)
			r->too_large = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	http_conn_phase(h, r->conn, HTTP_CONN_BUSY);
	return route(h, c, url, method, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	mcp_http *h = cls;
	http_req *r = *con_cls;

	(void)c; (void)toe;
	if (!r)
		return;
	count_request(h, r, -1);
	/* Keep-alive from here: the idle timeout applies until the next byte. */
	http_conn_phase(h, r->conn, HTTP_CONN_IDLE);
	buf_dispose(&r->body);
	free(r);
	*con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_debug("HTTP", "libmicrohttpd: %s", line);
}

/* ---- lifecycle ------------------------------------------------------------------ */

static void *reaper_main(void *arg)
{
	mcp_http *h = arg;
	struct timespec ts;

	pthread_mutex_lock(&h->reap_lock);
	while (h->reaper_running) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += 250 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&h->reap_cond, &h->reap_lock, &ts);
		if (!h->reaper_running)
			break;
		pthread_mutex_unlock(&h->reap_lock);
		http_conns_enforce(h);
		http_sessions_reap(h);
		pthread_mutex_lock(&h->reap_lock);
	}
	pthread_mutex_unlock(&h->reap_lock);
	return NULL;
}

/* Splits a comma-separated list into trimmed, non-empty strings. */
static int split_list(char ***out, size_t *n, const char *text)
{
	char *copy, *tok, *save = NULL;
	char **v = NULL;

	*out = NULL;
	*n = 0;
	if (!text || !*text)
		return 0;
	copy = strdup(text);
	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char **grown;
		size_t len;

		while (*tok == ' ' || *tok == '\t')
			tok++;
		len = strlen(tok);
		while (len && (tok[len - 1] == ' ' || tok[len - 1] == '\t' || tok[len - 1] == '/'))
			tok[--len] = '\0';
		if (!len)
			continue;
		grown = realloc(v, (*n + 1) * sizeof(*v));
		if (!grown || !(grown[*n] = strdup(tok))) {
			free(grown ? grown : v);
			free(copy);
			return -1;
		}
		v = grown;
		(*n)++;
	}
	free(copy);
	*out = v;
	return 0;
}

static void free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Resolves host:port (numeric addresses and names) to the socket address
 * to bind, the first answer. *loopback is 1 only when every answer is a
 * loopback address: the spelling of MCP_HOST proves nothing (a name like
 * 127.0.0.1.evil.example may resolve anywhere), and one lookup serves
 * both the check and the bind, so they cannot disagree. On failure
 * *loopback is 0. */
static int resolve(struct sockaddr_storage *ss, int *v6, int *loopback, const char *host,
		   long port, errinfo *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	char portstr[16];
	int rc;

	*loopback = 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	snprintf(portstr, sizeof(portstr), "%ld", port);
	rc = getaddrinfo(host, portstr, &hints, &res);
	if (rc != 0 || !res)
		return errinfo_set(err, ERR_CONFIG, "MCP_HOST: cannot resolve '%s': %s "
				   "(example: MCP_HOST=127.0.0.1)", host, gai_strerror(rc));
	*loopback = 1;
	for (ai = res; ai; ai = ai->ai_next)
		if (!http_addr_is_loopback(ai->ai_addr))
			*loopback = 0;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*v6 = res->ai_family == AF_INET6;
	freeaddrinfo(res);
	return 0;
}

int mcp_http_start(mcp_http **out, mcp_server *server, const mcp_http_options *opts,
		   errinfo *err)
{
	mcp_http_options d = MCP_HTTP_OPTIONS_INIT;
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *di;
	unsigned int flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD |
			     MHD_USE_THREAD_PER_CONNECTION;
	errinfo rerr = ERRINFO_INIT;
	char bracket[300];
	mcp_http *h;
	int v6 = 0, resolved;

	*out = NULL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	h->server = server;
	h->o = opts ? *opts : d;
	if (!h->o.host || !*h->o.host)
		h->o.host = d.host;
	if (h->o.port < 0 || h->o.port > 65535) {
		free(h);
		return errinfo_set(err, ERR_CONFIG, "MCP_PORT: %ld is not a port from 1 to 65535 "
				   "(example: MCP_PORT=8000)", opts->port);
	}
	if (!h->o.max_body)
		h->o.max_body = d.max_body;
	if (!h->o.max_sessions)
		h->o.max_sessions = d.max_sessions;
	if (!h->o.max_sessions_per_client)
		h->o.max_sessions_per_client = d.max_sessions_per_client;
	if (!h->o.max_inflight)
		h->o.max_inflight = d.max_inflight;
	if (!h->o.max_connections)
		h->o.max_connections = d.max_connections;
	/* One address may hold a quarter of the connections (at least 8): a
	 * single client, slow or hostile, cannot lock the others out, and a
	 * few busy agents behind one NAT still fit. */
	if (!h->o.max_connections_per_client) {
		h->o.max_connections_per_client = h->o.max_connections / 4;
		if (h->o.max_connections_per_client < 8)
			h->o.max_connections_per_client = 8;
	}
	if (h->o.header_timeout_ms <= 0)
		h->o.header_timeout_ms = d.header_timeout_ms;
	if (h->o.body_timeout_ms <= 0)
		h->o.body_timeout_ms = d.body_timeout_ms;
	if (h->o.session_idle_s <= 0)
		h->o.session_idle_s = d.session_idle_s;
	if (!h->o.replay_events)
		h->o.replay_events = d.replay_events;
	pthread_mutex_init(&h->lock, NULL);
	pthread_mutex_init(&h->reap_lock, NULL);
	pthread_mutex_init(&h->conn_lock, NULL);
	{
		pthread_condattr_t ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&h->reap_cond, &ca);
		pthread_condattr_destroy(&ca);
	}
	if (h->o.rate_limit_enabled && h->o.rate_limit_per_minute > 0 &&
	    ratelimit_new(&h->rate, h->o.rate_limit_per_minute, 60000) < 0)
		h->rate = NULL;
	h->tool_count = mcp_server_tool_count(server);
	h->host = strdup(h->o.host);
	if (!h->host || split_list(&h->keys, &h->nkeys, h->o.api_key) < 0 ||
	    split_list(&h->origins, &h->norigins, h->o.allowed_origins) < 0) {
		mcp_http_stop(h);
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	}
	h->o.host = h->host;
	h->o.api_key = NULL;
	h->o.allowed_origins = NULL;
	/* Strip brackets from "[::1]" for resolution and comparisons. */
	if (h->host[0] == '[') {
		size_t n = strcspn(h->host + 1, "]");

		memmove(h->host, h->host + 1, n);
		h->host[n] = '\0';
	}
	resolved = resolve(&ss, &v6, &h->bind_loopback, h->host, h->o.port, &rerr);
	/* Not known to be loopback (unresolvable included): the key comes first. */
	if (!h->bind_loopback && h->nkeys == 0) {
		int code = errinfo_set(err, ERR_CONFIG, "MCP_API_KEY: required when MCP_HOST is "
				       "not a loopback address (MCP_HOST=%s); set a long random key "
				       "(example: MCP_API_KEY=$(openssl rand -hex 32)) or bind "
				       "MCP_HOST=127.0.0.1", h->host);
		mcp_http_stop(h);
		return code;
	}
	if (resolved < 0) {
		int code = errinfo_set(err, rerr.code, "%s", rerr.msg);

		mcp_http_stop(h);
		return code;
	}
	if (v6)
		flags |= MHD_USE_IPv6;
	signal(SIGPIPE, SIG_IGN);
	h->daemon = MHD_start_daemon(flags, (uint16_t)h->o.port, NULL, NULL, on_request, h,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
		MHD_OPTION_NOTIFY_CONNECTION, http_conn_notify, h,
		/* Idle keep-alive only: a request's own deadlines are in http_conns.c. */
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)(h->o.connection_timeout_s > 0
							      ? h->o.connection_timeout_s : 0),
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)(h->o.max_connections + 16),
		MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned int)h->o.max_connections_per_client,
		MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned int)1,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h,
		MHD_OPTION_END);
	if (!h->daemon) {
		int code = errinfo_set(err, ERR_IO, "MCP_HOST/MCP_PORT: cannot listen on %s:%ld "
				       "(in use, or not an address of this machine)",
				       h->host, h->o.port);
		mcp_http_stop(h);
		return code;
	}
	di = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
	h->port = di ? di->port : (int)h->o.port;
	if (strchr(h->host, ':'))
		snprintf(bracket, sizeof(bracket), "[%s]", h->host);
	else
		snprintf(bracket, sizeof(bracket), "%s", h->host);
	snprintf(h->url, sizeof(h->url), "http://%s:%d/mcp", bracket, h->port);
	h->reaper_running = 1;
	if (pthread_create(&h->reaper, NULL, reaper_main, h) != 0) {
		h->reaper_running = 0;
		mcp_http_stop(h);
		return errinfo_set(err, ERR_NOMEM, "cannot start the session reaper thread");
	}
	log_info("HTTP", "MCP over HTTP at %s (legacy SSE at /sse)%s", h->url,
		 h->nkeys ? "; API key required" : "");
	*out = h;
	return 0;
}

int mcp_http_port(const mcp_http *h)
{
	return h->port;
}

const char *mcp_http_url(const mcp_http *h)
{
	return h->url;
}

size_t mcp_http_session_count(mcp_http *h)
{
	size_t n;

	pthread_mutex_lock(&h->lock);
	n = h->nsessions;
	pthread_mutex_unlock(&h->lock);
	return n;
}

static int signal_pipe[2] = { -1, -1 };

static void on_signal(int signo)
{
	int saved = errno;
	char ch = (char)signo;

	if (write(signal_pipe[1], &ch, 1) < 0) {
		/* the pipe is full: a signal is already pending */
	}
	errno = saved;
}

void mcp_http_wait_signal(mcp_http *h)
{
	struct sigaction sa, old_term, old_int;
	struct pollfd p;
	char ch;

	(void)h;
	if (signal_pipe[0] < 0) {
		if (pipe(signal_pipe) < 0)
			return;
		fcntl(signal_pipe[0], F_SETFL, O_NONBLOCK);
		fcntl(signal_pipe[1], F_SETFL, O_NONBLOCK);
		fcntl(signal_pipe[0], F_SETFD, FD_CLOEXEC);
		fcntl(signal_pipe[1], F_SETFD, FD_CLOEXEC);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGINT, &sa, &old_int);
	p.fd = signal_pipe[0];
	p.events = POLLIN;
	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	while (read(signal_pipe[0], &ch, 1) > 0)
		;
	log_info("HTTP", "termination signal received, shutting down");
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGINT, &old_int, NULL);
}

void mcp_http_stop(mcp_http *h)
{
	struct timespec start, now;

	if (!h)
		return;
	atomic_store(&h->draining, 1);
	if (h->daemon) {
		/* Calls in progress may still deliver their answers. */
		clock_gettime(CLOCK_MONOTONIC, &start);
		while (http_sessions_inflight(h) > 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if ((now.tv_sec - start.tv_sec) * 1000 +
			    (now.tv_nsec - start.tv_nsec) / 1000000 >= h->o.grace_ms)
				break;
			usleep(20 * 1000);
		}
	}
	atomic_store(&h->stop, 1);
	if (h->reaper_running) {
		pthread_mutex_lock(&h->reap_lock);
		h->reaper_running = 0;
		pthread_cond_broadcast(&h->reap_cond);
		pthread_mutex_unlock(&h->reap_lock);
		pthread_join(h->reaper, NULL);
	}
	/* Ending the sessions first wakes every blocked reader and handler,
	 * so stopping the daemon (which joins the connection threads) is
	 * prompt. */
	http_sessions_clear(h);
	if (h->daemon)
		MHD_stop_daemon(h->daemon);
	http_sessions_clear(h);
	http_conns_clear(h);
	ratelimit_free(h->rate);
	free_list(h->keys, h->nkeys);
	free_list(h->origins, h->norigins);
	free(h->host);
	pthread_mutex_destroy(&h->lock);
	pthread_mutex_destroy(&h->reap_lock);
	pthread_mutex_destroy(&h->conn_lock);
	pthread_cond_destroy(&h->reap_cond);
	free(h);
}
