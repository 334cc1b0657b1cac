/* check.c - `ews-mcp check [--mailbox ADDR]`: is this configuration going
 * to work? Each step prints what it found and, when it fails, what to
 * change. The probes are single reads (GetFolder of an Inbox), so a check
 * never changes a mailbox. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "ews/folders.h"
#include "ews/mailbox.h"
#include "ews/ops.h"

static void ok(const char *what, const char *detail)
{
	printf("  ok    %s%s%s%s\n", what, detail ? " (" : "", detail ? detail : "",
	       detail ? ")" : "");
}

static void fail(const char *what, const errinfo *err, const char *fix)
{
	printf("  FAIL  %s: %s\n", what, err->msg);
	if (err->ews_code[0])
		printf("        Exchange said: %s\n", err->ews_code);
	if (fix)
		printf("        fix: %s\n", fix);
}

/* What to do about a failed probe, by kind of failure and access mode. */
static const char *fix_for(const errinfo *err, const cfg *conf, int other_mailbox)
{
	switch (err->code) {
	case ERR_AUTH:
		return conf->auth_type == CFG_AUTH_OAUTH2
		       ? "check EWS_TENANT_ID, EWS_CLIENT_ID and EWS_CLIENT_SECRET, and that the "
			 "app has the full_access_as_app permission with admin consent"
		       : "check EWS_USERNAME and EWS_PASSWORD (DOMAIN\\user or user@domain), "
			 "and EWS_AUTH_TYPE (ntlm for most on-premises servers)";
	case ERR_IO:
	case ERR_TIMEOUT:
	case ERR_TRANSIENT:
		if (strstr(err->msg, "nothing listens at"))
			return "Exchange serves EWS over HTTPS, usually on port 443: "
			       "https://<server>/EWS/Exchange.asmx";
		return "check EWS_SERVER_URL and that this machine can reach it (DNS, "
		       "proxy, firewall)";
	case ERR_CONFIG:
		return NULL; /* the message already names the setting */
	case ERR_ACCESS:
	case ERR_NOTFOUND:
		if (!other_mailbox)
			return "the account itself has no access to its Inbox: check EWS_EMAIL";
		if (strstr(err->ews_code, "NonExistentMailbox"))
			return "check the address: Exchange has no mailbox for it";
		return conf->impersonation_type != CFG_ACCESS_IMPERSONATION
		       ? "the mailbox owner must grant this account delegate access "
			 "(Outlook: File > Account Settings > Delegate Access, or "
			 "Add-MailboxFolderPermission)"
		       : "grant the ApplicationImpersonation role to this account with a "
			 "scope that includes the mailbox (New-ManagementRoleAssignment), or "
			 "set EWS_IMPERSONATION_TYPE=delegate if it has delegate access";
	default:
		return NULL;
	}
}

/* GetFolder of the Inbox of ctx's mailbox. */
static int read_inbox(json_t **out, ews_ctx *ctx, errinfo *err)
{
	static const char *const fields[] = { "folder:DisplayName", "folder:TotalCount" };
	soap_get_folder_args ga;
	soap_folder_ref ref;
	ews_folder inbox;

	*out = NULL;
	if (ews_folder_resolve(&inbox, ctx, "inbox", err) < 0)
		return err->code ? err->code : ERR_GENERIC;
	memset(&ga, 0, sizeof(ga));
	ref = ews_folder_ref(&inbox);
	ga.shape.base = "IdOnly";
	ga.shape.fields = fields;
	ga.shape.nfields = 2;
	ga.folders = &ref;
	ga.nfolders = 1;
	return ews_get_folder(out, ctx, &ga, err);
}

/* GetFolder of the mailbox's Inbox: authenticates, and proves access. */
static int probe(ews_client *client, const char *target, const cfg *conf,
		 const char *label)
{
	errinfo err = ERRINFO_INIT;
	ews_mailbox *mb = NULL;
	json_t *out = NULL;
	ews_ctx ctx;
	int rc = -1;

	if (ews_mailbox_resolve(&mb, client, target, &err) < 0) {
		fail(label, &err, fix_for(&err, conf, target != NULL));
		return -1;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.client = client;
	ctx.mailbox = mb;
	rc = read_inbox(&out, &ctx, &err);
	if (rc < 0 && ews_mailbox_moved_to_delegate(mb, &err)) {
		/* auto mode: impersonation refused, delegate access next */
		errinfo_clear(&err);
		rc = read_inbox(&out, &ctx, &err);
	}
	if (rc < 0) {
		fail(label, &err, fix_for(&err, conf, target != NULL));
	} else {
		char line[600];

		snprintf(line, sizeof(line), "%s: Inbox of %s readable (%s, %lld items)", label,
			 ews_mailbox_address(mb), ews_access_name(ews_mailbox_access(mb)),
			 (long long)json_integer_value(json_object_get(json_array_get(out, 0),
								       "total_count")));
		ok(line, NULL);
	}
	json_decref(out);
	ews_mailbox_free(mb);
	return rc;
}

int cli_check(const cfg *conf, const char *mailbox)
{
	errinfo err = ERRINFO_INIT;
	tools_ctx *tools = NULL;
	int failures = 0;

	printf("ews-mcp check\n");
	ok("configuration loaded", conf->ews_email);
	if (tools_ctx_new(&tools, conf, &err) < 0) {
		fail("client", &err, NULL);
		return 1;
	}
	/* "ok" only for what was verified: the endpoint is named once it
	 * has answered as EWS. */
	if (probe(tools->client, NULL, conf, "sign-in and own mailbox") < 0)
		failures++;
	else
		ok("endpoint answers EWS", ews_client_url(tools->client));
	if (mailbox) {
		if (!conf->impersonation_enabled) {
			printf("  FAIL  %s: impersonation is disabled\n", mailbox);
			printf("        fix: set EWS_IMPERSONATION_ENABLED=true (and "
			       "EWS_IMPERSONATION_TYPE=impersonation, delegate or auto)\n");
			failures++;
		} else if (probe(tools->client, mailbox, conf, "other mailbox") < 0) {
			failures++;
		}
	}
	if (failures)
		printf("%d problem(s) found\n", failures);
	else
		printf("all checks passed\n");
	tools_ctx_free(tools);
	return failures ? 1 : 0;
}
