/* ops_oof.c - GetUserOofSettings / SetUserOofSettings.
 *
 * The target is the body's Mailbox/Address; reading or writing another
 * user's OOF is only possible acting as that user (impersonation or own
 * credentials), otherwise ErrorAccessDenied (ews-protocol.md §4.4).
 * A Scheduled state needs a Duration whose EndTime is after StartTime
 * (ErrorInvalidScheduledOofDuration). Stored as JSON in the mailbox row:
 * {"state","audience","start","end","internal","external","replied"}. */
#include "sim/sim_int.h"

#include <stdlib.h>
#include <string.h>

#include "soap/escape.h"

/* The user addressed by Mailbox/Address, checked against the actor. */
static int oof_target(sim_req *r, const xmlNode *op, sim_status *st)
{
	char *addr = sim_x_child_text(sim_x_child(op, "Mailbox"), "Address");
	int u = addr ? sim_org_find_smtp(r->ctx->org, addr, NULL) : -1;

	if (!addr || !*addr)
		u = r->actor;
	else if (u < 0)
		u = sim_fail(st, "ErrorNonExistentMailbox");
	else if (u != r->actor)
		u = sim_fail(st, "ErrorAccessDenied");
	free(addr);
	return u;
}

static void put_reply(buf *b, const char *elem, const char *text)
{
	buf_printf(b, "<t:%s><t:Message>", elem);
	soap_put_text(b, text ? text : "");
	buf_printf(b, "</t:Message></t:%s>", elem);
}

int sim_op_get_oof(sim_req *r, const xmlNode *op)
{
	sim_status st = { 0 };
	char *text = NULL, ts[32];
	json_t *oof = NULL;
	const char *state, *aud;
	int u = oof_target(r, op, &st);

	buf_puts(r->out, "<m:GetUserOofSettingsResponse>");
	if (u < 0) {
		sim_rm_open(r->out, "ResponseMessage", &st);
		sim_rm_close(r->out, "ResponseMessage");
		buf_puts(r->out, "</m:GetUserOofSettingsResponse>");
		return 0;
	}
	sim_store_mailbox_get(&text, r->ctx->store, SIM_MBX(u), "oof", NULL);
	oof = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	state = json_string_value(json_object_get(oof, "state"));
	aud = json_string_value(json_object_get(oof, "audience"));
	sim_rm_open(r->out, "ResponseMessage", NULL);
	sim_rm_close(r->out, "ResponseMessage");
	buf_printf(r->out, "<t:OofSettings><t:OofState>%s</t:OofState>"
		   "<t:ExternalAudience>%s</t:ExternalAudience>",
		   state ? state : "Disabled", aud ? aud : "All");
	if (json_object_get(oof, "start")) {
		sim_time_format(ts, json_integer_value(json_object_get(oof, "start")));
		buf_printf(r->out, "<t:Duration><t:StartTime>%s</t:StartTime>", ts);
		sim_time_format(ts, json_integer_value(json_object_get(oof, "end")));
		buf_printf(r->out, "<t:EndTime>%s</t:EndTime></t:Duration>", ts);
	}
	put_reply(r->out, "InternalReply",
		  json_string_value(json_object_get(oof, "internal")));
	put_reply(r->out, "ExternalReply",
		  json_string_value(json_object_get(oof, "external")));
	buf_puts(r->out, "</t:OofSettings><m:AllowExternalOof>All</m:AllowExternalOof>"
		 "</m:GetUserOofSettingsResponse>");
	json_decref(oof);
	return 0;
}

static int one_of(const char *v, const char *const *allowed)
{
	size_t i;

	for (i = 0; v && allowed[i]; i++)
		if (strcmp(v, allowed[i]) == 0)
			return 1;
	return 0;
}

int sim_op_set_oof(sim_req *r, const xmlNode *op)
{
	static const char *const states[] = { "Disabled", "Enabled", "Scheduled", NULL };
	static const char *const auds[] = { "None", "Known", "All", NULL };
	sim_status st = { 0 };
	xmlNode *s = sim_x_child(op, "UserOofSettings");
	xmlNode *dur = sim_x_child(s, "Duration");
	char *state = sim_x_child_text(s, "OofState");
	char *aud = sim_x_child_text(s, "ExternalAudience");
	char *a = sim_x_child_text(dur, "StartTime"), *b = sim_x_child_text(dur, "EndTime");
	char *in = sim_x_child_text(sim_x_child(s, "InternalReply"), "Message");
	char *ex = sim_x_child_text(sim_x_child(s, "ExternalReply"), "Message");
	int64_t start = 0, end = 0;
	json_t *oof = NULL;
	char *dump;
	int u = oof_target(r, op, &st);

	if (u < 0)
		goto out;
	if (!s || !one_of(state, states)) {
		sim_failf(&st, "ErrorInvalidRequest",
			  "UserOofSettings/OofState must be Disabled, Enabled or Scheduled.");
		goto out;
	}
	if (aud && !one_of(aud, auds)) {
		sim_failf(&st, "ErrorInvalidRequest",
			  "ExternalAudience must be None, Known or All.");
		goto out;
	}
	if (dur && (sim_time_parse(a, &start) < 0 || sim_time_parse(b, &end) < 0)) {
		sim_failf(&st, "ErrorInvalidRequest",
			  "Duration StartTime and EndTime must be xs:dateTime values.");
		goto out;
	}
	if (strcmp(state, "Scheduled") == 0 && (!dur || end <= start)) {
		sim_fail(&st, "ErrorInvalidScheduledOofDuration");
		goto out;
	}
	oof = json_pack("{s:s, s:s, s:s, s:s}", "state", state,
			"audience", aud ? aud : "All", "internal", in ? in : "",
			"external", ex ? ex : "");
	if (oof && dur) {
		json_object_set_new(oof, "start", json_integer(start));
		json_object_set_new(oof, "end", json_integer(end));
	}
	sim_note_written(r, u, SIM_ACT_MODIFY);
	dump = oof ? json_dumps(oof, JSON_COMPACT) : NULL;
	if (!dump || sim_store_mailbox_set(r->ctx->store, SIM_MBX(u), "oof", dump,
					   NULL) < 0)
		sim_fail(&st, "ErrorInternalServerError");
	free(dump);
out:
	buf_puts(r->out, "<m:SetUserOofSettingsResponse>");
	sim_rm_open(r->out, "ResponseMessage", st.code ? &st : NULL);
	sim_rm_close(r->out, "ResponseMessage");
	buf_puts(r->out, "</m:SetUserOofSettingsResponse>");
	json_decref(oof);
	free(state);
	free(aud);
	free(a);
	free(b);
	free(in);
	free(ex);
	return 0;
}
