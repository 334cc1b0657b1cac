/* send_bench.c - what at-most-once costs per send (issue 9).
 *
 * A send must never reach Exchange twice. The transport used to guarantee
 * that by opening a new TCP connection for every write, which under NTLM
 * repeats the three-leg handshake each time. It now hands the body to
 * libcurl through a read callback that refuses a second copy, so a write
 * may ride a connection used moments ago. This benchmark runs both in one
 * process against the same ews-sim, under Basic and NTLM:
 *   before: ews_client with write_fresh_connection = 1 (the old rule);
 *   after:  ews_client as shipped (warm connections reused for writes).
 * Each sends N messages back to back (ews_send_message, SendAndSaveCopy)
 * after a warm-up, and prints per send: HTTP requests and TCP connections
 * the sim saw (its /sim/stats), the 401 challenges among them, and the
 * p50 and mean time; then after/before ratios. The sim runs in-process:
 * both sides pay for it alike.
 *
 * Usage: send_bench --org FILE --user SMTP --password PW [--sends N]
 */
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/errinfo.h"
#include "core/log.h"
#include "ews/client.h"
#include "ews/mailbox.h"
#include "ews/ops.h"
#include "sim/sim.h"

typedef struct result {
	double requests, connections, challenges;   /* per send */
	double p50_ms, mean_ms;
} result;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static size_t on_data(char *p, size_t sz, size_t n, void *ud)
{
	buf_put(ud, p, sz * n);
	return sz * n;
}

typedef struct counts {
	long long requests, connections, challenges;
} counts;

/* The sim's http counters, from one GET /sim/stats over one kept-alive
 * connection, so that reading them adds no connection between readings. */
static counts sim_counts(const ews_sim *sim)
{
	static CURL *h;
	buf out = BUF_INIT(1 << 20);
	char url[300];

	if (!h)
		h = curl_easy_init();
	json_t *doc, *http;
	counts v = { -1, -1, -1 };

	snprintf(url, sizeof(url), "%s/sim/stats", ews_sim_url(sim));
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
	if (curl_easy_perform(h) == CURLE_OK) {
		doc = json_loadb(out.ptr, out.len, 0, NULL);
		http = json_object_get(doc, "http");
		v.requests = json_integer_value(json_object_get(http, "requests"));
		v.connections = json_integer_value(json_object_get(http,
								   "connections"));
		v.challenges = json_integer_value(json_object_get(http,
								  "challenges"));
		json_decref(doc);
	}
	buf_dispose(&out);
	return v;
}

static int run(result *res, const ews_sim *sim, ews_auth_type auth, int fresh,
	       const char *user, const char *password, long sends)
{
	ews_client_options co = EWS_CLIENT_OPTIONS_INIT;
	soap_mailbox to = { NULL, user };
	soap_message m = { .subject = "bench", .body = "One of many.",
			   .to = &to, .nto = 1 };
	errinfo err = ERRINFO_INIT;
	ews_client *c = NULL;
	ews_mailbox *mb = NULL;
	char endpoint[300];
	double *ms = calloc((size_t)sends, sizeof(double)), total = 0;
	counts c0, c1;
	ews_ctx ctx;
	long i;
	int rc;

	snprintf(endpoint, sizeof(endpoint), "%s/EWS/Exchange.asmx",
		 ews_sim_url(sim));
	co.url = endpoint;
	co.primary_smtp = user;
	co.auth_type = auth;
	co.username = user;
	co.password = password;
	co.write_fresh_connection = fresh;
	rc = ews_client_new(&c, &co, &err);
	if (rc == 0)
		rc = ews_mailbox_resolve(&mb, c, NULL, &err);
	ctx.client = c;
	ctx.mailbox = mb;
	ctx.cancel = NULL;
	/* warm-up: the first connection and handshake are not the steady state */
	for (i = 0; rc == 0 && i < 5; i++) {
		json_t *out = NULL;

		rc = ews_send_message(&out, &ctx, &m, &err);
		json_decref(out);
	}
	c0 = sim_counts(sim);
	for (i = 0; rc == 0 && i < sends; i++) {
		json_t *out = NULL;
		double t0 = now_ms();

		rc = ews_send_message(&out, &ctx, &m, &err);
		ms[i] = now_ms() - t0;
		total += ms[i];
		json_decref(out);
	}
	if (rc == 0) {
		c1 = sim_counts(sim);
		res->requests = (double)(c1.requests - c0.requests) / sends;
		res->connections = (double)(c1.connections - c0.connections) / sends;
		res->challenges = (double)(c1.challenges - c0.challenges) / sends;
		qsort(ms, (size_t)sends, sizeof(double), cmp_double);
		res->p50_ms = ms[sends / 2];
		res->mean_ms = total / sends;
	} else {
		fprintf(stderr, "send_bench: %s\n", err.msg);
	}
	free(ms);
	ews_mailbox_free(mb);
	ews_client_free(c);
	return rc;
}

static void print_row(const char *auth, const char *which, const result *r)
{
	printf("%-6s %-7s %9.2f %12.2f %11.2f %9.3f %9.3f\n", auth, which,
	       r->requests, r->connections, r->challenges, r->p50_ms, r->mean_ms);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		ews_auth_type auth;
	} auths[] = { { "basic", EWS_AUTH_BASIC }, { "ntlm", EWS_AUTH_NTLM } };
	ews_sim_options so = EWS_SIM_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	const char *org = NULL, *user = NULL, *password = NULL;
	long sends = 200;
	ews_sim *sim = NULL;
	result before[2], after[2];
	size_t i;
	int a;

	for (a = 1; a + 1 < argc; a += 2) {
		if (strcmp(argv[a], "--org") == 0)
			org = argv[a + 1];
		else if (strcmp(argv[a], "--user") == 0)
			user = argv[a + 1];
		else if (strcmp(argv[a], "--password") == 0)
			password = argv[a + 1];
		else if (strcmp(argv[a], "--sends") == 0)
			sends = strtol(argv[a + 1], NULL, 10);
	}
	if (!org || !user || !password || sends < 1) {
		fprintf(stderr, "usage: send_bench --org FILE --user SMTP "
			"--password PW [--sends N]\n");
		return 2;
	}
	log_set_level(LOG_LEVEL_ERROR);
	so.org_path = org;
	so.quiet = 1;
	if (ews_sim_start(&sim, &so, &err) < 0) {
		fprintf(stderr, "send_bench: sim: %s\n", err.msg);
		return 1;
	}
	for (i = 0; i < 2; i++)
		if (run(&before[i], sim, auths[i].auth, 1, user, password, sends) < 0 ||
		    run(&after[i], sim, auths[i].auth, 0, user, password, sends) < 0) {
			ews_sim_stop(sim);
			return 1;
		}
	printf("%ld sends each, per send (before: a new connection for every "
	       "write; after: warm connections reused)\n", sends);
	printf("%-6s %-7s %9s %12s %11s %9s %9s\n", "auth", "", "requests",
	       "connections", "challenges", "p50 ms", "mean ms");
	for (i = 0; i < 2; i++) {
		print_row(auths[i].name, "before", &before[i]);
		print_row(auths[i].name, "after", &after[i]);
	}
	printf("ratios after/before:\n");
	for (i = 0; i < 2; i++)
		printf("  %-6s round trips %.2f, connections %.2f, p50 %.2f, "
		       "mean %.2f\n", auths[i].name,
		       after[i].requests / before[i].requests,
		       before[i].connections > 0
		       ? after[i].connections / before[i].connections : 0,
		       after[i].p50_ms / before[i].p50_ms,
		       after[i].mean_ms / before[i].mean_ms);
	ews_sim_stop(sim);
	return 0;
}
