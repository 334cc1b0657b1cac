/* load_bench.c - ews-mcp under load over Streamable HTTP (issue 10).
 *
 * ews-sim runs in a child process with the demo organisation (and
 * --generate N messages per mailbox); ews-mcp runs as `serve` over HTTP on
 * 127.0.0.1 against it, impersonating; this process is the clients: one
 * thread per MCP session, each initialising its own session and then
 * making its calls with libcurl the way a Streamable HTTP client does
 * (Accept: application/json, text/event-stream; answers as JSON or SSE).
 *
 * mixed (the default): SESSIONS x CALLS calls spread over three mailboxes
 * (the service account's own, alice's, bob's): read_emails, get_calendar,
 * search_contacts, list_folders and send_email. Every send carries an
 * idempotency_key; one send in four repeats the thread's previous key with
 * the same arguments, which must return the first result and send
 * nothing (--sends no: reads only). Prints calls/s, p50 and p99, protocol
 * errors (HTTP or JSON-RPC)
 * and tool errors, the sends per unique key as counted in the recipient's
 * inbox (must be exactly 1 for every key), and ews-mcp's RSS and open fds
 * before and after.
 *
 * large: LARGE calls of read_emails with max_results 1000 (the limit) on a
 * mailbox of 1,000 messages, over SESSIONS sessions; prints ews-mcp's RSS
 * after every tenth of them, to show whether memory stays flat.
 *
 * The mixed load runs ROUNDS times (default 3) with new sessions each
 * time; RSS and fds are read after each round, once the server has had a
 * second to close what the clients closed, so growth from one round to
 * the next is growth the load leaves behind.
 *
 * Exit status 1 when a check fails (errors, a key sent other than once).
 *
 * Usage: load_bench --mcp PATH --org FILE [--mode mixed|large]
 *                   [--sessions N] [--calls N] [--rounds N] [--sends no]
 *                   [--large N] [--messages N]
 */
#define _GNU_SOURCE /* strcasestr */
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/errinfo.h"
#include "sim/sim.h"

#define SVC "svc-mcp@contoso.test"
#define SVC_PASSWORD "Svc-Pass-2026!"
#define RECIPIENT "erin@contoso.test"
#define RECIPIENT_PASSWORD "Erin-Pass-2026!"

typedef struct opts {
	const char *mcp, *org, *mode;
	long sessions, calls, large, messages, rounds;
	int no_sends;
} opts;

static opts O = { NULL, NULL, "mixed", 32, 500, 10000, 1000, 3, 0 };
static char mcp_url[256], sim_url[256];
static pid_t mcp_pid, sim_pid;
static int sim_stop_fd = -1;

/* ---- the two servers ------------------------------------------------------- */

static int start_sim(void)
{
	int url_pipe[2], stop_pipe[2];
	size_t got = 0;
	ssize_t n;

	if (pipe(url_pipe) < 0 || pipe(stop_pipe) < 0)
		return -1;
	sim_pid = fork();
	if (sim_pid == 0) {
		ews_sim_options so = EWS_SIM_OPTIONS_INIT;
		errinfo e = ERRINFO_INIT;
		ews_sim *sim = NULL;
		char c;

		close(url_pipe[0]);
		close(stop_pipe[1]);
		so.org_path = O.org;
		so.generate = O.messages;
		so.quiet = 1;
		if (ews_sim_start(&sim, &so, &e) < 0) {
			dprintf(url_pipe[1], "error: %s\n", e.msg);
			_exit(1);
		}
		dprintf(url_pipe[1], "%s\n", ews_sim_url(sim));
		close(url_pipe[1]);
		while (read(stop_pipe[0], &c, 1) > 0)
			;
		ews_sim_stop(sim);
		_exit(0);
	}
	close(url_pipe[1]);
	close(stop_pipe[0]);
	sim_stop_fd = stop_pipe[1];
	while (got < sizeof(sim_url) - 1 &&
	       (n = read(url_pipe[0], sim_url + got, sizeof(sim_url) - 1 - got)) > 0)
		got += (size_t)n;
	close(url_pipe[0]);
	sim_url[got] = '\0';
	sim_url[strcspn(sim_url, "\n")] = '\0';
	return strncmp(sim_url, "http", 4) == 0 ? 0 : -1;
}

static int start_mcp(const char *dir)
{
	int out[2];
	size_t len = 0;
	char c;

	if (pipe(out) < 0)
		return -1;
	mcp_pid = fork();
	if (mcp_pid == 0) {
		char ews[300];

		dup2(out[1], 1);
		close(out[0]);
		if (chdir(dir) < 0)
			_exit(127);
		snprintf(ews, sizeof(ews), "%s/EWS/Exchange.asmx", sim_url);
		setenv("EWS_SERVER_URL", ews, 1);
		setenv("EWS_EMAIL", SVC, 1);
		setenv("EWS_AUTH_TYPE", "basic", 1);
		setenv("EWS_USERNAME", SVC, 1);
		setenv("EWS_PASSWORD", SVC_PASSWORD, 1);
		setenv("EWS_IMPERSONATION_ENABLED", "true", 1);
		setenv("MCP_TRANSPORT", "http", 1);
		setenv("MCP_HOST", "127.0.0.1", 1);
		setenv("MCP_PORT", "0", 1);
		setenv("RATE_LIMIT_ENABLED", "false", 1);
		setenv("LOG_LEVEL", "WARNING", 1);
		setenv("DATA_DIR", dir, 1);
		setenv("AUDIT_LOG_PATH", "audit.log", 1);
		execl(O.mcp, O.mcp, "serve", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	while (len + 1 < sizeof(mcp_url) && read(out[0], &c, 1) == 1 && c != '\n')
		mcp_url[len++] = c;
	mcp_url[len] = '\0';
	/* out[0] stays open: a closed pipe would kill the server on its next
	 * line of stdout. */
	return strncmp(mcp_url, "http://", 7) == 0 ? 0 : -1;
}

static void stop_all(void)
{
	if (mcp_pid > 0) {
		kill(mcp_pid, SIGTERM);
		waitpid(mcp_pid, NULL, 0);
	}
	if (sim_stop_fd >= 0)
		close(sim_stop_fd);
	if (sim_pid > 0)
		waitpid(sim_pid, NULL, 0);
}

/* ---- what ews-mcp holds ------------------------------------------------------ */

static long rss_kib(pid_t pid)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			v = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

static long open_fds(pid_t pid)
{
	char path[64];
	struct dirent *e;
	long n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/* ---- one MCP session over Streamable HTTP ------------------------------------ */

typedef struct session {
	CURL *h;
	char id[128];
	buf body, headers;
} session;

static size_t collect(char *p, size_t sz, size_t n, void *ud)
{
	buf_put(ud, p, sz * n);
	return sz * n;
}

/* POSTs a message; the JSON-RPC answer (JSON, or the data of an SSE
 * event that carries a response), or NULL with *status set. */
static json_t *post(session *s, const char *msg, long *status)
{
	struct curl_slist *hl = NULL;
	char hdr[200];
	json_t *answer = NULL;
	const char *p;

	buf_clear(&s->body);
	buf_clear(&s->headers);
	hl = curl_slist_append(hl, "Content-Type: application/json");
	hl = curl_slist_append(hl, "Accept: application/json, text/event-stream");
	hl = curl_slist_append(hl, "MCP-Protocol-Version: 2025-11-25");
	if (s->id[0]) {
		snprintf(hdr, sizeof(hdr), "Mcp-Session-Id: %s", s->id);
		hl = curl_slist_append(hl, hdr);
	}
	curl_easy_setopt(s->h, CURLOPT_URL, mcp_url);
	curl_easy_setopt(s->h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(s->h, CURLOPT_POSTFIELDS, msg);
	curl_easy_setopt(s->h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(s->h, CURLOPT_WRITEDATA, &s->body);
	curl_easy_setopt(s->h, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(s->h, CURLOPT_HEADERDATA, &s->headers);
	curl_easy_setopt(s->h, CURLOPT_TIMEOUT, 120L);
	*status = 0;
	if (curl_easy_perform(s->h) == CURLE_OK)
		curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(hl);
	if (*status != 200 || !s->body.len)
		return NULL;
	if (!s->id[0] && (p = strcasestr(buf_cstr(&s->headers), "mcp-session-id:"))) {
		p += 15;
		while (*p == ' ')
			p++;
		snprintf(s->id, sizeof(s->id), "%.*s", (int)strcspn(p, "\r\n"), p);
	}
	if (s->body.ptr[0] == '{')
		return json_loadb(s->body.ptr, s->body.len, 0, NULL);
	/* SSE: the event whose data is the response */
	for (p = buf_cstr(&s->body); (p = strstr(p, "data: ")); p += 6) {
		size_t n = strcspn(p + 6, "\r\n");
		json_t *j = n ? json_loadb(p + 6, n, 0, NULL) : NULL;

		if (j && (json_object_get(j, "result") || json_object_get(j, "error"))) {
			answer = j;
			break;
		}
		json_decref(j);
	}
	return answer;
}

static int session_open(session *s)
{
	long status;
	json_t *a;

	memset(s, 0, sizeof(*s));
	s->h = curl_easy_init();
	s->body = (buf)BUF_INIT(256u << 20);
	s->headers = (buf)BUF_INIT(1 << 16);
	a = post(s, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
		 "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
		 "\"clientInfo\":{\"name\":\"load_bench\",\"version\":\"1\"}}}", &status);
	if (!a || !s->id[0]) {
		json_decref(a);
		return -1;
	}
	json_decref(a);
	post(s, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", &status);
	return 0;
}

/* Ends the session as a client should (DELETE with its id), so the
 * server can free it at once rather than when it expires. */
static void session_close(session *s)
{
	struct curl_slist *hl = NULL;
	char hdr[200];

	snprintf(hdr, sizeof(hdr), "Mcp-Session-Id: %s", s->id);
	hl = curl_slist_append(hl, hdr);
	curl_easy_setopt(s->h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(s->h, CURLOPT_CUSTOMREQUEST, "DELETE");
	curl_easy_setopt(s->h, CURLOPT_POSTFIELDS, NULL);
	curl_easy_setopt(s->h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(s->h, CURLOPT_CUSTOMREQUEST, "DELETE");
	curl_easy_perform(s->h);
	curl_slist_free_all(hl);
	curl_easy_cleanup(s->h);
	buf_dispose(&s->body);
	buf_dispose(&s->headers);
}

/* ---- the clients --------------------------------------------------------------- */

typedef struct worker {
	pthread_t t;
	int n;
	long calls;
	double *ms;            /* one latency per call */
	long done, protocol_errors, tool_errors, sends, replays;
	int round;
	char (*keys)[48];      /* unique keys this thread used */
	long nkeys;
	char first_error[300];
} worker;

static atomic_long large_done;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static unsigned next_rand(unsigned *state)
{
	*state = *state * 1103515245u + 12345u;
	return (*state >> 16) & 0x7fff;
}

/* The arguments of call i of worker w (a heap string) and its tool. */
static char *mixed_call(worker *w, long i, unsigned *rng, const char **tool, int *is_send,
			int *is_replay)
{
	static const char *const boxes[] = { "", "alice@contoso.test", "bob@contoso.test" };
	const char *box = boxes[next_rand(rng) % 3];
	unsigned pick = next_rand(rng) % (O.no_sends ? 8 : 10);
	char target[80] = "", *out = malloc(1024);

	if (box[0])
		snprintf(target, sizeof(target), ",\"target_mailbox\":\"%s\"", box);
	*is_send = *is_replay = 0;
	if (pick < 5) {
		*tool = "read_emails";
		snprintf(out, 1024, "{\"max_results\":10%s}", target);
	} else if (pick < 6) {
		*tool = "get_calendar";
		snprintf(out, 1024, "{\"days_ahead\":14%s}", target);
	} else if (pick < 7) {
		*tool = "search_contacts";
		snprintf(out, 1024, "{\"query\":\"a\"%s}", target);
	} else if (pick < 8) {
		*tool = "list_folders";
		snprintf(out, 1024, "{\"depth\":1%s}", target);
	} else {
		/* a send; one in four repeats the previous key and arguments */
		*tool = "send_email";
		*is_send = 1;
		if (w->nkeys > 0 && next_rand(rng) % 4 == 0) {
			*is_replay = 1;
		} else {
			snprintf(w->keys[w->nkeys++], 48, "load-%d-%d-%ld", w->round, w->n, i);
		}
		snprintf(out, 1024, "{\"to\":[\"" RECIPIENT "\"],\"subject\":\"load %s\","
			 "\"body\":\"One of many.\",\"idempotency_key\":\"%s\"}",
			 w->keys[w->nkeys - 1], w->keys[w->nkeys - 1]);
	}
	return out;
}

static void *run_worker(void *arg)
{
	worker *w = arg;
	unsigned rng = 0x9e3779b9u ^ (unsigned)w->n;
	session s;
	long i;

	if (session_open(&s) < 0) {
		w->protocol_errors = w->calls;
		snprintf(w->first_error, sizeof(w->first_error), "initialize failed");
		return NULL;
	}
	for (i = 0; i < w->calls; i++) {
		const char *tool = "read_emails";
		int is_send = 0, is_replay = 0;
		char *args, *msg;
		json_t *a, *res;
		long status;
		double t0;
		size_t len;

		if (strcmp(O.mode, "large") == 0)
			args = strdup("{\"max_results\":1000,\"target_mailbox\":\"alice@contoso.test\"}");
		else
			args = mixed_call(w, i, &rng, &tool, &is_send, &is_replay);
		len = strlen(args) + 200;
		msg = malloc(len);
		snprintf(msg, len, "{\"jsonrpc\":\"2.0\",\"id\":%ld,\"method\":\"tools/call\","
			 "\"params\":{\"name\":\"%s\",\"arguments\":%s}}", i + 1, tool, args);
		t0 = now_ms();
		a = post(&s, msg, &status);
		w->ms[w->done++] = now_ms() - t0;
		res = json_object_get(a, "result");
		if (!res) {
			w->protocol_errors++;
			if (!w->first_error[0])
				snprintf(w->first_error, sizeof(w->first_error),
					 "%s: HTTP %ld %.200s", tool, status,
					 buf_cstr(&s.body));
		} else if (json_is_true(json_object_get(res, "isError"))) {
			w->tool_errors++;
			if (!w->first_error[0]) {
				char *t = json_dumps(json_object_get(res, "structuredContent"),
						     JSON_COMPACT);

				snprintf(w->first_error, sizeof(w->first_error), "%s: %.250s",
					 tool, t ? t : "?");
				free(t);
			}
		} else {
			w->sends += is_send && !is_replay;
			w->replays += is_replay;
		}
		json_decref(a);
		free(msg);
		free(args);
		atomic_fetch_add(&large_done, 1);
	}
	session_close(&s);
	return NULL;
}

/* ---- checks ---------------------------------------------------------------- */

/* How often each key's subject is in the recipient's inbox: the number of
 * keys found other than exactly once, or -1 if the inbox cannot be read. */
static long keys_not_once(worker *ws, long nw, long *unique)
{
	static const char find[] =
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>"
		"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\""
		" xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\""
		" xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
		"<soap:Header><t:RequestServerVersion Version=\"Exchange2016\"/></soap:Header>"
		"<soap:Body><m:FindItem Traversal=\"Shallow\"><m:ItemShape>"
		"<t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>"
		"<t:FieldURI FieldURI=\"item:Subject\"/></t:AdditionalProperties></m:ItemShape>"
		"<m:IndexedPageItemView MaxEntriesReturned=\"100000\" Offset=\"0\" BasePoint=\"Beginning\"/>"
		"<m:Restriction><t:Contains ContainmentMode=\"Prefixed\" ContainmentComparison=\"Exact\">"
		"<t:FieldURI FieldURI=\"item:Subject\"/><t:Constant Value=\"load load-\"/>"
		"</t:Contains></m:Restriction><m:ParentFolderIds>"
		"<t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds></m:FindItem>"
		"</soap:Body></soap:Envelope>";
	buf out = BUF_INIT(256u << 20);
	struct curl_slist *hl = curl_slist_append(NULL, "Content-Type: text/xml; charset=utf-8");
	CURL *h = curl_easy_init();
	char url[300], pat[80];
	long bad = 0, i, k;
	CURLcode rc;

	snprintf(url, sizeof(url), "%s/EWS/Exchange.asmx", sim_url);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, find);
	curl_easy_setopt(h, CURLOPT_USERPWD, RECIPIENT ":" RECIPIENT_PASSWORD);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
	rc = curl_easy_perform(h);
	curl_slist_free_all(hl);
	curl_easy_cleanup(h);
	*unique = 0;
	if (rc != CURLE_OK || !strstr(buf_cstr(&out), "NoError")) {
		buf_dispose(&out);
		return -1;
	}
	for (i = 0; i < nw; i++)
		for (k = 0; k < ws[i].nkeys; k++) {
			const char *p = buf_cstr(&out);
			int n = 0;

			snprintf(pat, sizeof(pat), ">load %s<", ws[i].keys[k]);
			while ((p = strstr(p, pat))) {
				n++;
				p += strlen(pat);
			}
			bad += n != 1;
			(*unique)++;
		}
	buf_dispose(&out);
	return bad;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void *rss_sampler(void *arg)
{
	long total = *(long *)arg, step = total / 10 > 0 ? total / 10 : 1, next = step;

	while (atomic_load(&large_done) < total) {
		if (atomic_load(&large_done) >= next) {
			printf("  after %6ld large reads: RSS %6.1f MiB, fds %ld\n", next,
			       rss_kib(mcp_pid) / 1024.0, open_fds(mcp_pid));
			fflush(stdout);
			next += step;
		}
		usleep(20000);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/ews-load-XXXXXX";
	worker *ws;
	double *all, t0, elapsed;
	long i, n = 0, perr = 0, terr = 0, sends = 0, replays = 0, unique = 0, bad;
	long rss0, fds0, rss1 = 0, fds1 = 0, per;
	int large, failed = 0, a, round;
	pthread_t sampler;

	for (a = 1; a + 1 < argc; a += 2) {
		if (strcmp(argv[a], "--mcp") == 0) O.mcp = argv[a + 1];
		else if (strcmp(argv[a], "--org") == 0) O.org = argv[a + 1];
		else if (strcmp(argv[a], "--mode") == 0) O.mode = argv[a + 1];
		else if (strcmp(argv[a], "--sessions") == 0) O.sessions = atol(argv[a + 1]);
		else if (strcmp(argv[a], "--calls") == 0) O.calls = atol(argv[a + 1]);
		else if (strcmp(argv[a], "--large") == 0) O.large = atol(argv[a + 1]);
		else if (strcmp(argv[a], "--messages") == 0) O.messages = atol(argv[a + 1]);
		else if (strcmp(argv[a], "--rounds") == 0) O.rounds = atol(argv[a + 1]);
		else if (strcmp(argv[a], "--sends") == 0) O.no_sends = strcmp(argv[a + 1], "no") == 0;
	}
	large = strcmp(O.mode, "large") == 0;
	if (!O.mcp || !O.org || O.sessions < 1 || O.sessions > 256 || O.calls < 1 ||
	    O.large < 1 || (!large && strcmp(O.mode, "mixed") != 0)) {
		fprintf(stderr, "usage: load_bench --mcp PATH --org FILE [--mode mixed|large] "
			"[--sessions 1-256] [--calls N] [--large N] [--messages N]\n");
		return 2;
	}
	{
		static char mcp_abs[4096];

		/* the server runs in its own folder: a relative path would miss */
		if (!realpath(O.mcp, mcp_abs)) {
			fprintf(stderr, "load_bench: %s: %s\n", O.mcp, strerror(errno));
			return 2;
		}
		O.mcp = mcp_abs;
	}
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (!mkdtemp(dir) || start_sim() < 0 || start_mcp(dir) < 0) {
		fprintf(stderr, "load_bench: cannot start ews-sim (%s) or ews-mcp (%s)\n",
			sim_url, mcp_url);
		stop_all();
		return 1;
	}
	per = large ? (O.large + O.sessions - 1) / O.sessions : O.calls;
	ws = calloc((size_t)O.sessions, sizeof(*ws));
	all = calloc((size_t)(per * O.sessions) + 1, sizeof(double));
	for (i = 0; i < O.sessions; i++) {
		ws[i].ms = calloc((size_t)per + 1, sizeof(double));
		ws[i].keys = calloc((size_t)per * (size_t)O.rounds + 1, sizeof(*ws[i].keys));
	}
	rss0 = rss_kib(mcp_pid);
	fds0 = open_fds(mcp_pid);
	printf("ews-mcp at start: RSS %.1f MiB, open fds %ld\n", rss0 / 1024.0, fds0);
	for (round = 1; round <= (large ? 1 : O.rounds); round++) {
		long nkeys_before = 0;

		if (large)
			pthread_create(&sampler, NULL, rss_sampler, &O.large);
		n = perr = terr = 0;
		t0 = now_ms();
		for (i = 0; i < O.sessions; i++) {
			ws[i].n = (int)i;
			ws[i].calls = large ? (i == O.sessions - 1 ? O.large - per * (O.sessions - 1)
							      : per)
					    : per;
			if (ws[i].calls < 0)
				ws[i].calls = 0;
			ws[i].done = ws[i].protocol_errors = ws[i].tool_errors = 0;
			ws[i].round = round;
			nkeys_before += ws[i].nkeys;
			pthread_create(&ws[i].t, NULL, run_worker, &ws[i]);
		}
		for (i = 0; i < O.sessions; i++)
			pthread_join(ws[i].t, NULL);
		elapsed = now_ms() - t0;
		if (large)
			pthread_join(sampler, NULL);
		sleep(1);  /* let the server close what the clients closed */
		rss1 = rss_kib(mcp_pid);
		fds1 = open_fds(mcp_pid);
		for (i = 0; i < O.sessions; i++) {
			memcpy(all + n, ws[i].ms, (size_t)ws[i].done * sizeof(double));
			n += ws[i].done;
			perr += ws[i].protocol_errors;
			terr += ws[i].tool_errors;
			if (ws[i].first_error[0] && !failed) {
				fprintf(stderr, "first error: %s\n", ws[i].first_error);
				failed = 1;
			}
		}
		qsort(all, (size_t)n, sizeof(double), cmp_double);
		printf("%s round %d: %ld sessions, %ld calls in %.1f s: %.0f calls/s, p50 %.2f "
		       "ms, p99 %.2f ms; errors: %ld protocol, %ld tool; ews-mcp RSS %.1f MiB, "
		       "open fds %ld\n", O.mode, round, O.sessions, n, elapsed / 1000.0,
		       n / (elapsed / 1000.0), n ? all[n / 2] : 0, n ? all[(n * 99) / 100] : 0,
		       perr, terr, rss1 / 1024.0, fds1);
		fflush(stdout);
		failed |= perr != 0 || terr != 0;
		(void)nkeys_before;
	}
	for (i = 0; i < O.sessions; i++) {
		sends += ws[i].sends;
		replays += ws[i].replays;
	}
	if (!large) {
		bad = keys_not_once(ws, O.sessions, &unique);
		printf("sends: %ld unique keys, %ld repeats answered from the ledger; keys "
		       "delivered other than exactly once: %ld (sends per unique key %s)\n",
		       unique, replays, bad, bad == 0 ? "1.00" : "NOT 1");
		failed |= bad != 0 || unique != sends;
	}
	printf("ews-mcp RSS %.1f -> %.1f MiB, open fds %ld -> %ld\n", rss0 / 1024.0,
	       rss1 / 1024.0, fds0, fds1);
	for (i = 0; i < O.sessions; i++) {
		free(ws[i].ms);
		free(ws[i].keys);
	}
	free(ws);
	free(all);
	stop_all();
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "load_bench: could not remove %s\n", dir);
	}
	curl_global_cleanup();
	return failed;
}
