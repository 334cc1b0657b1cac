/* harness.h - end-to-end test harness: ews-sim in-process, the ews-mcp
 * binary as a child speaking JSON-RPC over its stdio, and direct EWS
 * requests to the sim (as a given user) to check what really happened in
 * the mailboxes, independently of ews-mcp's own answers. */
#ifndef INCLUDE_e2e_harness_h__
#define INCLUDE_e2e_harness_h__

#include <jansson.h>
#include <sys/types.h>

#include "sim/sim.h"

/* ---- the sim --------------------------------------------------------------- */

/* Starts the sim with an org file given relative to the source tree
 * ("sim/orgs/demo.json", "tests/e2e/seed-org.json"), fresh in-memory store. */
ews_sim *e2e_sim_start(const char *org_rel_path);

/* The password of a user of the current org (from the org file). */
const char *e2e_password(const char *smtp);

/* Subjects of the items in a distinguished folder of a mailbox, read with
 * a raw FindItem sent as that user (Basic auth): a JSON array of strings. */
json_t *e2e_folder_subjects(ews_sim *sim, const char *user, const char *folder);

/* The raw SOAP answer to an arbitrary request body sent as user. */
char *e2e_soap(ews_sim *sim, const char *user, const char *body);

/* GET /sim/stats as JSON. */
json_t *e2e_sim_stats(ews_sim *sim);

/* POST body to one of the sim's control endpoints ("/sim/faults"); its
 * answer (caller frees), NULL if it could not be reached. */
char *e2e_sim_post(ews_sim *sim, const char *path, const char *body);

/* How many times needle occurs in hay. */
int e2e_count(const char *hay, const char *needle);

/* ---- the server under test -------------------------------------------------- */

typedef struct e2e_server {
	pid_t pid;
	int to_child;
	int from_child;
	char pending[1 << 16];
	size_t npending;
	long next_id;
	char audit_path[256];
	char dir[64];        /* the server's working folder, removed at stop */
} e2e_server;

/* Starts ews-mcp (path in $EWS_MCP_BIN) against sim, signed in (Basic) as
 * service_account with impersonation enabled. extra is NULL or a
 * NULL-terminated list of "NAME=VALUE" settings that override those
 * (e.g. "EWS_IMPERSONATION_TYPE=delegate"). Initializes MCP. */
int e2e_server_start(e2e_server *s, ews_sim *sim, const char *service_account,
		     const char *const *extra);

/* tools/call; returns the result object (caller decrefs), NULL on a
 * protocol error or time-out (the JSON-RPC error is printed). */
json_t *e2e_call(e2e_server *s, const char *tool, const char *args_json);

/* Any request; returns the whole response message. */
json_t *e2e_request(e2e_server *s, const char *method, const char *params_json);

/* Closes stdin and waits: the exit status (0 for a clean exit). */
int e2e_server_stop(e2e_server *s);

/* Runs `ews-mcp ARGS...` once (not as an MCP server) with the same settings
 * as e2e_server_start; *out gets its stdout (caller frees). Returns the
 * exit status. args is NULL-terminated. */
int e2e_run(char **out, ews_sim *sim, const char *service_account,
	    const char *const *extra, const char *const *args);

/* Starts `ews-mcp serve` in the background with the usual settings plus
 * extra (e.g. MCP_TRANSPORT=http, MCP_PORT=0) and copies the first line it
 * prints on stdout (the HTTP transport's URL) into url. Returns the pid, or
 * -1. The caller ends it with SIGTERM and waitpid. */
pid_t e2e_spawn_url(char *url, size_t cap, ews_sim *sim, const char *service_account,
		    const char *const *extra);

/* Convenience accessors on a tools/call result. */
const char *e2e_str(const json_t *result, const char *key);  /* structuredContent.key */
int e2e_is_error(const json_t *result);

#endif
