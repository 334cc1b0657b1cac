/* http_testkit.h - helpers for the HTTP transport tests (test_http*.c): a
 * server with test tools on 127.0.0.1:0, libcurl requests that capture the
 * status, headers and body, and a raw socket client for streams a test
 * wants to read partly and then abandon. Header-only (static functions),
 * since every test_*.c is its own program. */
#ifndef INCLUDE_http_testkit_h__
#define INCLUDE_http_testkit_h__

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "mcp/http.h"
#include "mcp/registry.h"
#include "mcp/server.h"

static atomic_int tk_cancelled;  /* slow calls that saw their cancellation */
static atomic_int tk_finished;   /* slow calls that ran to the end */
static atomic_int tk_started;    /* slow calls that began to run */
static atomic_int tk_release;    /* set: running slow calls end at once */

static inline void tk_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* echo: {"success":true,"who":<args.who>} at once. */
static inline int tk_echo(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	(void)call; (void)err;
	*out = json_pack("{s:b, s:O}", "success", 1, "who",
			 json_object_get(args, "who") ? json_object_get(args, "who") : json_null());
	return 0;
}

/* slow: up to args.ms (default 3000) in 20 ms slices, stopping when cancelled
 * or released (tk_release), which then counts as running to the end. */
static inline int tk_slow(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	json_int_t ms = json_integer_value(json_object_get(args, "ms"));
	json_int_t waited = 0;

	atomic_fetch_add(&tk_started, 1);
	if (ms <= 0)
		ms = 3000;
	while (waited < ms && !atomic_load(&tk_release)) {
		if (tool_call_cancelled(call)) {
			atomic_fetch_add(&tk_cancelled, 1);
			return errinfo_set(err, ERR_CANCELLED, "cancelled");
		}
		tk_sleep_ms(20);
		waited += 20;
	}
	atomic_fetch_add(&tk_finished, 1);
	*out = json_pack("{s:b}", "success", 1);
	return 0;
}

/* chatty: a log message and progress, args.ms of work, then the answer. */
static inline int tk_chatty(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	json_int_t ms = json_integer_value(json_object_get(args, "ms"));

	(void)err;
	tool_call_log(call, LOG_LEVEL_INFO, "working");
	tool_call_progress(call, 1, 2, "half way");
	tk_sleep_ms(ms > 0 ? (long)ms : 10);
	*out = json_pack("{s:b, s:s}", "success", 1, "done", "yes");
	return 0;
}

static const tool_def tk_defs[] = {
	{ "echo", NULL, "Echoes who", "{\"type\":\"object\",\"properties\":{\"who\":"
	  "{\"type\":\"string\"}}}", NULL, 0, tk_echo },
	{ "slow", NULL, "Takes a while", "{\"type\":\"object\",\"properties\":{\"ms\":"
	  "{\"type\":\"integer\"}}}", NULL, 0, tk_slow },
	{ "chatty", NULL, "Logs and reports progress", "{\"type\":\"object\",\"properties\":"
	  "{\"ms\":{\"type\":\"integer\"}}}", NULL, 0, tk_chatty },
};
static const toolset tk_set = { tk_defs, 3 };

typedef struct tk_server {
	mcp_registry *reg;
	mcp_server *server;
	mcp_http *http;
	char base[128];            /* http://127.0.0.1:PORT */
	int port;
} tk_server;

/* The progress heartbeat of servers tk_start starts (0: off). */
static long tk_progress_ms;

static inline void tk_start(tk_server *t, const mcp_http_options *o)
{
	const toolset *sets[] = { &tk_set };
	mcp_server_options so = MCP_SERVER_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;

	memset(t, 0, sizeof(*t));
	assert_int_equal(mcp_registry_new(&t->reg, sets, 1, &err), 0);
	so.registry = t->reg;
	so.workers = 8;
	so.progress_interval_ms = tk_progress_ms;
	assert_int_equal(mcp_server_new(&t->server, &so, &err), 0);
	if (mcp_http_start(&t->http, t->server, o, &err) != 0)
		fail_msg("mcp_http_start: %s", err.msg);
	t->port = mcp_http_port(t->http);
	snprintf(t->base, sizeof(t->base), "http://127.0.0.1:%d", t->port);
}

static inline void tk_stop(tk_server *t)
{
	mcp_http_stop(t->http);
	mcp_server_free(t->server);
	mcp_registry_free(t->reg);
}

/* A base set of options for tests: loopback, port 0, quick timers. */
static inline mcp_http_options tk_options(void)
{
	mcp_http_options o = MCP_HTTP_OPTIONS_INIT;

	o.host = "127.0.0.1";
	o.port = 0;
	o.keepalive_s = 1;
	o.grace_ms = 2000;
	return o;
}

/* ---- libcurl requests ---------------------------------------------------- */

typedef struct tk_resp {
	long status;
	buf headers;
	buf body;
} tk_resp;

static inline size_t tk_collect(char *p, size_t size, size_t n, void *userdata)
{
	buf_put(userdata, p, size * n);
	return size * n;
}

/* A header's value (first occurrence) into out, or "" when absent. */
static const char *tk_header(const tk_resp *r, const char *name, char *out, size_t cap)
{
	const char *p = buf_cstr(&r->headers);
	size_t n = strlen(name);

	out[0] = '\0';
	for (; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			size_t len;

			p += n + 1;
			while (*p == ' ')
				p++;
			len = strcspn(p, "\r\n");
			if (len >= cap)
				len = cap - 1;
			memcpy(out, p, len);
			out[len] = '\0';
			break;
		}
	}
	return out;
}

static inline void tk_resp_dispose(tk_resp *r)
{
	buf_dispose(&r->headers);
	buf_dispose(&r->body);
}

/* Sends method url with body (may be NULL) and extra headers (NULL-
 * terminated list of "Name: value"). Fills r (dispose it). */
static inline void tk_request(tk_resp *r, const char *method, const char *url, const char *body,
		       const char *const *headers)
{
	CURL *c = curl_easy_init();
	struct curl_slist *hl = NULL;
	size_t i;

	r->status = 0;
	r->headers = (buf)BUF_INIT(1 << 20);
	r->body = (buf)BUF_INIT(8 << 20);
	for (i = 0; headers && headers[i]; i++)
		hl = curl_slist_append(hl, headers[i]);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, tk_collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, tk_collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r->headers);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
}

#define TK_JSON "Content-Type: application/json"
#define TK_ACCEPT "Accept: application/json, text/event-stream"

static const char tk_init_body[] =
	"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
	"\"protocolVersion\":\"%s\",\"capabilities\":{},"
	"\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}";

/* POSTs to /mcp with the session id (sid may be NULL) and the usual headers. */
static inline void tk_post(tk_resp *r, const tk_server *t, const char *sid, const char *body,
		    const char *extra)
{
	char url[256], sh[128];
	const char *h[5] = { TK_JSON, TK_ACCEPT, NULL, NULL, NULL };
	int n = 2;

	snprintf(url, sizeof(url), "%s/mcp", t->base);
	if (sid) {
		snprintf(sh, sizeof(sh), "Mcp-Session-Id: %s", sid);
		h[n++] = sh;
	}
	if (extra)
		h[n++] = extra;
	tk_request(r, "POST", url, body, h);
}

/* initialize + notifications/initialized; the session id into sid. */
static inline void tk_open_session(const tk_server *t, const char *version, char *sid, size_t cap)
{
	char body[512];
	tk_resp r;

	snprintf(body, sizeof(body), tk_init_body, version);
	tk_post(&r, t, NULL, body, NULL);
	assert_int_equal(r.status, 200);
	tk_header(&r, "Mcp-Session-Id", sid, cap);
	assert_int_equal(strlen(sid), 32);
	tk_resp_dispose(&r);
	tk_post(&r, t, sid, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
		NULL);
	assert_int_equal(r.status, 202);
	tk_resp_dispose(&r);
}

/* ---- raw sockets: requests whose answer a test reads only in part ---------- */

static inline int tk_connect(int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* Sends an HTTP/1.1 request (body may be NULL). */
static inline int tk_raw_send(int port, const char *method, const char *path, const char *headers,
		       const char *body)
{
	int fd = tk_connect(port);
	char req[8192];
	int n;

	n = snprintf(req, sizeof(req), "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%s"
		     "Content-Length: %zu\r\n\r\n%s", method, path, port, headers ? headers : "",
		     body ? strlen(body) : 0, body ? body : "");
	assert_int_equal(write(fd, req, (size_t)n), n);
	return fd;
}

/* Reads into b until it contains needle or timeout_ms pass. 1 when found. */
static inline int tk_raw_read_until(int fd, buf *b, const char *needle, long timeout_ms)
{
	struct timespec start, now;
	char chunk[4096];

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		long left;
		ssize_t n;

		if (b->len && strstr(buf_cstr(b), needle))
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = timeout_ms - ((now.tv_sec - start.tv_sec) * 1000 +
				     (now.tv_nsec - start.tv_nsec) / 1000000);
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return 0;
		n = read(fd, chunk, sizeof(chunk));
		if (n <= 0)
			return b->len && strstr(buf_cstr(b), needle) != NULL;
		buf_put(b, chunk, (size_t)n);
	}
}

/* Waits up to timeout_ms for *counter to reach want. */
static inline int tk_wait_count(atomic_int *counter, int want, long timeout_ms)
{
	long waited = 0;

	while (atomic_load(counter) < want && waited < timeout_ms) {
		tk_sleep_ms(10);
		waited += 10;
	}
	return atomic_load(counter) >= want;
}

#endif
