/* sim_envelope.c - fuzz target: ews-sim's SOAP request handling
 * (sim/envelope.c sim_ews_handle and the operations it dispatches to), on
 * an in-memory store seeded with the demo org (sim/orgs/demo.json). No
 * network: the request body goes straight to the handler, as the HTTP
 * front would pass it after authentication.
 *
 * The input is a request body, sent by the service account
 * svc-mcp@contoso.test (which impersonates the Sales department and is
 * Carol's delegate). An input that starts with "APP\n" is sent, without
 * those four bytes, by the org's OAuth app (app-only token) instead.
 *
 * Checks beyond the sanitizers': a SOAP answer (200 or 500 with text/xml)
 * must be well-formed XML. After a request that changed the store, the
 * store is wiped and seeded again, so every input meets the same mailboxes
 * and the same ids.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "core/log.h"
#include "sim/sim_int.h"

extern const char ews_demo_org_json[];

static sim_ctx ctx;
static unsigned long inputs;

static void silent(void *c, const char *msg, ...)
{
	(void)c;
	(void)msg;
}

static void init(void)
{
	errinfo err = ERRINFO_INIT;

	log_set_level(LOG_LEVEL_ERROR);
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, silent);
	pthread_mutex_init(&ctx.lock, NULL);
	ctx.quiet = 1;
	if (sim_org_load(&ctx.org, NULL, ews_demo_org_json, &err) < 0 ||
	    sim_store_open(&ctx.store, ":memory:", &err) < 0 ||
	    sim_stats_new(&ctx.stats, &err) < 0 ||
	    sim_faults_new(&ctx.faults, &err) < 0 ||
	    sim_seed_org(&ctx, &err) < 0) {
		fprintf(stderr, "sim_envelope: cannot set up the sim: %s\n", err.msg);
		abort();
	}
}

static void reseed(void)
{
	errinfo err = ERRINFO_INIT;

	if (sim_store_wipe(ctx.store, &err) < 0 || sim_seed_org(&ctx, &err) < 0) {
		fprintf(stderr, "sim_envelope: cannot reseed the store: %s\n", err.msg);
		abort();
	}
}

/* The answer must parse when it claims to be SOAP. */
static void check_answer(const sim_reply *reply)
{
	xmlDoc *doc;

	if (reply->action != SIM_REPLY_NORMAL || !reply->content_type ||
	    strncmp(reply->content_type, "text/xml", 8) != 0 ||
	    (reply->status != 200 && reply->status != 500))
		return;
	doc = xmlReadMemory(reply->body.ptr ? reply->body.ptr : "",
			    (int)reply->body.len, "answer.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) {
		fprintf(stderr, "sim_envelope: the answer (HTTP %d) is not well-formed XML:\n%.*s\n",
			reply->status, (int)(reply->body.len > 4000 ? 4000 : reply->body.len),
			reply->body.ptr ? reply->body.ptr : "");
		abort();
	}
	xmlFreeDoc(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sim_caller caller;
	sim_reply reply;
	long long before;

	if (!ctx.org)
		init();
	memset(&caller, 0, sizeof(caller));
	caller.user = 0; /* svc-mcp@contoso.test */
	caller.app = -1;
	snprintf(caller.name, sizeof(caller.name), "svc-mcp@contoso.test");
	if (size >= 4 && memcmp(data, "APP\n", 4) == 0) {
		caller.user = -1;
		caller.app = 0;
		snprintf(caller.name, sizeof(caller.name), "app:%s",
			 ctx.org->apps[0].client_id);
		data += 4;
		size -= 4;
	}
	memset(&reply, 0, sizeof(reply));
	reply.body = (buf)BUF_INIT(SIM_REPLY_MAX);
	before = sim_store_changes(ctx.store);
	sim_ews_handle(&reply, &ctx, &caller, (const char *)data, size, NULL);
	check_answer(&reply);
	buf_dispose(&reply.body);
	if (sim_store_changes(ctx.store) != before)
		reseed();
	/* The stats are keyed by operation name, which comes from the input:
	 * keep them from growing without bound over a long run. */
	if (++inputs % 4096 == 0)
		sim_stats_reset(ctx.stats);
	return 0;
}
