/* envelope.c - the SOAP layer of ews-sim: parses a request envelope,
 * checks RequestServerVersion and ExchangeImpersonation as Exchange does,
 * applies injected faults, dispatches on the Body child's local name, and
 * wraps the operation's answer (or a SOAP fault, ews-protocol.md §6.2) in
 * a response envelope carrying ServerVersionInfo.
 */
#include "sim/sim_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libxml/parser.h>

#include "core/log.h"
#include "sim/schema.h"
#include "sim/tzdef.h"
#include "soap/escape.h"

#define NS_SOAP11 "http://schemas.xmlsoap.org/soap/envelope/"
#define NS_T "http://schemas.microsoft.com/exchange/services/2006/types"
#define NS_M "http://schemas.microsoft.com/exchange/services/2006/messages"
#define NS_E "http://schemas.microsoft.com/exchange/services/2006/errors"

#define OP_WRITE 1u
#define OP_TZ 2u      /* the operation declares the TimeZoneContext header */

static const struct {
	const char *name;
	sim_op_fn fn;
	unsigned flags;
} ops[] = {
	{ "FindItem", sim_op_find_item, OP_TZ },
	{ "GetItem", sim_op_get_item, OP_TZ },
	{ "CreateItem", sim_op_create_item, OP_WRITE | OP_TZ },
	{ "UpdateItem", sim_op_update_item, OP_WRITE | OP_TZ },
	{ "DeleteItem", sim_op_delete_item, OP_WRITE },
	{ "MoveItem", sim_op_move_item, OP_WRITE },
	{ "CopyItem", sim_op_copy_item, OP_WRITE },
	{ "SendItem", sim_op_send_item, OP_WRITE },
	{ "FindFolder", sim_op_find_folder, OP_TZ },
	{ "GetFolder", sim_op_get_folder, OP_TZ },
	{ "CreateFolder", sim_op_create_folder, OP_WRITE | OP_TZ },
	{ "DeleteFolder", sim_op_delete_folder, OP_WRITE },
	{ "UpdateFolder", sim_op_update_folder, OP_WRITE | OP_TZ },
	{ "MoveFolder", sim_op_move_folder, OP_WRITE },
	{ "GetUserAvailabilityRequest", sim_op_get_user_availability, OP_TZ },
	{ "GetUserOofSettingsRequest", sim_op_get_oof, 0 },
	{ "SetUserOofSettingsRequest", sim_op_set_oof, OP_WRITE },
	{ "ResolveNames", sim_op_resolve_names, 0 },
	{ "FindPeople", sim_op_find_people, 0 },
	{ "ExpandDL", sim_op_expand_dl, 0 },
	{ "GetAttachment", sim_op_get_attachment, OP_TZ },
	{ "CreateAttachment", sim_op_create_attachment, OP_WRITE | OP_TZ },
	{ "DeleteAttachment", sim_op_delete_attachment, OP_WRITE },
	{ "GetInboxRules", sim_op_get_inbox_rules, OP_TZ },
	{ "UpdateInboxRules", sim_op_update_inbox_rules, OP_WRITE | OP_TZ },
	{ "SyncFolderItems", sim_op_sync_folder_items, 0 },
	{ "GetServerTimeZones", sim_op_get_server_time_zones, 0 },
	{ "ConvertId", sim_op_convert_id, 0 },
	{ NULL, NULL, 0 }
};

/* RequestServerVersion values Exchange accepts from clients. The schema
 * also lists V2015_10_05 ... V2018_01_08, but those are what a server
 * *reports*; Exchange 2019 rejects them (and "Exchange2019") with
 * ErrorInvalidRequest (ews-protocol.md §2). */
static const char *const versions[] = {
	"Exchange2007", "Exchange2007_SP1", "Exchange2009", "Exchange2010",
	"Exchange2010_SP1", "Exchange2010_SP2", "Exchange2012", "Exchange2013",
	"Exchange2013_SP1", "Exchange2015", "Exchange2016", NULL
};

void sim_rm_open(buf *b, const char *name, const sim_status *st)
{
	const char *cls = !st || !st->code ? "Success"
			  : st->warning ? "Warning" : "Error";

	buf_printf(b, "<m:%s ResponseClass=\"%s\">", name, cls);
	if (!st || !st->code) {
		buf_puts(b, "<m:ResponseCode>NoError</m:ResponseCode>");
		return;
	}
	buf_puts(b, "<m:MessageText>");
	soap_put_text(b, st->text);
	buf_printf(b, "</m:MessageText><m:ResponseCode>%s</m:ResponseCode>"
		   "<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>", st->code);
	if (st->backoff_ms > 0)
		buf_printf(b, "<m:MessageXml><t:Value Name=\"BackOffMilliseconds\">"
			   "%ld</t:Value></m:MessageXml>", st->backoff_ms);
}

void sim_rm_close(buf *b, const char *name)
{
	buf_printf(b, "</m:%s>", name);
}

static void put_fault(sim_reply *out, const sim_status *st)
{
	buf *b = &out->body;

	buf_clear(b);
	out->status = 500;
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
		 "<s:Envelope xmlns:s=\"" NS_SOAP11 "\"><s:Body><s:Fault>"
		 "<faultcode xmlns:a=\"" NS_T "\">a:");
	buf_puts(b, st->code);
	buf_puts(b, "</faultcode><faultstring xml:lang=\"en-US\">");
	soap_put_text(b, st->text);
	buf_printf(b, "</faultstring><detail><e:ResponseCode xmlns:e=\"" NS_E
		   "\">%s</e:ResponseCode><e:Message xmlns:e=\"" NS_E "\">",
		   st->code);
	soap_put_text(b, st->text);
	buf_puts(b, "</e:Message>");
	if (st->backoff_ms > 0)
		buf_printf(b, "<t:MessageXml xmlns:t=\"" NS_T "\"><t:Value "
			   "Name=\"BackOffMilliseconds\">%ld</t:Value>"
			   "</t:MessageXml>", st->backoff_ms);
	else if (st->violation[0]) {
		/* As Exchange details a schema violation; clients (exchangelib)
		 * read t:Violation. libxml2 keeps no column, so no LinePosition. */
		buf_puts(b, "<t:MessageXml xmlns:t=\"" NS_T "\">");
		if (st->line > 0)
			buf_printf(b, "<t:LineNumber>%ld</t:LineNumber>", st->line);
		buf_puts(b, "<t:Violation>");
		soap_put_text(b, st->violation);
		buf_puts(b, "</t:Violation></t:MessageXml>");
	}
	buf_puts(b, "</detail></s:Fault></s:Body></s:Envelope>");
}

static int check_version(const xmlNode *header, sim_status *st)
{
	xmlNode *rsv = sim_x_child(header, "RequestServerVersion");
	char *v;
	size_t i;
	int ok = 0;

	if (!rsv)
		return 0;  /* Exchange assumes its oldest supported version */
	v = sim_x_attr(rsv, "Version");
	for (i = 0; v && versions[i]; i++)
		if (strcmp(v, versions[i]) == 0)
			ok = 1;
	free(v);
	return ok ? 0 : sim_fail(st, "ErrorInvalidRequest");
}

/* Applies the TimeZoneContext header as Exchange does (the "Time zones and
 * EWS in Exchange" page, table 2): from RequestServerVersion Exchange2010
 * on, a dateTime without a zone in the request is a wall time of the
 * context's zone and new calendar items are created in it. Under
 * Exchange2007/Exchange2007_SP1 (also what a request without
 * RequestServerVersion gets) the header changes nothing, and operations
 * whose WSDL does not declare the header ignore it. The zone is named by
 * its Windows id (any case) and its rules come from tzdata, whatever
 * Periods the request carries; an id the server does not know is refused
 * with a SOAP fault, ErrorTimeZone ("The specified time zone isn't
 * valid."). Custom definitions (Periods under an unknown Id) are not
 * supported. */
static int apply_tz_context(sim_req *r, const xmlNode *header, unsigned flags)
{
	xmlNode *ctx = sim_x_child(header, "TimeZoneContext");
	xmlNode *def = sim_x_child(ctx, "TimeZoneDefinition");
	xmlNode *rsv = sim_x_child(header, "RequestServerVersion");
	char *v = sim_x_attr(rsv, "Version"), *id;
	int old = !v || strncmp(v, "Exchange2007", 12) == 0;
	const char *known;

	free(v);
	if (!ctx || !(flags & OP_TZ) || old)
		return 0;
	id = sim_x_attr(def, "Id");
	known = sim_tzdef_id(id);
	if (!known || sim_tzdef_zone(&r->tz, known) < 0) {
		if (!id)
			sim_failf(&r->fault, "ErrorTimeZone",
				  "The specified time zone isn't valid. TimeZoneContext/"
				  "TimeZoneDefinition needs the Id of a time zone "
				  "(GetServerTimeZones lists them).");
		else
			sim_failf(&r->fault, "ErrorTimeZone",
				  "The specified time zone isn't valid. TimeZoneContext/"
				  "TimeZoneDefinition Id \"%.128s\" is not a time zone this "
				  "server knows%s (GetServerTimeZones lists them).", id,
				  sim_x_child(def, "Periods") ? "; custom definitions are "
				  "not supported by ews-sim" : "");
		free(id);
		r->tz = NULL;
		return -1;
	}
	free(id);
	r->tz_id = known;
	return 0;
}

/* Resolves the ExchangeImpersonation header and the caller into r->actor. */
static int resolve_identity(sim_req *r, const xmlNode *header)
{
	const sim_org *org = r->ctx->org;
	xmlNode *imp = sim_x_child(header, "ExchangeImpersonation");
	xmlNode *sid, *c, *which = NULL;
	char *val = NULL;
	int target = -1, primary = 1, n = 0;

	r->actor = r->caller->user;
	if (!imp) {
		if (r->caller->app >= 0)
			return sim_failf(&r->fault,
					 "ErrorInvalidExchangeImpersonationHeaderData",
					 "ExchangeImpersonation SOAP header must be present for this type of OAuth token.");
		return 0;
	}
	sid = sim_x_child(imp, "ConnectingSID");
	for (c = sid ? sid->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE) {
			n++;
			which = c;
		}
	if (n != 1 || !(sim_x_is(which, "PrimarySmtpAddress") ||
			 sim_x_is(which, "SmtpAddress") ||
			 sim_x_is(which, "PrincipalName") || sim_x_is(which, "SID")))
		return sim_fail(&r->fault,
				"ErrorInvalidExchangeImpersonationHeaderData");
	val = sim_x_text(which);
	if (!val || !*val) {
		free(val);
		return sim_fail(&r->fault,
				"ErrorInvalidExchangeImpersonationHeaderData");
	}
	if (sim_x_is(which, "PrimarySmtpAddress") || sim_x_is(which, "SmtpAddress")) {
		if (!strchr(val, '@')) {
			free(val);
			return sim_fail(&r->fault, "ErrorInvalidSmtpAddress");
		}
		target = sim_org_find_smtp(org, val, &primary);
		if (target >= 0 && !primary && sim_x_is(which, "PrimarySmtpAddress")) {
			sim_failf(&r->fault, "ErrorNonPrimarySmtpAddress",
				  "The SMTP address format is invalid: %s is not the primary SMTP address; use %s.",
				  val, org->users[target].smtp);
			free(val);
			return -1;
		}
	} else if (sim_x_is(which, "PrincipalName")) {
		if (!strchr(val, '@')) {
			free(val);
			return sim_fail(&r->fault, "ErrorInvalidUserPrincipalName");
		}
		target = sim_org_find_upn(org, val);
	} else {
		if (strncasecmp(val, "S-1-", 4) != 0) {
			free(val);
			return sim_fail(&r->fault, "ErrorInvalidUserSid");
		}
		target = sim_org_find_sid(org, val);
	}
	free(val);
	if (target < 0)
		return sim_fail(&r->fault, "ErrorNonExistentMailbox");
	if (r->caller->app >= 0) {
		if (!sim_rights_app_covers(org, r->caller->app, target))
			return sim_fail(&r->fault, "ErrorImpersonateUserDenied");
	} else if (target != r->caller->user &&
		   !sim_rights_can_impersonate(org, r->caller->user, target)) {
		return sim_fail(&r->fault, "ErrorImpersonateUserDenied");
	}
	r->actor = target;
	r->impersonating = 1;
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

static void html_error(sim_reply *out, int status, const char *title)
{
	buf_clear(&out->body);
	out->status = status;
	out->content_type = "text/html; charset=utf-8";
	buf_printf(&out->body, "<!DOCTYPE html><html><head><title>%s</title>"
		   "</head><body><h1>Server Error in '/EWS' Application.</h1>"
		   "<h2>%s</h2></body></html>", title, title);
}

/* Runs the operation under the sim lock and frames its answer. */
static void run_op(sim_reply *out, sim_req *r, size_t idx, const xmlNode *opel)
{
	sim_ctx *ctx = r->ctx;
	buf body = BUF_INIT(SIM_REPLY_MAX);
	errinfo e = ERRINFO_INIT;
	int rc;

	long long changes = 0;

	r->out = &body;
	pthread_mutex_lock(&ctx->lock);
	if (ops[idx].flags & OP_WRITE) {
		sim_store_begin(ctx->store, &e);
		changes = sim_store_changes(ctx->store);
	}
	rc = ops[idx].fn(r, opel);
	if (ops[idx].flags & OP_WRITE) {
		/* Executed means the mailbox changed: an operation that
		 * answered with an error in its response message wrote
		 * nothing, and is not counted. */
		long long changed = sim_store_changes(ctx->store) - changes;

		if (sim_store_commit(ctx->store, &e) < 0) {
			log_error("ews-sim", "%s", e.msg);
			rc = sim_fail(&r->fault, "ErrorInternalServerError");
		} else if (rc == 0 && changed > 0) {
			r->wrote = 1;
		}
	}
	pthread_mutex_unlock(&ctx->lock);
	if (rc < 0 || buf_failed(&body)) {
		if (!r->fault.code)
			sim_failf(&r->fault, "ErrorInternalServerError",
				  "The response is too large or could not be written as XML.");
		put_fault(out, &r->fault);
	} else {
		buf_clear(&out->body);
		out->status = 200;
		buf_puts(&out->body, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
			 "<s:Envelope xmlns:s=\"" NS_SOAP11 "\" xmlns:m=\"" NS_M
			 "\" xmlns:t=\"" NS_T "\"><s:Header><h:ServerVersionInfo"
			 " xmlns:h=\"" NS_T "\" MajorVersion=\"15\" MinorVersion=\"20\""
			 " MajorBuildNumber=\"7452\" MinorBuildNumber=\"21\""
			 " Version=\"V2018_01_08\"/></s:Header><s:Body>");
		buf_put(&out->body, body.ptr ? body.ptr : "", body.len);
		buf_puts(&out->body, "</s:Body></s:Envelope>");
	}
	buf_dispose(&body);
}

void sim_ews_handle(sim_reply *out, sim_ctx *ctx, const sim_caller *caller,
		    const char *body, size_t len, const char *anchor)
{
	sim_req r;
	xmlDoc *doc = NULL;
	xmlNode *root, *header, *bodyel, *opel;
	const char *mailbox = NULL;
	sim_fault fault = { SIM_FAULT_NONE, 0 };
	size_t i;
	int executed = 0;

	memset(&r, 0, sizeof(r));
	r.written = -1;
	r.ctx = ctx;
	r.caller = caller;
	r.actor = caller->user;
	out->status = 200;
	out->content_type = "text/xml; charset=utf-8";
	sleep_ms(ctx->latency_ms);

	if (len > INT32_MAX) {
		sim_failf(&r.fault, "ErrorSchemaValidation", "The request is too large.");
		goto fault;
	}
	doc = xmlReadMemory(body, (int)len, "request.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING);
	if (!doc) {
		sim_failf(&r.fault, "ErrorSchemaValidation",
			  "The request failed schema validation: the body is not well-formed XML.");
		goto fault;
	}
	if (doc->intSubset || doc->extSubset) {
		sim_failf(&r.fault, "ErrorSchemaValidation",
			  "The request failed schema validation: DTDs are not allowed.");
		goto fault;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || !sim_x_is(root, "Envelope") || !root->ns ||
	    strcmp((const char *)root->ns->href, NS_SOAP11) != 0) {
		sim_failf(&r.fault, "ErrorSchemaValidation",
			  "The request failed schema validation: the root element must be a SOAP 1.1 Envelope (" NS_SOAP11 ").");
		goto fault;
	}
	header = sim_x_child(root, "Header");
	bodyel = sim_x_child(root, "Body");
	opel = sim_x_child(bodyel, NULL);
	if (!opel || sim_x_next(opel, NULL)) {
		sim_failf(&r.fault, "ErrorSchemaValidation",
			  "The request failed schema validation: soap:Body must contain exactly one operation element.");
		goto fault;
	}
	snprintf(r.op, sizeof(r.op), "%s", (const char *)opel->name);
	snprintf(out->op, sizeof(out->op), "%s", r.op);
	if (check_version(header, &r.fault) < 0 ||
	    resolve_identity(&r, header) < 0)
		goto fault;
	for (i = 0; ops[i].name; i++)
		if (strcmp(ops[i].name, r.op) == 0)
			break;
	if (!ops[i].name) {
		sim_failf(&r.fault, "ErrorInvalidRequest",
			  "The request is invalid: the operation %s is not supported by ews-sim.",
			  r.op);
		goto fault;
	}
	if (r.actor < 0) {
		sim_fail(&r.fault, "ErrorMissingEmailAddress");
		goto fault;
	}
	if (apply_tz_context(&r, header, ops[i].flags) < 0)
		goto fault;
	mailbox = ctx->org->users[r.actor].smtp;
	(void)anchor;
	fault = sim_faults_pick(ctx->faults, r.op, mailbox);
	switch (fault.kind) {
	case SIM_FAULT_LATENCY:
		sleep_ms(fault.value);
		break;
	case SIM_FAULT_SERVER_BUSY:
		sim_fail(&r.fault, "ErrorServerBusy");
		r.fault.backoff_ms = fault.value;
		goto faulted;
	case SIM_FAULT_HTTP503:
		html_error(out, 503, "Service Unavailable");
		snprintf(out->retry_after, sizeof(out->retry_after), "%ld",
			 fault.value);
		goto faulted;
	case SIM_FAULT_HTML500:
		html_error(out, 500, "Runtime Error");
		goto faulted;
	case SIM_FAULT_RESET_BEFORE:
		out->action = SIM_REPLY_RESET;
		goto faulted;
	case SIM_FAULT_TOKEN_EXPIRED:
		if (caller->app >= 0) {
			out->status = 401;
			out->www_bearer = 1;
			buf_clear(&out->body);
			goto faulted;
		}
		fault.kind = SIM_FAULT_NONE;
		break;
	default:
		break;
	}
	/* Injected faults stand for what happens around EWS (throttling, IIS,
	 * the network); then EWS validates the body before it runs any of it. */
	if (sim_schema_check(opel, &r.fault) < 0)
		goto faulted;
	run_op(out, &r, i, opel);
	executed = 1;
	if (fault.kind == SIM_FAULT_TRUNCATE)
		out->action = SIM_REPLY_TRUNCATE;
	else if (fault.kind == SIM_FAULT_RESET_AFTER)
		out->action = SIM_REPLY_RESET;
	goto done;

faulted:
	if (r.fault.code)
		put_fault(out, &r.fault);
	goto done;
fault:
	put_fault(out, &r.fault);
done:
	if (fault.kind != SIM_FAULT_NONE)
		sim_stats_fault(ctx->stats, sim_fault_kind_name(fault.kind), r.op,
				mailbox, executed);
	sim_stats_request(ctx->stats, r.op[0] ? r.op : NULL, mailbox,
			  caller->name, r.wrote, r.sent);
	if (r.wrote)
		sim_stats_write(ctx->stats, r.op,
				r.written >= 0 ? ctx->org->users[r.written].smtp
					       : mailbox,
				out->action == SIM_REPLY_NORMAL);
	xmlFreeDoc(doc);
}
