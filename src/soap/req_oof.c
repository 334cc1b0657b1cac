/* req_oof.c - GetUserOofSettings / SetUserOofSettings request builders
 * (see req_oof.h; ews-protocol.md section 5.12). */
#include "soap/req_oof.h"

#include <string.h>

#include "soap/internal.h"

static const char *const oof_states[] = { "Disabled", "Enabled", "Scheduled", NULL };
static const char *const audiences[] = { "None", "Known", "All", NULL };

static int put_mailbox(buf *b, const char *mailbox, errinfo *err)
{
	int error;

	buf_puts(b, "<t:Mailbox>");
	if ((error = soap__elem_req(b, "t:Address", mailbox, "mailbox", err)) < 0)
		return error;
	buf_puts(b, "</t:Mailbox>");
	return 0;
}

int soap_get_oof_request(buf *out, const soap_header *h,
			 const soap_get_oof_args *a, errinfo *err)
{
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "GetUserOofSettings: arguments are required");
	if ((error = soap__required(a->mailbox, "mailbox", err)) < 0)
		return error;
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_puts(out, "<m:GetUserOofSettingsRequest>");
	if ((error = put_mailbox(out, a->mailbox, err)) < 0)
		goto cleanup;
	buf_puts(out, "</m:GetUserOofSettingsRequest>");
cleanup:
	return soap__request_finish(out, mark, error, "GetUserOofSettings", err);
}

static int put_reply(buf *b, const char *elem, const char *text, const char *field,
		     errinfo *err)
{
	int error;

	if (!text)
		return 0;
	buf_printf(b, "<t:%s>", elem);
	if ((error = soap__elem(b, "t:Message", text, field, err)) < 0)
		return error;
	buf_printf(b, "</t:%s>", elem);
	return 0;
}

int soap_set_oof_request(buf *out, const soap_header *h,
			 const soap_set_oof_args *a, errinfo *err)
{
	const char *audience;
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "SetUserOofSettings: arguments are required");
	audience = a->external_audience ? a->external_audience : "None";
	if ((error = soap__required(a->mailbox, "mailbox", err)) < 0 ||
	    (error = soap__enum(a->state, oof_states, "state", err)) < 0 ||
	    (error = soap__enum(audience, audiences, "external_audience", err)) < 0)
		return error;
	if (!a->start != !a->end)
		return errinfo_set(err, ERR_INVAL, "start/end: give both or neither");
	if (strcmp(a->state, "Scheduled") == 0 && !a->start)
		return errinfo_set(err, ERR_INVAL,
			"start/end: a scheduled out-of-office needs a start and an end");
	if (a->start &&
	    ((error = soap__datetime(a->start, "start", NULL, err)) < 0 ||
	     (error = soap__datetime(a->end, "end", NULL, err)) < 0 ||
	     (error = soap__time_range(a->start, a->end, "end", err)) < 0))
		return error;
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_puts(out, "<m:SetUserOofSettingsRequest>");
	if ((error = put_mailbox(out, a->mailbox, err)) < 0)
		goto cleanup;
	buf_printf(out, "<t:UserOofSettings><t:OofState>%s</t:OofState>"
		   "<t:ExternalAudience>%s</t:ExternalAudience>", a->state, audience);
	if (a->start) {
		buf_puts(out, "<t:Duration>");
		if ((error = soap__elem(out, "t:StartTime", a->start, "start", err)) < 0 ||
		    (error = soap__elem(out, "t:EndTime", a->end, "end", err)) < 0)
			goto cleanup;
		buf_puts(out, "</t:Duration>");
	}
	if ((error = put_reply(out, "InternalReply", a->internal_reply, "internal_reply", err)) < 0 ||
	    (error = put_reply(out, "ExternalReply", a->external_reply, "external_reply", err)) < 0)
		goto cleanup;
	buf_puts(out, "</t:UserOofSettings></m:SetUserOofSettingsRequest>");
cleanup:
	return soap__request_finish(out, mark, error, "SetUserOofSettings", err);
}
