/* simops.h - the fixture of test_sim_ops.c: one access mode of the EWS
 * client (self, impersonation, delegate; Basic, NTLM or app-only OAuth)
 * against a fresh ews-sim loaded with sim/orgs/ews-ops.json, plus clients
 * signed in as the org's users, so a test can check the effect of an
 * operation the way the mailbox owner (or a recipient) would see it.
 * Header-only because the test build compiles test_*.c files only.
 *
 * The org: svc-mcp@ is the service account; it may impersonate the Sales
 * department (alice@, bob@) and is dave@'s delegate with Editor on every
 * folder and send-on-behalf. svc-mcp@, alice@ and dave@ hold the same
 * seed content (5 Inbox messages, Inbox/Projects/2026, Inbox/Customers,
 * 3 calendar items, 2 contacts, 1 task, OOF disabled), so every mode runs
 * the same checks against its own mailbox.
 */
#ifndef SIMOPS_H
#define SIMOPS_H

#include "testutil.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/log.h"
#include "ews/client.h"
#include "ews/folders.h"
#include "ews/mailbox.h"
#include "ews/ops.h"
#include "sim/sim.h"

#define SVC "svc-mcp@contoso.test"

/* One way of reaching a mailbox. owner is the mailbox the mode works
 * on; the verification clients sign in as that owner with Basic. */
typedef struct simops_mode {
	const char *name;
	ews_auth_type auth;
	ews_target_type type;
	const char *username;        /* Basic/NTLM login of the service */
	const char *target;          /* target_mailbox; NULL = primary */
	const char *owner;
	ews_access access;           /* what ews_mailbox_access() must say */
	int impersonates;            /* every request names owner in an
				      * ExchangeImpersonation header */
} simops_mode;

static const struct {
	const char *smtp;
	const char *password;
} simops_users[] = {
	{ SVC, "Svc-Pass-2026!" },
	{ "alice@contoso.test", "Alice-Pass-2026!" },
	{ "bob@contoso.test", "Bob-Pass-2026!" },
	{ "carol@contoso.test", "Carol-Pass-2026!" },
	{ "dave@contoso.test", "Dave-Pass-2026!" },
	{ "erin@contoso.test", "Erin-Pass-2026!" },
};

#define SIMOPS_NUSERS (sizeof(simops_users) / sizeof(simops_users[0]))

typedef struct simops {
	const simops_mode *m;
	ews_sim *sim;
	ews_client *c;               /* the client under test */
	ews_mailbox *mb;
	ews_ctx ctx;                 /* ... on the mode's mailbox */
	ews_client *uc[SIMOPS_NUSERS];  /* signed in as each user, lazily */
	ews_mailbox *umb[SIMOPS_NUSERS];
	ews_ctx uctx[SIMOPS_NUSERS];
	long hook_requests;          /* requests the client under test sent */
	long hook_op_requests;       /* ... of the operation in hook_op */
	char hook_op[64];
	long with_header;            /* requests impersonating the owner */
	long without_header;         /* requests impersonating nobody */
	long other_header;           /* requests impersonating someone else */
	long writes;                 /* write requests (each on a fresh
				      * connection, transport.h) */
} simops;

/* Fails the test with the call, its error text and Exchange's code.
 * Clears err first: errinfo keeps the first message. */
#define MUST(expr) \
	do { \
		errinfo_clear(&err); \
		if ((expr) != 0) \
			fail_msg("%s:%d: %s failed: %s [%s]", __FILE__, __LINE__, \
				 #expr, err.msg, err.ews_code); \
	} while (0)

/* Evaluates a call that must fail with code; err keeps its error. */
#define MUST_FAIL(expr, code) \
	do { \
		int rc_; \
		errinfo_clear(&err); \
		rc_ = (expr); \
		if (rc_ != (code)) \
			fail_msg("%s:%d: %s returned %d, expected %d (%s) [%s]", \
				 __FILE__, __LINE__, #expr, rc_, (code), err.msg, \
				 err.ews_code); \
	} while (0)

static inline const char *js(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Non-zero if needle occurs in the len bytes at hay (not NUL-ended). */
static inline int has_bytes(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

static void simops_hook(const char *op, const char *body, size_t len,
			void *payload)
{
	static const char *const writes[] = { "CreateItem", "UpdateItem",
		"DeleteItem", "MoveItem", "CopyItem", "SendItem", "CreateFolder",
		"DeleteFolder", "UpdateFolder", "MoveFolder", "SetUserOofSettings",
		"CreateAttachment", "DeleteAttachment", "UpdateInboxRules" };
	simops *f = payload;
	char want[256];
	size_t i;

	for (i = 0; i < sizeof(writes) / sizeof(writes[0]); i++)
		if (strcmp(op, writes[i]) == 0)
			f->writes++;
	snprintf(want, sizeof(want), "<t:PrimarySmtpAddress>%s<", f->m->owner);
	if (!has_bytes(body, len, "ExchangeImpersonation"))
		f->without_header++;
	else if (has_bytes(body, len, want))
		f->with_header++;
	else
		f->other_header++;
	f->hook_requests++;
	if (strcmp(op, f->hook_op) == 0)
		f->hook_op_requests++;
}

/* GET (post NULL) or POST to the sim's /sim/ endpoints; heap string. */
static inline char *simops_http(const simops *f, const char *path,
				const char *post)
{
	char url[256];
	CURL *h = curl_easy_init();
	char *data = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&data, &len);

	snprintf(url, sizeof(url), "%s%s", ews_sim_url(f->sim), path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	if (post)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, mem);
	assert_int_equal(curl_easy_perform(h), CURLE_OK);
	fclose(mem);
	curl_easy_cleanup(h);
	return data;
}

/* A number from GET /sim/stats by dotted path ("by_operation.FindItem");
 * 0 when absent. */
static inline long long simops_stat(const simops *f, const char *path)
{
	char *j = simops_http(f, "/sim/stats", NULL);
	json_t *doc = json_loads(j, 0, NULL), *v = doc;
	char key[128];
	const char *p = path;
	long long n;

	while (v && *p) {
		size_t len = strcspn(p, ".");

		snprintf(key, sizeof(key), "%.*s", (int)len, p);
		v = json_object_get(v, key);
		p += len;
		if (*p == '.')
			p++;
	}
	n = json_integer_value(v);
	json_decref(doc);
	free(j);
	return n;
}

static inline const char *simops_password(const char *smtp)
{
	size_t i;

	for (i = 0; i < SIMOPS_NUSERS; i++)
		if (strcmp(simops_users[i].smtp, smtp) == 0)
			return simops_users[i].password;
	fail_msg("no such user in the test org: %s", smtp);
	return NULL;
}

static inline void simops_base_options(ews_client_options *o, const simops *f,
				       char *url, size_t urlsize)
{
	snprintf(url, urlsize, "%s/EWS/Exchange.asmx", ews_sim_url(f->sim));
	o->url = url;
	o->retry.base_delay_ms = 20;
}

/* The fixture for mode m: a fresh sim and the client under test, with
 * the mode's mailbox resolved (no request is sent for that). */
static inline simops *simops_open(const simops_mode *m)
{
	ews_sim_options so = EWS_SIM_OPTIONS_INIT;
	ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	char org[1024], url[256];
	const char *src = getenv("EWS_SOURCE_DIR");
	simops *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	log_set_level(getenv("SIM_VERBOSE") ? LOG_LEVEL_DEBUG : LOG_LEVEL_ERROR);
	f->m = m;
	snprintf(org, sizeof(org), "%s/sim/orgs/ews-ops.json", src ? src : "../../..");
	so.org_path = org;
	so.quiet = getenv("SIM_VERBOSE") ? 0 : 1;
	if (ews_sim_start(&f->sim, &so, &err) != 0)
		fail_msg("sim: %s", err.msg);
	simops_base_options(&o, f, url, sizeof(url));
	o.primary_smtp = SVC;
	o.auth_type = m->auth;
	o.username = m->username;
	o.password = simops_password(SVC);
	o.oauth_authority = ews_sim_url(f->sim);
	o.tenant_id = "contoso.test";
	o.client_id = "6731de76-14a6-49ae-97bc-6eba6914391e";
	o.client_secret = "ews-ops-app-secret";
	o.impersonation_enabled = 1;
	o.impersonation_type = m->type;
	o.request_hook = simops_hook;
	o.request_hook_payload = f;
	MUST(ews_client_new(&f->c, &o, &err));
	MUST(ews_mailbox_resolve(&f->mb, f->c, m->target, &err));
	assert_int_equal(ews_mailbox_access(f->mb), m->access);
	assert_string_equal(ews_mailbox_address(f->mb), m->owner);
	f->ctx.client = f->c;
	f->ctx.mailbox = f->mb;
	f->ctx.cancel = NULL;
	return f;
}

static inline void simops_close(simops *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < SIMOPS_NUSERS; i++) {
		ews_mailbox_free(f->umb[i]);
		ews_client_free(f->uc[i]);
	}
	ews_mailbox_free(f->mb);
	ews_client_free(f->c);
	ews_sim_stop(f->sim);
	free(f);
}

/* A context signed in as smtp (Basic, own mailbox): how that user sees
 * the org. Created on first use, owned by the fixture. */
static inline const ews_ctx *simops_as(simops *f, const char *smtp)
{
	ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	char url[256];
	size_t i;

	for (i = 0; i < SIMOPS_NUSERS; i++)
		if (strcmp(simops_users[i].smtp, smtp) == 0)
			break;
	assert_true(i < SIMOPS_NUSERS);
	if (f->uc[i])
		return &f->uctx[i];
	simops_base_options(&o, f, url, sizeof(url));
	o.primary_smtp = smtp;
	o.auth_type = EWS_AUTH_BASIC;
	o.username = smtp;
	o.password = simops_users[i].password;
	MUST(ews_client_new(&f->uc[i], &o, &err));
	MUST(ews_mailbox_resolve(&f->umb[i], f->uc[i], NULL, &err));
	f->uctx[i].client = f->uc[i];
	f->uctx[i].mailbox = f->umb[i];
	f->uctx[i].cancel = NULL;
	return &f->uctx[i];
}

/* The mailbox owner's own view of the mailbox the mode works on. */
static inline const ews_ctx *simops_owner(simops *f)
{
	return simops_as(f, f->m->owner);
}

/* Starts counting the requests of op sent by the client under test. */
static inline void simops_count(simops *f, const char *op)
{
	snprintf(f->hook_op, sizeof(f->hook_op), "%s", op);
	f->hook_op_requests = 0;
	f->hook_requests = 0;
}

static inline soap_folder_ref dist(const char *name)
{
	soap_folder_ref r = { 0 };

	r.distinguished = name;
	return r;
}

/* Every item of a folder (FindItem, Default shape plus the properties the
 * tests compare), sorted by received time, newest first. New reference. */
static inline json_t *simops_items(const ews_ctx *ctx, soap_folder_ref folder)
{
	static const char *const fields[] = { "item:Subject",
		"item:DateTimeReceived", "item:ItemClass", "item:HasAttachments" };
	soap_sort sort = { "item:DateTimeReceived", 1 };
	soap_find_item_args a = { .shape = { .base = "IdOnly", .fields = fields,
					     .nfields = 4 },
				  .max_entries = 200, .folders = &folder,
				  .nfolders = 1, .sort = &sort, .nsort = 1 };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *items;

	MUST(ews_find_item(&out, ctx, &a, &err));
	items = json_incref(json_object_get(out, "items"));
	json_decref(out);
	assert_non_null(items);
	return items;
}

/* The item with this exact subject in folder (full GetItem view, new
 * reference), or NULL. Fails the test if there are several. */
static inline json_t *simops_find(const ews_ctx *ctx, soap_folder_ref folder,
				  const char *subject)
{
	json_t *items = simops_items(ctx, folder), *it, *hit = NULL, *got = NULL;
	json_t *arr = NULL;
	errinfo err = ERRINFO_INIT;
	size_t i;

	json_array_foreach(items, i, it) {
		const char *s = js(it, "subject");

		if (s && strcmp(s, subject) == 0) {
			if (hit)
				fail_msg("two items with subject '%s'", subject);
			hit = it;
		}
	}
	if (hit) {
		soap_item_ref ref = { js(hit, "item_id"), NULL };
		soap_get_item_args g = { .shape = { .base = "AllProperties" },
					 .ids = &ref, .nids = 1 };

		MUST(ews_get_item(&arr, ctx, &g, &err));
		got = json_incref(json_array_get(arr, 0));
		json_decref(arr);
	}
	json_decref(items);
	return got;
}

/* GetItem (AllProperties) of one id as ctx sees it; new reference. */
static inline json_t *simops_get(const ews_ctx *ctx, const char *id)
{
	soap_item_ref ref = { id, NULL };
	soap_get_item_args g = { .shape = { .base = "AllProperties" },
				 .ids = &ref, .nids = 1 };
	errinfo err = ERRINFO_INIT;
	json_t *arr = NULL, *it;

	assert_non_null(id);
	MUST(ews_get_item(&arr, ctx, &g, &err));
	it = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	assert_non_null(it);
	return it;
}

/* The id of a distinguished folder of ctx's mailbox (heap string). */
static inline char *simops_folder_id(const ews_ctx *ctx, const char *name)
{
	soap_folder_ref r = dist(name);
	soap_get_folder_args a = { .shape = { .base = "IdOnly" }, .folders = &r,
				   .nfolders = 1 };
	errinfo err = ERRINFO_INIT;
	json_t *arr = NULL;
	char *id;

	MUST(ews_get_folder(&arr, ctx, &a, &err));
	id = strdup(js(json_array_get(arr, 0), "folder_id"));
	json_decref(arr);
	return id;
}

/* The folders under parent ("Shallow" or "Deep") as an object display
 * name -> folder id; new reference. */
static inline json_t *simops_subfolders(const ews_ctx *ctx,
					soap_folder_ref parent,
					const char *traversal)
{
	static const char *const fields[] = { "folder:DisplayName" };
	soap_find_folder_args a = { .traversal = traversal,
				    .shape = { .base = "IdOnly", .fields = fields,
					       .nfields = 1 },
				    .parents = &parent, .nparents = 1 };
	errinfo err = ERRINFO_INIT;
	json_t *out = NULL, *names = json_object(), *fo;
	size_t i;

	MUST(ews_find_folder(&out, ctx, &a, &err));
	json_array_foreach(json_object_get(out, "folders"), i, fo)
		json_object_set_new(names, js(fo, "display_name"),
				    json_string(js(fo, "folder_id")));
	json_decref(out);
	return names;
}

/* The folder id of a display-name path as ctx resolves it (heap), or
 * NULL with err->code ERR_NOTFOUND when there is no such folder. */
static inline char *simops_path_id(const ews_ctx *ctx, const char *path,
				   errinfo *err)
{
	ews_folder fo;

	errinfo_clear(err);
	if (ews_folder_resolve(&fo, ctx, path, err) < 0)
		return NULL;
	return strdup(fo.id);
}

#endif
