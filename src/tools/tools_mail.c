/* tools_mail.c - MCP tools over EWS mail: read_emails, send_email,
 * reply_email, forward_email. Uses ews_* operations only (no XML here).
 *
 * Sends go through ews_send_message / ews_respond, which pick the way
 * Exchange requires for the access mode (delegate: draft + SendItem with
 * From = target, copy in the target's Sent Items). A send is never
 * retried after it may have reached Exchange; an optional idempotency_key
 * makes a client's own retry safe.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/log.h"
#include "ews/folders.h"
#include "ews/ops.h"
#include "tools/args.h"
#include "tools/convert.h"
#include "tools/families.h"
#include "tools/fingerprint.h"
#include "tools/runner.h"

/* ---- shared schema pieces ------------------------------------------------ */

#define ADDRESS_LIST(desc) \
	"{\"type\":[\"array\",\"string\"],\"items\":{\"type\":\"string\",\"maxLength\":1000}," \
	"\"maxItems\":500,\"description\":\"" desc " Each is user@contoso.com or " \
	"Name <user@contoso.com>.\"}"

#define BODY_FORMAT_PROP \
	"\"body_format\":{\"type\":\"string\",\"enum\":[\"html\",\"markdown\",\"text\"]," \
	"\"default\":\"html\",\"description\":\"How body is written: html (sent as HTML " \
	"when it contains tags), markdown (converted to HTML) or text.\"}"

#define IDEMPOTENCY_PROP \
	"\"idempotency_key\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":200," \
	"\"description\":\"Optional key for this send. Repeating a call with the same key " \
	"returns the first outcome instead of sending again.\"}"

#define INLINE_ATTACHMENTS_PROP \
	"\"inline_attachments\":{\"type\":\"array\",\"maxItems\":100,\"description\":" \
	"\"Attachments given as base64 content.\",\"items\":{\"type\":\"object\"," \
	"\"properties\":{\"file_name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":255}," \
	"\"file_content\":{\"type\":\"string\",\"description\":\"Base64 content\"}," \
	"\"content_type\":{\"type\":\"string\",\"maxLength\":255}," \
	"\"is_inline\":{\"type\":\"boolean\"},\"content_id\":{\"type\":\"string\",\"maxLength\":255}}," \
	"\"required\":[\"file_name\",\"file_content\"],\"additionalProperties\":false}}"

#define FILE_ATTACHMENTS_PROP \
	"\"attachments\":{\"type\":\"array\",\"maxItems\":100,\"items\":{\"type\":\"string\"," \
	"\"minLength\":1,\"maxLength\":4096},\"description\":\"Paths of local files to attach; " \
	"only files inside EWS_ATTACHMENT_DIR are allowed.\"}"

/* Exchange keeps message bodies up to tens of MB, but an MCP message
 * carrying more than a few MB of text is almost certainly a mistake. */
#define BODY_MAX "4000000"

static void free_mailboxes(soap_mailbox *a, soap_mailbox *b, soap_mailbox *c)
{
	free(a);
	free(b);
	free(c);
}

/* ---- read_emails ------------------------------------------------------------ */

static const char read_emails_schema[] =
	"{\"type\":\"object\",\"properties\":{"
	"\"folder\":{\"type\":\"string\",\"default\":\"inbox\",\"minLength\":1,\"maxLength\":1024,"
	"\"description\":\"inbox, sent, drafts, deleted, junk, archive, a path such as "
	"Inbox/Projects/2026, or a folder id.\"},"
	"\"max_results\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000,\"default\":50},"
	"\"offset\":{\"type\":\"integer\",\"minimum\":0,\"default\":0,"
	"\"description\":\"Skip this many of the newest messages (paging).\"},"
	"\"unread_only\":{\"type\":\"boolean\",\"default\":false},"
	"\"include_body\":{\"type\":\"boolean\",\"default\":false,"
	"\"description\":\"Also return each message's text body (one more request).\"},"
	"\"format\":{\"type\":\"string\",\"enum\":[\"html\",\"markdown\",\"text\"],"
	"\"description\":\"Accepted for compatibility; bodies are returned as text.\"},"
	"\"trim_quoted\":{\"type\":\"boolean\",\"description\":\"Accepted for compatibility.\"},"
	TOOLS_TARGET_MAILBOX_PROP
	"},\"additionalProperties\":false}";

static int resolve_folder(ews_folder *f, tools_req *req, const char *spec, errinfo *err)
{
	if (ews_folder_spec_is_id(spec))
		return ews_folder_from_id(f, spec, NULL, err);
	return ews_folder_resolve(f, &req->ews, spec, err);
}

/* An email in the list: the names clients of the Python server expect. */
static json_t *email_summary(const json_t *item, const cfg *conf)
{
	const json_t *from = json_object_get(item, "from");
	json_t *e = json_object();

	json_object_set(e, "message_id", json_object_get(item, "item_id"));
	if (json_object_get(item, "change_key"))
		json_object_set(e, "change_key", json_object_get(item, "change_key"));
	json_object_set_new(e, "subject", json_object_get(item, "subject")
			    ? json_incref(json_object_get(item, "subject")) : json_string(""));
	json_object_set(e, "from", json_object_get(from, "email"));
	if (json_object_get(from, "name"))
		json_object_set(e, "from_name", json_object_get(from, "name"));
	if (json_object_get(item, "display_to"))
		json_object_set(e, "to", json_object_get(item, "display_to"));
	if (json_object_get(item, "display_cc"))
		json_object_set(e, "cc", json_object_get(item, "display_cc"));
	json_object_set_new(e, "received_time",
			    tools_time_local(json_string_value(json_object_get(item, "received")),
					     conf));
	json_object_set(e, "is_read", json_object_get(item, "is_read"));
	json_object_set(e, "has_attachments", json_object_get(item, "has_attachments"));
	if (json_object_get(item, "importance"))
		json_object_set(e, "importance", json_object_get(item, "importance"));
	if (json_object_get(item, "conversation_id"))
		json_object_set(e, "conversation_id", json_object_get(item, "conversation_id"));
	json_object_set_new(e, "preview", json_object_get(item, "preview")
			    ? tools_preview(json_string_value(json_object_get(item, "preview")), 200)
			    : json_string(""));
	return e;
}

/* Adds text bodies with one batched GetItem (ids in the page order). */
static int add_bodies(json_t *emails, tools_req *req, errinfo *err)
{
	size_t n = json_array_size(emails), i;
	soap_item_ref *ids;
	soap_get_item_args ga;
	json_t *items = NULL, *e;
	int error;

	if (!n)
		return 0;
	ids = calloc(n, sizeof(*ids));
	if (!ids)
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	json_array_foreach(emails, i, e)
		ids[i].id = json_string_value(json_object_get(e, "message_id"));
	memset(&ga, 0, sizeof(ga));
	ga.shape.base = "IdOnly";
	ga.shape.body_type = "Text";
	{
		static const char *const fields[] = { "item:Body" };

		ga.shape.fields = fields;
		ga.shape.nfields = 1;
	}
	ga.ids = ids;
	ga.nids = n;
	error = ews_get_item(&items, &req->ews, &ga, err);
	free(ids);
	if (error < 0)
		return error;
	json_array_foreach(emails, i, e) {
		json_t *it = json_array_get(items, i);

		if (json_object_get(it, "body"))
			json_object_set(e, "body", json_object_get(it, "body"));
	}
	json_decref(items);
	return 0;
}

static int read_emails_body(json_t **data, tools_req *req, const json_t *args, errinfo *err)
{
	static const char *const fields_2013[] = {
		"item:Subject", "message:From", "item:DateTimeReceived", "message:IsRead",
		"item:HasAttachments", "item:Importance", "item:DisplayTo", "item:DisplayCc",
		"item:ConversationId", "item:Preview",
	};
	const cfg *conf = req->ctx->conf;
	const char *folder_spec;
	long max_results, offset;
	int unread_only, include_body, error;
	ews_folder folder;
	soap_folder_ref ref;
	soap_find_item_args fa;
	soap_restriction unread = { SOAP_R_EQ, "message:IsRead", NULL, "false", NULL, NULL, NULL, 0 };
	soap_sort newest = { "item:DateTimeReceived", 1 };
	json_t *found = NULL, *emails, *item;
	size_t i;
	char message[64];

	if (tools_arg_str(&folder_spec, args, "folder", 0, err) < 0 ||
	    tools_arg_long(&max_results, args, "max_results", 50, 1, 1000, err) < 0 ||
	    tools_arg_long(&offset, args, "offset", 0, 0, 1000000000L, err) < 0 ||
	    tools_arg_bool(&unread_only, args, "unread_only", 0, err) < 0 ||
	    tools_arg_bool(&include_body, args, "include_body", 0, err) < 0)
		return err->code;
	if (!folder_spec)
		folder_spec = "inbox";
	error = resolve_folder(&folder, req, folder_spec, err);
	if (error < 0)
		return error;
	ref = ews_folder_ref(&folder);

	memset(&fa, 0, sizeof(fa));
	fa.traversal = "Shallow";
	fa.shape.base = "IdOnly";
	fa.shape.fields = fields_2013;
	/* item:Preview exists from Exchange 2013 on. */
	fa.shape.nfields = conf->ews_server_version &&
			   strcmp(conf->ews_server_version, "Exchange2010_SP2") == 0
			   ? sizeof(fields_2013) / sizeof(fields_2013[0]) - 1
			   : sizeof(fields_2013) / sizeof(fields_2013[0]);
	fa.view = SOAP_VIEW_INDEXED;
	fa.max_entries = (int)max_results;
	fa.offset = (int)offset;
	fa.restriction = unread_only ? &unread : NULL;
	fa.sort = &newest;
	fa.nsort = 1;
	fa.folders = &ref;
	fa.nfolders = 1;
	error = ews_find_item(&found, &req->ews, &fa, err);
	if (error < 0)
		return error;

	emails = json_array();
	json_array_foreach(json_object_get(found, "items"), i, item)
		json_array_append_new(emails, email_summary(item, conf));
	if (include_body && add_bodies(emails, req, err) < 0) {
		json_decref(emails);
		json_decref(found);
		return err->code;
	}
	snprintf(message, sizeof(message), "Retrieved %zu emails", json_array_size(emails));
	*data = json_pack("{s:s, s:o, s:I, s:s, s:b}", "message", message, "emails", emails,
			  "total_count", json_integer_value(json_object_get(found,
								"total_items_in_view")),
			  "folder", folder_spec,
			  "more_available",
			  !json_is_true(json_object_get(found, "includes_last_item_in_range")));
	json_object_set_new(*data, "count", json_integer((json_int_t)json_array_size(emails)));
	json_decref(found);
	return 0;
}

static int read_emails(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	return tools_run(out, call, args, read_emails_body, err);
}

/* ---- idempotent sending ------------------------------------------------------- */

typedef struct send_guard {
	const char *key;
	int claimed;
} send_guard;

/* Claims the idempotency key (if any). 1 with *replay set when the send
 * already happened; 0 to go ahead; ERR_* when the key cannot be used. */
static int guard_begin(send_guard *g, json_t **replay, tools_req *req,
		       const json_t *args, errinfo *err)
{
	static const char *const skip[] = { "idempotency_key", "dry_run", NULL };
	char fp[17];
	tools_claim state;

	memset(g, 0, sizeof(*g));
	*replay = NULL;
	if (tools_arg_str(&g->key, args, "idempotency_key", 0, err) < 0)
		return err->code;
	if (!g->key)
		return 0;
	tools_fingerprint(fp, args, skip);
	if (tools_ledger_claim(req->ctx->ledger, g->key, req->mailbox, req->call->name, fp,
			       &state, replay, err) < 0)
		return err->code;
	switch (state) {
	case TOOLS_CLAIM_NEW:
		g->claimed = 1;
		return 0;
	case TOOLS_CLAIM_DONE:
		return 1;
	case TOOLS_CLAIM_BUSY:
		return errinfo_set(err, ERR_CONFLICT, "idempotency_key '%s': a call with this key "
				   "is still in progress; wait for its result", g->key);
	case TOOLS_CLAIM_UNKNOWN:
		return errinfo_set(err, ERR_OUTCOME_UNKNOWN, "idempotency_key '%s': an earlier "
				   "attempt may have been sent; check Sent Items of %s before "
				   "sending again with a new key", g->key, req->mailbox);
	case TOOLS_CLAIM_MISMATCH:
		return errinfo_set(err, ERR_CONFLICT, "idempotency_key '%s' was already used for "
				   "a different message", g->key);
	}
	return 0;
}

static void guard_end(send_guard *g, tools_req *req, const json_t *result, const errinfo *err)
{
	if (!g->claimed)
		return;
	tools_ledger_settle(req->ctx->ledger, g->key, req->mailbox, result,
			    !result && err->code == ERR_OUTCOME_UNKNOWN);
}

/* What a replayed key returns: the first result, marked as a replay. */
static json_t *replayed(json_t *previous)
{
	json_t *data = json_is_object(previous) ? previous : json_object();

	json_object_set_new(data, "idempotent_replay", json_true());
	if (!json_object_get(data, "message"))
		json_object_set_new(data, "message", json_string("Already sent with this idempotency_key"));
	return data;
}

static void now_local(json_t *data, const char *key, const cfg *conf)
{
	char utc[32];

	tools_time_utc(utc, sizeof(utc), (int64_t)time(NULL));
	json_object_set_new(data, key, tools_time_local(utc, conf));
}

/* ---- send_email ------------------------------------------------------------ */

static const char send_email_schema[] =
	"{\"type\":\"object\",\"properties\":{"
	"\"to\":" ADDRESS_LIST("Recipients (email addresses).") ","
	"\"subject\":{\"type\":\"string\",\"maxLength\":1000},"
	"\"body\":{\"type\":\"string\",\"maxLength\":" BODY_MAX "},"
	"\"cc\":" ADDRESS_LIST("Copy recipients.") ","
	"\"bcc\":" ADDRESS_LIST("Blind copy recipients.") ","
	"\"importance\":{\"type\":\"string\",\"enum\":[\"Low\",\"Normal\",\"High\"],\"default\":\"Normal\"},"
	BODY_FORMAT_PROP ","
	FILE_ATTACHMENTS_PROP ","
	INLINE_ATTACHMENTS_PROP ","
	"\"dry_run\":{\"type\":\"boolean\",\"default\":false,\"description\":\"Check and "
	"preview the message without sending it.\"},"
	IDEMPOTENCY_PROP ","
	TOOLS_TARGET_MAILBOX_PROP
	"},\"required\":[\"to\",\"subject\",\"body\"],\"additionalProperties\":false}";

static int send_email_body(json_t **data, tools_req *req, const json_t *args, errinfo *err)
{
	json_t *to = NULL, *cc = NULL, *bcc = NULL, *sent = NULL, *replay = NULL;
	soap_mailbox *mto = NULL, *mcc = NULL, *mbcc = NULL;
	const char *subject, *body, *format, *importance, *body_type;
	tools_attachments atts;
	soap_message m;
	send_guard guard;
	char *ews_body = NULL;
	int dry_run, error = 0;

	memset(&atts, 0, sizeof(atts));
	memset(&guard, 0, sizeof(guard));
	memset(&m, 0, sizeof(m));
	if (tools_arg_addresses(&to, args, "to", 1, err) < 0 ||
	    tools_arg_addresses(&cc, args, "cc", 0, err) < 0 ||
	    tools_arg_addresses(&bcc, args, "bcc", 0, err) < 0 ||
	    tools_arg_str(&subject, args, "subject", 0, err) < 0 ||
	    tools_arg_str(&body, args, "body", 0, err) < 0 ||
	    tools_arg_str(&format, args, "body_format", 0, err) < 0 ||
	    tools_arg_str(&importance, args, "importance", 0, err) < 0 ||
	    tools_arg_bool(&dry_run, args, "dry_run", 0, err) < 0 ||
	    tools_body(&ews_body, &body_type, body, format, err) < 0 ||
	    tools_attachments_load(&atts, args, req->ctx, err) < 0 ||
	    tools_mailboxes(&mto, &m.nto, to, err) < 0 ||
	    tools_mailboxes(&mcc, &m.ncc, cc, err) < 0 ||
	    tools_mailboxes(&mbcc, &m.nbcc, bcc, err) < 0) {
		error = err->code;
		goto done;
	}
	m.subject = subject ? subject : json_string_value(json_object_get(args, "subject"));
	m.body = ews_body;
	m.body_type = body_type;
	m.importance = importance;
	m.to = mto;
	m.cc = mcc;
	m.bcc = mbcc;
	m.attachments = atts.items;
	m.nattachments = atts.count;

	if (dry_run) {
		*data = json_pack("{s:s, s:b, s:b, s:O, s:O, s:O, s:s, s:o, s:s, s:I, s:s}",
				  "message", "Dry run: the email was checked and not sent",
				  "dry_run", 1, "sent", 0, "would_send_to", to, "would_cc", cc,
				  "would_bcc", bcc, "subject", m.subject ? m.subject : "",
				  "body_preview", tools_preview(ews_body, 280), "body_type", body_type,
				  "attachments_count", (json_int_t)atts.count,
				  "importance", importance ? importance : "Normal");
		error = 0;
		goto done;
	}

	error = guard_begin(&guard, &replay, req, args, err);
	if (error < 0)
		goto done;
	if (error == 1) {
		*data = replayed(replay);
		error = 0;
		goto done;
	}
	error = ews_send_message(&sent, &req->ews, &m, err);
	if (error == 0) {
		*data = json_pack("{s:s, s:b, s:O, s:O, s:O, s:s, s:I, s:O}",
				  "message", ews_mailbox_access(req->ews.mailbox) == EWS_ACCESS_DELEGATE
				  ? "Email sent successfully on behalf of the mailbox owner"
				  : "Email sent successfully",
				  "sent", 1, "recipients", to, "cc", cc, "bcc", bcc,
				  "subject", m.subject ? m.subject : "",
				  "attachments_count", (json_int_t)atts.count,
				  "method", json_object_get(sent, "method"));
		now_local(*data, "sent_time", req->ctx->conf);
	}
	guard_end(&guard, req, error == 0 ? *data : NULL, err);
	if (error == 0)
		log_info("Tools", "email sent from %s to %zu recipient(s)", req->mailbox,
			 json_array_size(to) + json_array_size(cc) + json_array_size(bcc));
done:
	json_decref(sent);
	json_decref(to);
	json_decref(cc);
	json_decref(bcc);
	free_mailboxes(mto, mcc, mbcc);
	tools_attachments_free(&atts);
	free(ews_body);
	return error < 0 ? error : 0;
}

static int send_email(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	return tools_run(out, call, args, send_email_body, err);
}

/* ---- reply_email / forward_email ------------------------------------------------ */

static const char reply_email_schema[] =
	"{\"type\":\"object\",\"properties\":{"
	"\"message_id\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":1024,"
	"\"description\":\"Id of the message to answer (message_id from read_emails).\"},"
	"\"body\":{\"type\":\"string\",\"maxLength\":" BODY_MAX "},"
	"\"reply_all\":{\"type\":\"boolean\",\"default\":false,\"description\":\"Answer the "
	"sender and every other recipient (the mailbox's own address is left out).\"},"
	"\"cc\":" ADDRESS_LIST("Extra copy recipients.") ","
	"\"bcc\":" ADDRESS_LIST("Extra blind copy recipients.") ","
	BODY_FORMAT_PROP ","
	IDEMPOTENCY_PROP ","
	TOOLS_TARGET_MAILBOX_PROP
	"},\"required\":[\"message_id\",\"body\"],\"additionalProperties\":false}";

static const char forward_email_schema[] =
	"{\"type\":\"object\",\"properties\":{"
	"\"message_id\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":1024,"
	"\"description\":\"Id of the message to forward (message_id from read_emails).\"},"
	"\"to\":" ADDRESS_LIST("Recipients of the forward.") ","
	"\"body\":{\"type\":\"string\",\"maxLength\":" BODY_MAX ",\"description\":"
	"\"Text placed above the forwarded message.\"},"
	"\"cc\":" ADDRESS_LIST("Copy recipients.") ","
	"\"bcc\":" ADDRESS_LIST("Blind copy recipients.") ","
	BODY_FORMAT_PROP ","
	IDEMPOTENCY_PROP ","
	TOOLS_TARGET_MAILBOX_PROP
	"},\"required\":[\"message_id\",\"to\"],\"additionalProperties\":false}";

/* Fetches what the answer needs to report about the original. */
static int get_original(json_t **item, tools_req *req, const char *id, errinfo *err)
{
	static const char *const fields[] = {
		"item:Subject", "message:From", "message:ToRecipients", "message:CcRecipients",
	};
	soap_item_ref ref = { id, NULL };
	soap_get_item_args ga;
	json_t *items = NULL;
	int error;

	memset(&ga, 0, sizeof(ga));
	ga.shape.base = "IdOnly";
	ga.shape.fields = fields;
	ga.shape.nfields = sizeof(fields) / sizeof(fields[0]);
	ga.ids = &ref;
	ga.nids = 1;
	error = ews_get_item(&items, &req->ews, &ga, err);
	if (error < 0)
		return error;
	*item = json_incref(json_array_get(items, 0));
	json_decref(items);
	if (json_object_get(*item, "error")) {
		json_decref(*item);
		*item = NULL;
		return errinfo_set(err, ERR_NOTFOUND, "message_id: no such message in %s", req->mailbox);
	}
	return 0;
}

static void add_unique(json_t *list, const json_t *person, const char *own)
{
	const char *email = json_string_value(json_object_get(person, "email"));
	size_t i;
	json_t *v;

	if (!email || (own && strcasecmp(email, own) == 0))
		return;
	json_array_foreach(list, i, v)
		if (strcasecmp(json_string_value(v), email) == 0)
			return;
	json_array_append_new(list, json_string(email));
}

/* The recipients Exchange's ReplyToItem / ReplyAllToItem will use: the
 * sender, plus (reply all) the other To and Cc recipients, without the
 * mailbox's own address and without repeats, ignoring case. */
static json_t *reply_recipients(const json_t *orig, int reply_all, const char *own,
				json_t **cc_out)
{
	json_t *to = json_array(), *cc = json_array(), *p;
	size_t i;

	add_unique(to, json_object_get(orig, "from"), reply_all ? own : NULL);
	if (reply_all) {
		json_array_foreach(json_object_get(orig, "to"), i, p)
			add_unique(to, p, own);
		json_array_foreach(json_object_get(orig, "cc"), i, p) {
			const char *e = json_string_value(json_object_get(p, "email"));
			size_t j;
			json_t *v;
			int dup = 0;

			json_array_foreach(to, j, v)
				if (e && strcasecmp(json_string_value(v), e) == 0)
					dup = 1;
			if (!dup)
				add_unique(cc, p, own);
		}
	}
	*cc_out = cc;
	return to;
}

static int respond_body(json_t **data, tools_req *req, const json_t *args, errinfo *err,
			soap_response_kind kind)
{
	json_t *orig = NULL, *to = NULL, *cc = NULL, *bcc = NULL, *out = NULL, *replay = NULL;
	json_t *report_to = NULL, *report_cc = NULL;
	soap_mailbox *mto = NULL, *mcc = NULL, *mbcc = NULL;
	const char *id, *body, *format, *body_type, *osubj;
	soap_respond_args ra;
	send_guard guard;
	char *ews_body = NULL, subject[1100], message[200];
	int reply_all = 0, error;

	memset(&ra, 0, sizeof(ra));
	memset(&guard, 0, sizeof(guard));
	error = tools_arg_str(&id, args, "message_id", 1, err);
	if (!error)
		error = tools_arg_str(&body, args, "body", kind != SOAP_FORWARD, err);
	if (!error)
		error = tools_arg_str(&format, args, "body_format", 0, err);
	if (!error)
		error = tools_arg_bool(&reply_all, args, "reply_all", 0, err);
	if (!error)
		error = tools_arg_addresses(&to, args, "to", kind == SOAP_FORWARD, err);
	if (!error)
		error = tools_arg_addresses(&cc, args, "cc", 0, err);
	if (!error)
		error = tools_arg_addresses(&bcc, args, "bcc", 0, err);
	if (!error)
		error = tools_body(&ews_body, &body_type, body, format, err);
	if (!error)
		error = get_original(&orig, req, id, err);
	if (error < 0)
		goto done;
	if (kind == SOAP_REPLY && reply_all)
		kind = SOAP_REPLY_ALL;

	if ((error = tools_mailboxes(&mto, &ra.nto, to, err)) < 0 ||
	    (error = tools_mailboxes(&mcc, &ra.ncc, cc, err)) < 0 ||
	    (error = tools_mailboxes(&mbcc, &ra.nbcc, bcc, err)) < 0)
		goto done;
	ra.kind = kind;
	ra.reference.id = id;
	ra.body = ews_body;
	ra.body_type = body_type;
	ra.to = mto;
	ra.cc = mcc;
	ra.bcc = mbcc;

	error = guard_begin(&guard, &replay, req, args, err);
	if (error < 0)
		goto done;
	if (error == 1) {
		*data = replayed(replay);
		error = 0;
		goto done;
	}
	error = ews_respond(&out, &req->ews, &ra, err);
	if (error == 0) {
		osubj = json_string_value(json_object_get(orig, "subject"));
		tools_req_touch(req, id);
		if (kind == SOAP_FORWARD) {
			snprintf(subject, sizeof(subject), "FW: %s", osubj ? osubj : "");
			*data = json_pack("{s:s, s:s, s:s, s:O, s:O, s:O}",
					  "message", "Email forwarded successfully",
					  "original_message_id", id, "original_subject", osubj ? osubj : "",
					  "forwarded_to", to, "cc", cc, "bcc", bcc);
		} else {
			report_to = reply_recipients(orig, kind == SOAP_REPLY_ALL, req->mailbox,
						     &report_cc);
			snprintf(message, sizeof(message), "Reply sent to %zu recipient(s)",
				 json_array_size(report_to) + json_array_size(report_cc) +
				 json_array_size(cc) + json_array_size(bcc));
			*data = json_pack("{s:s, s:s, s:s, s:O, s:O, s:b}", "message", message,
					  "original_message_id", id,
					  "original_subject", osubj ? osubj : "",
					  "reply_to", report_to, "reply_cc", report_cc,
					  "reply_all", kind == SOAP_REPLY_ALL);
			if (json_array_size(cc))
				json_object_set(*data, "cc", cc);
			if (json_array_size(bcc))
				json_object_set(*data, "bcc", bcc);
		}
		json_object_set_new(*data, "sent", json_true());
		now_local(*data, "sent_time", req->ctx->conf);
	}
	guard_end(&guard, req, error == 0 ? *data : NULL, err);
done:
	json_decref(orig);
	json_decref(out);
	json_decref(to);
	json_decref(cc);
	json_decref(bcc);
	json_decref(report_to);
	json_decref(report_cc);
	free_mailboxes(mto, mcc, mbcc);
	free(ews_body);
	return error < 0 ? error : 0;
}

static int reply_email_body(json_t **data, tools_req *req, const json_t *args, errinfo *err)
{
	return respond_body(data, req, args, err, SOAP_REPLY);
}

static int forward_email_body(json_t **data, tools_req *req, const json_t *args, errinfo *err)
{
	return respond_body(data, req, args, err, SOAP_FORWARD);
}

static int reply_email(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	return tools_run(out, call, args, reply_email_body, err);
}

static int forward_email(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	return tools_run(out, call, args, forward_email_body, err);
}

static const tool_def mail_tools[] = {
	{ "read_emails", "Read emails",
	  "List the newest messages of a mail folder (inbox by default), with sender, "
	  "subject, time, read state and a preview. Works on another user's mailbox with "
	  "target_mailbox.",
	  read_emails_schema, NULL, TOOL_READ_ONLY | TOOL_OPEN_WORLD | TOOL_MAILBOX,
	  read_emails },
	{ "send_email", "Send email",
	  "Send a new email (HTML, Markdown or plain text; cc, bcc, importance, "
	  "attachments). With target_mailbox the message is sent from that mailbox and "
	  "saved in its Sent Items. Use dry_run to check without sending.",
	  send_email_schema, NULL, TOOL_OPEN_WORLD | TOOL_MAILBOX, send_email },
	{ "reply_email", "Reply to email",
	  "Reply to a message (or reply all), keeping the conversation thread. The "
	  "reply is sent from the mailbox the message is in.",
	  reply_email_schema, NULL, TOOL_OPEN_WORLD | TOOL_MAILBOX, reply_email },
	{ "forward_email", "Forward email",
	  "Forward a message, with its attachments, to new recipients, keeping the "
	  "conversation thread.",
	  forward_email_schema, NULL, TOOL_OPEN_WORLD | TOOL_MAILBOX, forward_email },
};

const toolset tools_mail = { mail_tools, sizeof(mail_tools) / sizeof(mail_tools[0]) };
