/* ews_bench.c - EWS client benchmark (issue 4): what our client (src/ews)
 * costs on top of the HTTP exchange itself, and how much memory it needs
 * for a large read.
 *
 * ews-sim runs in a child process (so its memory and CPU are not counted
 * as the client's) with a one-user org and --generate N messages.
 *
 * Overhead: ews_find_item (a page of 50, newest first, IdOnly + a few
 * properties) and ews_get_item (those 50 ids, Default shape, text body)
 * through an ews_client with Basic auth, against a raw libcurl POST of the
 * very same request body (captured with the client's request hook) on a
 * bare keep-alive handle that only collects the answer. Client and raw
 * calls alternate, so drift in the sim affects both alike. Prints p50/p99
 * of each and the ratios client/raw: the client's share is request
 * building, retry/gate bookkeeping and parsing the answer into JSON.
 *
 * Memory: the growth of this process's peak RSS (VmHWM, reset through
 * /proc/self/clear_refs when the kernel allows, otherwise measured first
 * in a fresh process) while reading 1,000 items the way a tool does:
 * FindItem pages of 100 (IndexedPageItemView) collecting the ids, then
 * GetItem in batches of 100, keeping all 1,000 item objects in one JSON
 * array until the end.
 *
 * Usage: ews_bench --org FILE [--user SMTP --password PW]
 *                  [--iterations N] [--warmup N] [--messages N]
 */
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/errinfo.h"
#include "core/log.h"
#include "ews/client.h"
#include "ews/mailbox.h"
#include "ews/ops.h"
#include "sim/sim.h"

#define PAGE 50
#define MEM_PAGE 100
#define CAPTURE_CAP (16u * 1024u * 1024u)

typedef struct opts {
	const char *org;
	const char *user;
	const char *password;
	long iterations, warmup, messages;
} opts;

/* The sim child: its pid, its URL, and the pipe whose closing stops it. */
typedef struct sim_child {
	pid_t pid;
	int stop_fd;
	char url[256];
} sim_child;

/* What the request hook captured: the last body sent for op. */
typedef struct capture {
	const char *op;
	buf body;
} capture;

static const char *const page_fields[] = { "item:Subject",
	"item:DateTimeReceived", "message:From", "message:IsRead" };

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- the sim in a child process ---- */

/* Forks; the child starts the sim, reports its URL on a pipe, serves
 * until the parent closes stop_fd (or exits), then stops it. */
static int sim_child_start(sim_child *out, const opts *o, errinfo *err)
{
	int url_pipe[2], stop_pipe[2];
	ssize_t n;
	size_t got = 0;

	memset(out, 0, sizeof(*out));
	out->stop_fd = -1;
	if (pipe(url_pipe) < 0 || pipe(stop_pipe) < 0)
		return errinfo_set(err, ERR_IO, "pipe: %s", strerror(errno));
	out->pid = fork();
	if (out->pid < 0)
		return errinfo_set(err, ERR_IO, "fork: %s", strerror(errno));
	if (out->pid == 0) {
		ews_sim_options so = EWS_SIM_OPTIONS_INIT;
		errinfo e = ERRINFO_INIT;
		ews_sim *sim = NULL;
		char c;

		close(url_pipe[0]);
		close(stop_pipe[1]);
		so.org_path = o->org;
		so.generate = o->messages;
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
	out->stop_fd = stop_pipe[1];
	while (got < sizeof(out->url) - 1 &&
	       (n = read(url_pipe[0], out->url + got, sizeof(out->url) - 1 - got)) > 0)
		got += (size_t)n;
	close(url_pipe[0]);
	out->url[got] = '\0';
	out->url[strcspn(out->url, "\n")] = '\0';
	if (strncmp(out->url, "http", 4) != 0)
		return errinfo_set(err, ERR_IO, "ews-sim did not start: %s",
				   got ? out->url : "no answer");
	return 0;
}

static void sim_child_stop(sim_child *s)
{
	if (s->stop_fd >= 0)
		close(s->stop_fd);
	if (s->pid > 0)
		waitpid(s->pid, NULL, 0);
	s->stop_fd = -1;
	s->pid = 0;
}

/* ---- measuring ---- */

/* A "VmRSS:"-style field of /proc/self/status in KiB, -1 if unknown. */
static long status_kib(const char *field)
{
	char line[256];
	size_t fl = strlen(field);
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, field, fl) == 0) {
			v = strtol(line + fl, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* Resets VmHWM to the current RSS (Linux >= 4.0); 0 on success. */
static int reset_peak(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");
	int ok;

	if (!f)
		return -1;
	ok = fputs("5", f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double percentile(double *v, size_t n, int q)
{
	size_t i;

	qsort(v, n, sizeof(*v), cmp_double);
	i = n * (size_t)q / 100;
	return v[i < n ? i : n - 1];
}

/* ---- the client ---- */

static void on_request(const char *op, const char *body, size_t len,
		       void *payload)
{
	capture *c = payload;

	if (c->op && strcmp(op, c->op) == 0) {
		buf_clear(&c->body);
		buf_put(&c->body, body, len);
	}
}

static int client_open(ews_client **c, ews_mailbox **mb, const char *url,
		       const opts *o, capture *cap, errinfo *err)
{
	ews_client_options co = EWS_CLIENT_OPTIONS_INIT;
	char endpoint[300];
	int rc;

	snprintf(endpoint, sizeof(endpoint), "%s/EWS/Exchange.asmx", url);
	co.url = endpoint;
	co.primary_smtp = o->user;
	co.auth_type = EWS_AUTH_BASIC;
	co.username = o->user;
	co.password = o->password;
	co.request_hook = on_request;
	co.request_hook_payload = cap;
	rc = ews_client_new(c, &co, err);
	if (rc == 0)
		rc = ews_mailbox_resolve(mb, *c, NULL, err);
	return rc;
}

/* One FindItem page of the Inbox, newest first. */
static int find_page(json_t **out, const ews_ctx *ctx, int max, int offset,
		     errinfo *err)
{
	soap_folder_ref inbox = { .distinguished = "inbox" };
	soap_sort newest = { "item:DateTimeReceived", 1 };
	soap_find_item_args a = {
		.shape = { .base = "IdOnly", .fields = page_fields,
			   .nfields = sizeof(page_fields) / sizeof(page_fields[0]) },
		.view = SOAP_VIEW_INDEXED, .max_entries = max, .offset = offset,
		.sort = &newest, .nsort = 1, .folders = &inbox, .nfolders = 1 };

	return ews_find_item(out, ctx, &a, err);
}

/* The item ids of a FindItem result, appended to ids[*n] (strdup'ed). */
static int collect_ids(char **ids, size_t *n, size_t cap, const json_t *page,
		       errinfo *err)
{
	const json_t *item;
	size_t i;

	json_array_foreach(json_object_get(page, "items"), i, item) {
		const char *id = json_string_value(json_object_get(item, "item_id"));

		if (!id)
			return errinfo_set(err, ERR_PROTOCOL, "FindItem item without item_id");
		if (*n == cap)
			return errinfo_set(err, ERR_LIMIT, "more than %zu items", cap);
		ids[*n] = strdup(id);
		if (!ids[*n])
			return errinfo_set(err, ERR_NOMEM, "out of memory");
		(*n)++;
	}
	return 0;
}

/* GetItem of ids[0..n) (n <= 100), Default shape with a text body. */
static int get_items(json_t **out, const ews_ctx *ctx, char **ids, size_t n,
		     errinfo *err)
{
	soap_item_ref refs[SOAP_BATCH_MAX];
	soap_get_item_args a = { .shape = { .base = "Default", .body_type = "Text" },
				 .ids = refs, .nids = n };
	size_t i;

	for (i = 0; i < n; i++) {
		refs[i].id = ids[i];
		refs[i].change_key = NULL;
	}
	return ews_get_item(out, ctx, &a, err);
}

static int count_errors(const json_t *items)
{
	const json_t *it;
	size_t i;
	int n = 0;

	json_array_foreach(items, i, it)
		n += json_object_get(it, "error") != NULL;
	return n;
}

static void free_ids(char **ids, size_t n)
{
	size_t i;

	for (i = 0; ids && i < n; i++)
		free(ids[i]);
	free(ids);
}

/* ---- memory: 1,000 items ---- */

static int bench_memory(const ews_ctx *ctx, long total, errinfo *err)
{
	json_t *all = json_array(), *page = NULL, *batch = NULL;
	char **ids = calloc((size_t)total, sizeof(char *));
	size_t nids = 0, i, json_bytes = 0;
	long rss0, hwm0, hwm1;
	int rc = 0, reset, offset;
	char *dump;

	if (!all || !ids) {
		rc = errinfo_set(err, ERR_NOMEM, "out of memory");
		goto cleanup;
	}
	reset = reset_peak();
	rss0 = status_kib("VmRSS:");
	hwm0 = status_kib("VmHWM:");
	for (offset = 0; offset < total; offset += MEM_PAGE) {
		rc = find_page(&page, ctx, MEM_PAGE, offset, err);
		if (rc == 0)
			rc = collect_ids(ids, &nids, (size_t)total, page, err);
		json_decref(page);
		page = NULL;
		if (rc < 0)
			goto cleanup;
	}
	if (nids != (size_t)total) {
		rc = errinfo_set(err, ERR_PROTOCOL, "FindItem paging gave %zu ids, expected %ld",
				 nids, total);
		goto cleanup;
	}
	for (i = 0; i < nids; i += SOAP_BATCH_MAX) {
		size_t n = nids - i < SOAP_BATCH_MAX ? nids - i : SOAP_BATCH_MAX;

		rc = get_items(&batch, ctx, ids + i, n, err);
		if (rc < 0)
			goto cleanup;
		if (json_array_size(batch) != n || count_errors(batch)) {
			rc = errinfo_set(err, ERR_PROTOCOL, "GetItem batch at %zu: %zu answers,"
					 " %d errors", i, json_array_size(batch),
					 count_errors(batch));
			goto cleanup;
		}
		json_array_extend(all, batch);
		json_decref(batch);
		batch = NULL;
	}
	hwm1 = status_kib("VmHWM:");
	dump = json_dumps(all, JSON_COMPACT);
	json_bytes = dump ? strlen(dump) : 0;
	free(dump);
	printf("memory: %zu items (FindItem pages of %d + GetItem batches of %d),"
	       " kept as one JSON array (%.2f MiB as JSON text)\n", nids, MEM_PAGE,
	       SOAP_BATCH_MAX, (double)json_bytes / 1048576.0);
	if (rss0 < 0 || hwm0 < 0 || hwm1 < 0)
		printf("memory: /proc/self/status is not readable here: not measured\n");
	else
		printf("memory: RSS before %.1f MiB, peak during %.1f MiB, peak growth"
		       " %.1f MiB (%.1f KiB per item)%s\n", rss0 / 1024.0, hwm1 / 1024.0,
		       (hwm1 - (reset == 0 ? rss0 : hwm0)) / 1024.0,
		       (double)(hwm1 - (reset == 0 ? rss0 : hwm0)) / (double)nids,
		       reset == 0 ? "" : " [peak not resettable: growth over the"
		       " earlier peak]");
cleanup:
	json_decref(page);
	json_decref(batch);
	json_decref(all);
	free_ids(ids, nids);
	return rc;
}

/* ---- latency: client vs raw libcurl ---- */

static size_t on_data(char *p, size_t sz, size_t n, void *ud)
{
	return buf_put(ud, p, sz * n) == 0 ? sz * n : 0;
}

static int raw_post(CURL *h, buf *resp, const char *body, errinfo *err)
{
	long status = 0;
	CURLcode rc;

	buf_clear(resp);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	rc = curl_easy_perform(h);
	if (rc != CURLE_OK)
		return errinfo_set(err, ERR_IO, "raw POST: %s", curl_easy_strerror(rc));
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200)
		return errinfo_set(err, ERR_PROTOCOL, "raw POST: HTTP %ld: %.300s",
				   status, buf_cstr(resp));
	return 0;
}

/* The first raw answers must be the same successes the client got (the
 * timed loop only checks the HTTP status, so the baseline does no work
 * on the body beyond collecting it). */
static int raw_check(CURL *h, buf *resp, const char *body, errinfo *err)
{
	int rc = raw_post(h, resp, body, err);

	if (rc == 0 && (!strstr(buf_cstr(resp), "<m:ResponseCode>NoError<") ||
			strstr(buf_cstr(resp), "ResponseClass=\"Error\"")))
		rc = errinfo_set(err, ERR_PROTOCOL, "raw POST: not a success: %.300s",
				 buf_cstr(resp));
	return rc;
}

typedef struct series {
	const char *name;
	double *client, *raw;
} series;

static void print_series(const series *s, size_t n)
{
	double c50 = percentile(s->client, n, 50), c99 = percentile(s->client, n, 99);
	double r50 = percentile(s->raw, n, 50), r99 = percentile(s->raw, n, 99);

	printf("%-9s %11.3f %11.3f %11.3f %11.3f %9.2f %9.2f %9.0f\n", s->name,
	       c50, c99, r50, r99, c50 / r50, c99 / r99, (c50 - r50) * 1e3);
}

static int bench_latency(const ews_ctx *ctx, capture *cap, const char *url,
			 const opts *o, errinfo *err)
{
	buf resp = BUF_INIT(64u * 1024u * 1024u);
	char endpoint[300], **ids = NULL, *find_body = NULL, *get_body = NULL;
	struct curl_slist *hdr = NULL;
	json_t *r = NULL;
	size_t nids = 0, n = (size_t)o->iterations;
	series find = { "FindItem", NULL, NULL }, get = { "GetItem", NULL, NULL };
	CURL *h = curl_easy_init();
	double t;
	long i;
	int rc;

	find.client = calloc(n, sizeof(double));
	find.raw = calloc(n, sizeof(double));
	get.client = calloc(n, sizeof(double));
	get.raw = calloc(n, sizeof(double));
	ids = calloc(PAGE, sizeof(char *));
	if (!h || !find.client || !find.raw || !get.client || !get.raw || !ids) {
		rc = errinfo_set(err, ERR_NOMEM, "out of memory");
		goto cleanup;
	}
	/* one call of each through the client, capturing the bodies */
	cap->op = "FindItem";
	rc = find_page(&r, ctx, PAGE, 0, err);
	if (rc == 0)
		rc = collect_ids(ids, &nids, PAGE, r, err);
	json_decref(r);
	r = NULL;
	if (rc < 0)
		goto cleanup;
	find_body = buf_detach(&cap->body);
	cap->op = "GetItem";
	rc = get_items(&r, ctx, ids, nids, err);
	json_decref(r);
	r = NULL;
	if (rc < 0)
		goto cleanup;
	get_body = buf_detach(&cap->body);
	cap->op = NULL;
	if (!find_body || !get_body || nids != PAGE) {
		rc = errinfo_set(err, ERR_PROTOCOL, "no request captured or a short page");
		goto cleanup;
	}

	snprintf(endpoint, sizeof(endpoint), "%s/EWS/Exchange.asmx", url);
	hdr = curl_slist_append(NULL, "Content-Type: text/xml; charset=utf-8");
	curl_easy_setopt(h, CURLOPT_URL, endpoint);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
	curl_easy_setopt(h, CURLOPT_USERNAME, o->user);
	curl_easy_setopt(h, CURLOPT_PASSWORD, o->password);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	rc = raw_check(h, &resp, find_body, err);
	if (rc == 0)
		rc = raw_check(h, &resp, get_body, err);
	if (rc < 0)
		goto cleanup;

	for (i = -o->warmup; i < o->iterations; i++) {
		t = now_ms();
		rc = find_page(&r, ctx, PAGE, 0, err);
		json_decref(r);
		r = NULL;
		if (rc < 0)
			goto cleanup;
		if (i >= 0)
			find.client[i] = now_ms() - t;
		t = now_ms();
		rc = raw_post(h, &resp, find_body, err);
		if (rc < 0)
			goto cleanup;
		if (i >= 0)
			find.raw[i] = now_ms() - t;
		t = now_ms();
		rc = get_items(&r, ctx, ids, nids, err);
		json_decref(r);
		r = NULL;
		if (rc < 0)
			goto cleanup;
		if (i >= 0)
			get.client[i] = now_ms() - t;
		t = now_ms();
		rc = raw_post(h, &resp, get_body, err);
		if (rc < 0)
			goto cleanup;
		if (i >= 0)
			get.raw[i] = now_ms() - t;
	}
	printf("latency: %ld iterations after %ld warm-up; FindItem = page of %d"
	       " (IdOnly + %zu properties), GetItem = those %d ids (Default, text body)\n",
	       o->iterations, o->warmup, PAGE,
	       sizeof(page_fields) / sizeof(page_fields[0]), PAGE);
	printf("%-9s %11s %11s %11s %11s %9s %9s %9s\n", "operation", "client p50",
	       "client p99", "raw p50", "raw p99", "p50 ratio", "p99 ratio",
	       "p50 +us");
	print_series(&find, n);
	print_series(&get, n);
cleanup:
	curl_easy_cleanup(h);
	curl_slist_free_all(hdr);
	free(find.client);
	free(find.raw);
	free(get.client);
	free(get.raw);
	free_ids(ids, nids);
	free(find_body);
	free(get_body);
	buf_dispose(&resp);
	return rc;
}

/* ---- main ---- */

static int parse_count(long *out, const char *name, const char *v, long min)
{
	char *end;

	errno = 0;
	*out = v ? strtol(v, &end, 10) : 0;
	if (!v || !*v || *end || errno || *out < min) {
		fprintf(stderr, "ews_bench: %s: \"%s\" is not an integer >= %ld\n",
			name, v ? v : "", min);
		return -1;
	}
	return 0;
}

static int parse_args(opts *o, int argc, char **argv)
{
	int i;

	o->org = NULL;
	o->user = "bench@bench.test";
	o->password = "Bench-Pass-1";
	o->iterations = 1000;
	o->warmup = 100;
	o->messages = 1000;
	for (i = 1; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int rc = 0;

		if (!v) {
			fprintf(stderr, "ews_bench: %s needs a value\n", a);
			return -1;
		}
		if (strcmp(a, "--org") == 0)
			o->org = v;
		else if (strcmp(a, "--user") == 0)
			o->user = v;
		else if (strcmp(a, "--password") == 0)
			o->password = v;
		else if (strcmp(a, "--iterations") == 0)
			rc = parse_count(&o->iterations, a, v, 1);
		else if (strcmp(a, "--warmup") == 0)
			rc = parse_count(&o->warmup, a, v, 0);
		else if (strcmp(a, "--messages") == 0)
			rc = parse_count(&o->messages, a, v, PAGE);
		else {
			fprintf(stderr, "ews_bench: unknown option %s\n", a);
			return -1;
		}
		if (rc < 0)
			return -1;
	}
	if (!o->org) {
		fprintf(stderr, "usage: ews_bench --org FILE [--user SMTP --password PW]"
			" [--iterations N] [--warmup N] [--messages N]\n");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	errinfo err = ERRINFO_INIT;
	capture cap = { NULL, BUF_INIT(CAPTURE_CAP) };
	ews_client *c = NULL;
	ews_mailbox *mb = NULL;
	sim_child sim;
	ews_ctx ctx;
	opts o;
	int rc;

	if (parse_args(&o, argc, argv) < 0)
		return 2;
	/* before any thread or curl state exists, so the fork is clean */
	rc = sim_child_start(&sim, &o, &err);
	if (rc < 0)
		goto cleanup;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	log_set_level(LOG_LEVEL_WARNING);
	rc = client_open(&c, &mb, sim.url, &o, &cap, &err);
	if (rc < 0)
		goto cleanup;
	ctx.client = c;
	ctx.mailbox = mb;
	ctx.cancel = NULL;
	printf("EWS client (src/ews, Basic auth) against ews-sim in another process,"
	       " mailbox of %ld generated messages\n", o.messages);
	rc = bench_memory(&ctx, o.messages, &err);
	if (rc == 0)
		rc = bench_latency(&ctx, &cap, sim.url, &o, &err);
cleanup:
	ews_mailbox_free(mb);
	ews_client_free(c);
	buf_dispose(&cap.body);
	sim_child_stop(&sim);
	curl_global_cleanup();
	if (rc < 0) {
		fprintf(stderr, "ews_bench: %s\n", err.msg);
		return 1;
	}
	return 0;
}
