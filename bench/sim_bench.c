/* sim_bench.c - ews-sim paging benchmark (issue 3): FindItem + GetItem
 * requests per second against a small and a large mailbox, in one run.
 *
 * For each mailbox size a sim is started in-process with --generate N
 * (a one-user org, so generation costs N messages, not users x N); both
 * run at once and are measured in alternation, so outside load and drift
 * hit both alike. Per sim one libcurl handle (one keep-alive connection,
 * Basic auth, sequential calls) repeats what a mail client does to show
 * the newest page of a folder:
 * FindItem with an IndexedPageItemView of 50 items, newest first, IdOnly
 * plus a few AdditionalProperties, then GetItem of those 50 ids. The
 * first answers are checked (50 ids, TotalItemsInView = N, 50 successful
 * GetItem messages) so a fast wrong answer cannot pass for a fast one.
 *
 * It prints a table (generation time, p50/p99 of each operation,
 * requests per second) and the large/small ratios: a page costs the same
 * whatever the folder size when the ratios stay near 1.0.
 *
 * Usage: sim_bench --org FILE [--user SMTP --password PW] [--small N]
 *                  [--large N] [--iterations N] [--warmup N]
 */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/errinfo.h"
#include "sim/sim.h"

#define PAGE 50
#define RESPONSE_CAP (64u * 1024u * 1024u)

typedef struct opts {
	const char *org;
	const char *user;
	const char *password;
	long small, large, iterations, warmup;
} opts;

typedef struct result {
	long mailbox;
	double generate_s;
	double find_p50, find_p99;    /* ms */
	double get_p50, get_p99;      /* ms */
	double requests_per_s;
	long connections;
} result;

static const char find_body[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\""
	" xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\""
	" xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
	"<soap:Header><t:RequestServerVersion Version=\"Exchange2016\"/></soap:Header>"
	"<soap:Body><m:FindItem Traversal=\"Shallow\"><m:ItemShape>"
	"<t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>"
	"<t:FieldURI FieldURI=\"item:Subject\"/>"
	"<t:FieldURI FieldURI=\"item:DateTimeReceived\"/>"
	"<t:FieldURI FieldURI=\"message:From\"/>"
	"<t:FieldURI FieldURI=\"message:IsRead\"/>"
	"</t:AdditionalProperties></m:ItemShape>"
	"<m:IndexedPageItemView MaxEntriesReturned=\"50\" Offset=\"0\" BasePoint=\"Beginning\"/>"
	"<m:SortOrder><t:FieldOrder Order=\"Descending\">"
	"<t:FieldURI FieldURI=\"item:DateTimeReceived\"/></t:FieldOrder></m:SortOrder>"
	"<m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds>"
	"</m:FindItem></soap:Body></soap:Envelope>";

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t on_data(char *p, size_t sz, size_t n, void *ud)
{
	return buf_put(ud, p, sz * n) == 0 ? sz * n : 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The q-th percentile (0..100) of v[0..n), sorting v in place. */
static double percentile(double *v, size_t n, int q)
{
	size_t i;

	qsort(v, n, sizeof(*v), cmp_double);
	i = n * (size_t)q / 100;
	return v[i < n ? i : n - 1];
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* POSTs body on h (reused: keep-alive); the answer replaces resp.
 * *connects counts the connections curl had to open for it. */
static int post(CURL *h, buf *resp, const char *body, long *connects,
		errinfo *err)
{
	long status = 0, n = 0;
	CURLcode rc;

	buf_clear(resp);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	rc = curl_easy_perform(h);
	if (rc != CURLE_OK)
		return errinfo_set(err, ERR_IO, "POST: %s", curl_easy_strerror(rc));
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &n);
	*connects += n;
	if (status != 200)
		return errinfo_set(err, ERR_PROTOCOL, "POST: HTTP %ld: %.300s",
				   status, buf_cstr(resp));
	return 0;
}

/* GetItem of the ids in a FindItem answer (Default shape, text body). */
static int get_body_from(buf *out, const char *find_resp, errinfo *err)
{
	const char *p = find_resp;
	int n = 0;

	buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
		 "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\""
		 " xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\""
		 " xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
		 "<soap:Header><t:RequestServerVersion Version=\"Exchange2016\"/></soap:Header>"
		 "<soap:Body><m:GetItem><m:ItemShape><t:BaseShape>Default</t:BaseShape>"
		 "<t:BodyType>Text</t:BodyType></m:ItemShape><m:ItemIds>");
	while ((p = strstr(p, "<t:ItemId Id=\""))) {
		const char *id = p + strlen("<t:ItemId Id=\"");
		const char *end = strchr(id, '"');

		if (!end)
			break;
		/* the attribute's text as the answer spelled it, i.e.
		 * already escaped: it goes back into an attribute verbatim */
		buf_printf(out, "<t:ItemId Id=\"%.*s\"/>", (int)(end - id), id);
		p = end;
		n++;
	}
	buf_puts(out, "</m:ItemIds></m:GetItem></soap:Body></soap:Envelope>");
	if (buf_failed(out))
		return errinfo_set(err, ERR_NOMEM, "GetItem request too large");
	if (n != PAGE)
		return errinfo_set(err, ERR_PROTOCOL,
				   "FindItem returned %d ids, expected %d", n, PAGE);
	return 0;
}

/* Checks the first answers: a full page, the right total, 50 items. */
static int check_answers(const char *find_resp, const char *get_resp,
			 long mailbox, errinfo *err)
{
	char want[64];

	snprintf(want, sizeof(want), "TotalItemsInView=\"%ld\"", mailbox);
	if (!strstr(find_resp, want))
		return errinfo_set(err, ERR_PROTOCOL,
				   "FindItem: expected %s in %.400s", want, find_resp);
	if (count_of(get_resp, "ResponseClass=\"Success\"") != PAGE ||
	    strstr(get_resp, "ResponseClass=\"Error\""))
		return errinfo_set(err, ERR_PROTOCOL,
				   "GetItem: expected %d successful messages: %.400s",
				   PAGE, get_resp);
	return 0;
}

static CURL *new_handle(const ews_sim *sim, const opts *o, buf *resp,
			struct curl_slist **hdr)
{
	char url[512];
	CURL *h = curl_easy_init();

	if (!h)
		return NULL;
	snprintf(url, sizeof(url), "%s/EWS/Exchange.asmx", ews_sim_url(sim));
	*hdr = curl_slist_append(NULL, "Content-Type: text/xml; charset=utf-8");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, *hdr);
	curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
	curl_easy_setopt(h, CURLOPT_USERNAME, o->user);
	curl_easy_setopt(h, CURLOPT_PASSWORD, o->password);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
	return h;
}

/* One mailbox under test: its sim, connection, requests and timings. */
typedef struct target {
	long mailbox;
	ews_sim *sim;
	CURL *h;
	struct curl_slist *hdr;
	buf resp;
	buf get;                   /* GetItem body for the first page's ids */
	double *find_ms, *get_ms;
	double busy_s;             /* time spent in this target's requests */
	long connects;
	result r;
} target;

static void target_dispose(target *t)
{
	curl_easy_cleanup(t->h);
	curl_slist_free_all(t->hdr);
	ews_sim_stop(t->sim);
	free(t->find_ms);
	free(t->get_ms);
	buf_dispose(&t->resp);
	buf_dispose(&t->get);
	memset(t, 0, sizeof(*t));
}

/* Starts a sim with a mailbox of n messages, connects, and checks the
 * first FindItem and GetItem answers. */
static int target_open(target *t, const opts *o, long n, errinfo *err)
{
	ews_sim_options so = EWS_SIM_OPTIONS_INIT;
	char *first_find = NULL;
	double t0;
	int rc;

	memset(t, 0, sizeof(*t));
	t->mailbox = t->r.mailbox = n;
	t->resp = (buf)BUF_INIT(RESPONSE_CAP);
	t->get = (buf)BUF_INIT(1u << 20);
	so.org_path = o->org;
	so.generate = n;
	so.quiet = 1;
	t0 = now_s();
	rc = ews_sim_start(&t->sim, &so, err);
	if (rc < 0)
		return rc;
	t->r.generate_s = now_s() - t0;
	t->find_ms = calloc((size_t)o->iterations, sizeof(double));
	t->get_ms = calloc((size_t)o->iterations, sizeof(double));
	t->h = new_handle(t->sim, o, &t->resp, &t->hdr);
	if (!t->find_ms || !t->get_ms || !t->h)
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	rc = post(t->h, &t->resp, find_body, &t->connects, err);
	if (rc < 0)
		return rc;
	first_find = strdup(buf_cstr(&t->resp));
	rc = first_find ? get_body_from(&t->get, first_find, err)
			: errinfo_set(err, ERR_NOMEM, "out of memory");
	if (rc == 0)
		rc = post(t->h, &t->resp, buf_cstr(&t->get), &t->connects, err);
	if (rc == 0)
		rc = check_answers(first_find, buf_cstr(&t->resp), n, err);
	free(first_find);
	return rc;
}

/* One FindItem + GetItem pair; timings kept when i >= 0 (not warm-up).
 * Every page must be a full one; nothing is written, so the ids stay the
 * same and the GetItem body is reused. */
static int target_pair(target *t, long i, errinfo *err)
{
	double t0 = now_s(), t1;
	int rc;

	rc = post(t->h, &t->resp, find_body, &t->connects, err);
	if (rc < 0)
		return rc;
	t1 = now_s();
	if (count_of(buf_cstr(&t->resp), "<t:ItemId ") != PAGE)
		return errinfo_set(err, ERR_PROTOCOL, "FindItem #%ld on %ld messages"
				   " did not return %d items", i, t->mailbox, PAGE);
	rc = post(t->h, &t->resp, buf_cstr(&t->get), &t->connects, err);
	if (rc < 0 || i < 0)
		return rc;
	t->find_ms[i] = (t1 - t0) * 1e3;
	t->get_ms[i] = (now_s() - t1) * 1e3;
	t->busy_s += now_s() - t0;
	return 0;
}

static void target_summarise(target *t, long iterations)
{
	t->r.requests_per_s = 2.0 * (double)iterations / t->busy_s;
	t->r.connections = t->connects;
	t->r.find_p50 = percentile(t->find_ms, (size_t)iterations, 50);
	t->r.find_p99 = percentile(t->find_ms, (size_t)iterations, 99);
	t->r.get_p50 = percentile(t->get_ms, (size_t)iterations, 50);
	t->r.get_p99 = percentile(t->get_ms, (size_t)iterations, 99);
}

/* Both mailboxes are served at once and measured in alternation (the
 * order flips every iteration), so load from elsewhere on the machine
 * and drift over the run weigh on both sides alike. */
static int bench(result *small, result *large, const opts *o, errinfo *err)
{
	target t[2];
	long i;
	int rc, k;

	memset(t, 0, sizeof(t));
	rc = target_open(&t[0], o, o->small, err);
	if (rc == 0)
		rc = target_open(&t[1], o, o->large, err);
	for (i = -o->warmup; rc == 0 && i < o->iterations; i++)
		for (k = 0; k < 2 && rc == 0; k++)
			rc = target_pair(&t[(i + k) & 1], i, err);
	if (rc == 0) {
		target_summarise(&t[0], o->iterations);
		target_summarise(&t[1], o->iterations);
		*small = t[0].r;
		*large = t[1].r;
	}
	target_dispose(&t[0]);
	target_dispose(&t[1]);
	return rc;
}

static int parse_count(long *out, const char *name, const char *v, long min)
{
	char *end;

	errno = 0;
	*out = v ? strtol(v, &end, 10) : 0;
	if (!v || !*v || *end || errno || *out < min) {
		fprintf(stderr, "sim_bench: %s: \"%s\" is not an integer >= %ld\n",
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
	o->small = 100;
	o->large = 100000;
	o->iterations = 1000;
	o->warmup = 50;
	for (i = 1; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int rc = 0;

		if (!v) {
			fprintf(stderr, "sim_bench: %s needs a value\n", a);
			return -1;
		}
		if (strcmp(a, "--org") == 0)
			o->org = v;
		else if (strcmp(a, "--user") == 0)
			o->user = v;
		else if (strcmp(a, "--password") == 0)
			o->password = v;
		else if (strcmp(a, "--small") == 0)
			rc = parse_count(&o->small, a, v, PAGE);
		else if (strcmp(a, "--large") == 0)
			rc = parse_count(&o->large, a, v, PAGE);
		else if (strcmp(a, "--iterations") == 0)
			rc = parse_count(&o->iterations, a, v, 1);
		else if (strcmp(a, "--warmup") == 0)
			rc = parse_count(&o->warmup, a, v, 0);
		else {
			fprintf(stderr, "sim_bench: unknown option %s\n", a);
			return -1;
		}
		if (rc < 0)
			return -1;
	}
	if (!o->org) {
		fprintf(stderr, "usage: sim_bench --org FILE [--user SMTP --password PW]"
			" [--small N] [--large N] [--iterations N] [--warmup N]\n");
		return -1;
	}
	return 0;
}

static void print_row(const result *r)
{
	printf("%9ld %11.2f %10.3f %8.3f %10.3f %8.3f %11.0f %6ld\n", r->mailbox,
	       r->generate_s, r->find_p50, r->find_p99, r->get_p50, r->get_p99,
	       r->requests_per_s, r->connections);
}

int main(int argc, char **argv)
{
	errinfo err = ERRINFO_INIT;
	result small, large;
	opts o;
	int rc;

	if (parse_args(&o, argc, argv) < 0)
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	printf("FindItem (IndexedPageItemView %d, newest first, IdOnly + 4 properties)"
	       " + GetItem of the %d ids\n"
	       "one keep-alive connection per mailbox, Basic auth, sizes measured in alternation,"
	       " %ld iterations after %ld warm-up\n",
	       PAGE, PAGE, o.iterations, o.warmup);
	printf("%9s %11s %10s %8s %10s %8s %11s %6s\n", "mailbox", "generate s",
	       "Find p50ms", "p99", "Get p50ms", "p99", "requests/s", "conns");
	rc = bench(&small, &large, &o, &err);
	if (rc == 0) {
		print_row(&small);
		print_row(&large);
		printf("ratio large/small (1.00 = flat): FindItem p50 %.2f, GetItem p50 %.2f,"
		       " requests/s %.2f\n", large.find_p50 / small.find_p50,
		       large.get_p50 / small.get_p50,
		       large.requests_per_s / small.requests_per_s);
	}
	curl_global_cleanup();
	if (rc < 0) {
		fprintf(stderr, "sim_bench: %s\n", err.msg);
		return 1;
	}
	return 0;
}
