/* demo.c - `ews-mcp demo`: the whole system without an Exchange server.
 *
 * Starts ews-sim in-process with the demo organisation (sim/orgs/demo.json,
 * compiled in), points a configuration at it and either serves MCP (so a
 * desktop client can be tried against it) or, with --walkthrough, runs a
 * scripted tour through the real MCP engine and prints each call and its
 * answer. The service account and its password are read from the org.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include "cli/cli.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/local_client.h"
#include "core/log.h"
#include "sim/sim.h"

extern const char ews_demo_org_json[];

typedef struct demo_account {
	char smtp[256];
	char password[256];
} demo_account;

/* The first account with an impersonation assignment is the service
 * account the demo signs in as. */
static int find_service_account(demo_account *acct, errinfo *err)
{
	json_t *org = json_loads(ews_demo_org_json, 0, NULL), *u;
	const char *svc;
	size_t i;

	svc = json_string_value(json_object_get(json_array_get(
		json_object_get(org, "impersonation"), 0), "account"));
	json_array_foreach(json_object_get(org, "users"), i, u) {
		const char *smtp = json_string_value(json_object_get(u, "smtp"));
		const char *pw = json_string_value(json_object_get(u, "password"));

		if (svc && smtp && pw && strcmp(smtp, svc) == 0) {
			snprintf(acct->smtp, sizeof(acct->smtp), "%s", smtp);
			snprintf(acct->password, sizeof(acct->password), "%s", pw);
			json_decref(org);
			return 0;
		}
	}
	json_decref(org);
	return errinfo_set(err, ERR_CONFIG, "demo org: no service account with a password");
}

/* Loads the user's configuration and points it at the sim. */
static int demo_config(cfg **out, const cfg_load_options *lo, const ews_sim *sim,
		       const demo_account *acct, const char *access, const char *dir,
		       errinfo *err)
{
	cfg_load_options o = *lo;
	char url[512], path[4096];
	cfg *c = NULL;

	o.skip_required = 1;
	if (cfg_load(&c, &o, err) < 0)
		return err->code;
	snprintf(url, sizeof(url), "%s/EWS/Exchange.asmx", ews_sim_url(sim));
	snprintf(path, sizeof(path), "%s/audit.log", dir);
	if (cfg_set(c, "EWS_SERVER_URL", url, err) < 0 ||
	    cfg_set(c, "EWS_EMAIL", acct->smtp, err) < 0 ||
	    cfg_set(c, "EWS_AUTH_TYPE", "ntlm", err) < 0 ||
	    cfg_set(c, "EWS_USERNAME", acct->smtp, err) < 0 ||
	    cfg_set(c, "EWS_PASSWORD", acct->password, err) < 0 ||
	    cfg_set(c, "EWS_IMPERSONATION_ENABLED", "true", err) < 0 ||
	    cfg_set(c, "EWS_IMPERSONATION_TYPE", access, err) < 0 ||
	    cfg_set(c, "AUDIT_LOG_PATH", path, err) < 0 ||
	    cfg_set(c, "DATA_DIR", dir, err) < 0) {
		cfg_free(c);
		return err->code;
	}
	*out = c;
	return 0;
}

/* ---- the walkthrough ------------------------------------------------------- */

static void print_answer(const json_t *result)
{
	const json_t *sc = json_object_get(result, "structuredContent");
	const json_t *list, *e;
	size_t i;

	if (json_is_true(json_object_get(result, "isError"))) {
		printf("   <- error (%s): %s\n",
		       json_string_value(json_object_get(sc, "error_type")),
		       json_string_value(json_object_get(sc, "error")));
		return;
	}
	printf("   <- %s  [mailbox: %s]\n", json_string_value(json_object_get(sc, "message")),
	       json_string_value(json_object_get(sc, "mailbox")));
	list = json_object_get(sc, "emails");
	json_array_foreach(list, i, e) {
		printf("      %s %-26.26s  %s\n",
		       json_is_true(json_object_get(e, "is_read")) ? " " : "*",
		       json_string_value(json_object_get(e, "from")),
		       json_string_value(json_object_get(e, "subject")));
	}
	list = json_object_get(sc, "events");
	json_array_foreach(list, i, e)
		printf("      %.16s  %s\n", json_string_value(json_object_get(e, "start")),
		       json_string_value(json_object_get(e, "subject")));
}

static void step(local_client *lc, const char *title, const char *tool, const char *args)
{
	errinfo err = ERRINFO_INIT;
	json_t *params, *result = NULL;

	printf("\n%s\n   -> %s %s\n", title, tool, args);
	params = json_pack("{s:s, s:o}", "name", tool, "arguments", json_loads(args, 0, NULL));
	if (local_client_request(lc, "tools/call", params, &result, 120000, &err) < 0)
		printf("   <- protocol error: %s\n", err.msg);
	else
		print_answer(result);
	json_decref(result);
	json_decref(params);
}

static int walkthrough(const cfg *conf, const demo_account *acct)
{
	errinfo err = ERRINFO_INIT;
	cli_app app;
	local_client *lc = NULL;
	json_t *tools = NULL;
	size_t i;
	int rc = 1;
	char args[512];

	/* The transcript is the point: only warnings and errors go to stderr
	 * (every call is in the audit log anyway). */
	log_set_level(LOG_LEVEL_WARNING);
	if (cli_app_open(&app, conf, &err) < 0 ||
	    local_client_new(&lc, app.server, &err) < 0)
		goto fail;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ews-mcp demo: an MCP session against the embedded ews-sim\n");
	printf("signed in as %s (NTLM); organisation contoso.test\n", acct->smtp);
	printf("\n1. initialize and tools/list\n");
	if (local_client_request(lc, "tools/list", NULL, &tools, 10000, &err) < 0)
		goto fail;
	printf("   <- %zu tools:", json_array_size(json_object_get(tools, "tools")));
	for (i = 0; i < json_array_size(json_object_get(tools, "tools")); i++)
		printf("%s %s", i ? "," : "", json_string_value(json_object_get(
			json_array_get(json_object_get(tools, "tools"), i), "name")));
	printf("\n");

	step(lc, "2. The service account's own inbox", "read_emails",
	     "{\"max_results\": 3}");
	step(lc, "3. Alice's inbox, through impersonation (Sales is in scope)", "read_emails",
	     "{\"max_results\": 3, \"target_mailbox\": \"alice@contoso.test\"}");
	snprintf(args, sizeof(args), "{\"to\": [\"bob@contoso.test\"], \"subject\": "
		 "\"Q4 numbers\", \"body\": \"<p>Bob, the Q4 numbers are in.</p>\", "
		 "\"target_mailbox\": \"alice@contoso.test\"}");
	step(lc, "4. Send as Alice (the copy lands in Alice's Sent Items)", "send_email", args);
	step(lc, "5. Bob's inbox now has Alice's message", "read_emails",
	     "{\"max_results\": 2, \"target_mailbox\": \"bob@contoso.test\"}");
	step(lc, "6. Carol is in Finance, outside the impersonation scope: Exchange refuses\n"
	     "   impersonation, and EWS_IMPERSONATION_TYPE=auto uses the delegate access she\n"
	     "   granted (Calendar: Editor). Her calendar in March:",
	     "get_calendar", "{\"start_date\": \"2026-03-01\", \"end_date\": \"2026-03-31\", "
	     "\"target_mailbox\": \"carol@contoso.test\"}");
	step(lc, "7. Dave granted nothing: neither way is open, and the error says so",
	     "read_emails", "{\"target_mailbox\": \"dave@contoso.test\"}");
	step(lc, "8. A mailbox that does not exist", "read_emails",
	     "{\"target_mailbox\": \"nobody@contoso.test\"}");
	printf("\nEach call was also written to the audit log (AUDIT_LOG_PATH), one JSON line "
	       "per call.\nServe this demo to an MCP client with: ews-mcp demo\n");
	rc = 0;
fail:
	if (rc)
		fprintf(stderr, "ews-mcp demo: %s\n", err.msg);
	json_decref(tools);
	local_client_free(lc);
	cli_app_close(&app);
	return rc;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int cli_demo(const cfg_load_options *lo, int walk)
{
	ews_sim_options so = EWS_SIM_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	ews_sim *sim = NULL;
	cfg *conf = NULL;
	demo_account acct;
	char dir[] = "/tmp/ews-mcp-demo-XXXXXX";
	int rc = 1;

	if (!mkdtemp(dir)) {
		perror("ews-mcp demo: mkdtemp");
		return 1;
	}
	so.org_json = ews_demo_org_json;
	so.db_path = ":memory:";
	so.quiet = 1;
	/* auto: impersonation where the demo org grants it (Sales), delegate
	 * access where a mailbox owner granted that (carol), as a real site
	 * with both would be reached. */
	if (find_service_account(&acct, &err) < 0 || ews_sim_start(&sim, &so, &err) < 0 ||
	    demo_config(&conf, lo, sim, &acct, "auto", dir, &err) < 0) {
		fprintf(stderr, "ews-mcp demo: %s\n", err.msg);
		goto done;
	}
	if (walk) {
		rc = walkthrough(conf, &acct);
		goto done;
	}
	fprintf(stderr,
		"ews-mcp demo: ews-sim is running at %s with the contoso.test demo org.\n"
		"Signed in as %s; impersonation covers alice@ and bob@ (Sales), and carol@\n"
		"is reached by the delegate access she granted (EWS_IMPERSONATION_TYPE=auto).\n"
		"Try read_emails with target_mailbox \"alice@contoso.test\".\n"
		"Serving MCP on %s. Audit log: %s (removed at exit)\n",
		ews_sim_url(sim), acct.smtp,
		conf->transport == CFG_TRANSPORT_HTTP ? "HTTP (its URL is printed on stdout)" : "stdio",
		conf->audit_log_path);
	rc = cli_serve(conf);
done:
	cfg_free(conf);
	ews_sim_stop(sim);
	/* The demo's audit log and ledger live in a folder of its own. */
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	return rc;
}
