/* ops_create.c - CreateItem: messages (SaveOnly / SendOnly /
 * SendAndSaveCopy), calendar items (SendMeetingInvitations), contacts,
 * tasks, and the response objects ReplyToItem / ReplyAllToItem /
 * ForwardItem and AcceptItem / TentativelyAcceptItem / DeclineItem.
 *
 * Where an item lands: SavedItemFolderId if given (checked for Create
 * rights), else the actor's own folder (drafts, sentitems, calendar,
 * contacts, tasks), as Exchange does for delegates who omit the folder
 * (ews-protocol.md §4.3). */
#include "sim/sim_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "sim/ids.h"
#include "sim/tzdef.h"

typedef struct create_ctx {
	sim_req *r;
	const char *disp;       /* MessageDisposition or NULL */
	const char *inv;        /* SendMeetingInvitations or NULL */
	const xmlNode *saved;   /* folder id element or NULL */
} create_ctx;

/* The folder an item goes to: SavedItemFolderId or the actor's dist. */
static int target_folder(sim_folder *out, create_ctx *cc, const char *dist,
			 sim_status *st)
{
	if (cc->saved)
		return sim_folder_resolve(out, cc->r, cc->saved, SIM_ACT_CREATE, st);
	if (sim_store_folder_dist(out, cc->r->ctx->store, SIM_MBX(cc->r->actor),
				  dist, NULL) < 0)
		return sim_fail(st, "ErrorFolderNotFound");
	return 0;
}

static void new_item(sim_item *it, const char *kind, const sim_folder *f)
{
	int64_t now = sim_now();

	if (kind != it->kind)
		snprintf(it->kind, sizeof(it->kind), "%s", kind);
	it->mailbox = f->mailbox;
	it->folder = f->id;
	json_object_set_new(it->props, "DateTimeCreated", json_integer(now));
	json_object_set_new(it->props, "LastModifiedTime", json_integer(now));
	if (!json_object_get(it->props, "DateTimeReceived"))
		json_object_set_new(it->props, "DateTimeReceived", json_integer(now));
	json_object_set_new(it->props, "HasAttachments", json_false());
}

/* Writes the response message for one created item (id only when saved). */
static void created(sim_req *r, const sim_item *it, const sim_status *st)
{
	char id[SIM_ID_MAX], ck[SIM_ID_MAX];

	sim_rm_open(r->out, "CreateItemResponseMessage", st && st->code ? st : NULL);
	if (!it || (st && st->code)) {
		buf_puts(r->out, "<m:Items/>");
	} else {
		sim_id_encode(id, SIM_ID_ITEM, it->mailbox, it->id);
		sim_ck_encode(ck, it->ck);
		buf_printf(r->out, "<m:Items><t:%s><t:ItemId Id=\"%s\" ChangeKey=\"%s\"/>"
			   "</t:%s></m:Items>", it->kind, id, ck, it->kind);
	}
	sim_rm_close(r->out, "CreateItemResponseMessage");
}

/* Stores it in folder f (a draft or the sender's copy) with a copy of
 * each of the natts attachments atts. 0, or -1 with st set. */
static int save_message(sim_req *r, sim_item *it, const sim_folder *f,
			const sim_attachment *atts, size_t natts,
			sim_status *st)
{
	new_item(it, it->kind, f);
	json_object_set_new(it->props, "HasAttachments", json_boolean(natts > 0));
	if (sim_store_item_insert(r->ctx->store, it, NULL) < 0)
		return sim_fail(st, "ErrorItemSave");
	return sim_attachments_copy(r, it->id, atts, natts, st);
}

/* Sends (and for SendAndSaveCopy saves) a complete message item; or saves
 * it as a draft (SaveOnly). atts (natts of them, NULL when 0) are the
 * message's attachments: every copy that exists - the recipients', the
 * sender's saved copy, the draft - carries them, as a forward does in
 * Exchange. *saved_out = 1 when the item was stored. */
static int dispatch_message(create_ctx *cc, sim_item *it,
			    const sim_attachment *atts, size_t natts,
			    int *saved_out, sim_status *st)
{
	sim_req *r = cc->r;
	sim_folder f;
	const char *disp = cc->disp;
	const char *from = json_string_value(json_object_get(
		json_object_get(it->props, "From"), "email"));
	int from_user = from ? sim_org_find_smtp(r->ctx->org, from, NULL) : r->actor;
	int on_behalf = 0, rc = 0;

	*saved_out = 0;
	if (!disp)
		return sim_fail(st, "ErrorMessageDispositionRequired");
	if (strcmp(disp, "SaveOnly") == 0) {
		if (target_folder(&f, cc, "drafts", st) < 0)
			return -1;
		json_object_set_new(it->props, "IsDraft", json_true());
		json_object_set_new(it->props, "IsRead", json_true());
		rc = save_message(r, it, &f, atts, natts, st);
		sim_folder_dispose(&f);
		if (rc < 0)
			return -1;
		*saved_out = 1;
		return 0;
	}
	if (strcmp(disp, "SendOnly") == 0 && from_user != r->actor &&
	    from_user >= 0 &&
	    sim_rights_send_from(r->ctx->org, r->actor, from_user, &on_behalf) &&
	    on_behalf)
		/* ews-protocol.md §4.2: SendOnly cannot be used for delegate
		 * access; the delegate must create a draft in the principal's
		 * Drafts and SendItem it into the principal's Sent Items. */
		return sim_failf(st, "ErrorInvalidOperation",
				 "SendOnly is not supported for delegate access: save the message in the principal's Drafts, then SendItem it with SavedItemFolderId set to the principal's Sent Items.");
	if (strcmp(disp, "SendAndSaveCopy") == 0) {
		if (target_folder(&f, cc, "sentitems", st) < 0)
			return -1;
	} else if (strcmp(disp, "SendOnly") == 0) {
		memset(&f, 0, sizeof(f));
	} else {
		return sim_failf(st, "ErrorInvalidRequest",
				 "MessageDisposition \"%s\" is not SaveOnly, SendOnly or SendAndSaveCopy.",
				 disp);
	}
	if (sim_send_prepare(r, it, st) < 0 ||
	    sim_deliver(r, it, atts, natts, st) < 0) {
		sim_folder_dispose(&f);
		return -1;
	}
	if (f.id) {
		json_object_set_new(it->props, "DateTimeReceived",
				    json_integer(sim_now()));
		json_object_set_new(it->props, "IsRead", json_true());
		rc = save_message(r, it, &f, atts, natts, st);
	}
	sim_folder_dispose(&f);
	return rc;
}

static void create_message(create_ctx *cc, const xmlNode *el)
{
	sim_status st = { 0 };
	sim_item it;
	int saved = 0;

	memset(&it, 0, sizeof(it));
	snprintf(it.kind, sizeof(it.kind), "Message");
	it.props = json_object();
	if (sim_props_read(it.props, "Message", el, cc->r->tz, &st) == 0)
		dispatch_message(cc, &it, NULL, 0, &saved, &st);
	created(cc->r, saved ? &it : NULL, &st);
	sim_item_dispose(&it);
}

static char *new_uid(sim_req *r)
{
	static unsigned long seq;
	char uid[128];

	snprintf(uid, sizeof(uid), "040000008200E00074C5B7101A82E008%08lX%08lX%04X",
		 (unsigned long)sim_now(), ++seq, (unsigned)r->actor);
	return strdup(uid);
}

static void set_attendee_defaults(json_t *props, const char *key)
{
	json_t *a;
	size_t i;

	json_array_foreach(json_object_get(props, key), i, a)
		if (!json_object_get(a, "response"))
			json_object_set_new(a, "response", json_string("Unknown"));
}

/* The local midnight at or before (up = 0) or at or after (up = 1) utc
 * in zone. */
static int64_t midnight(const tz_zone *zone, int64_t utc, int up)
{
	int64_t local = utc + tz_zone_offset(zone, utc, NULL);
	int64_t day = local - ((local % 86400) + 86400) % 86400;

	if (up && day != local)
		day += 86400;
	return tz_local_to_utc(zone, day);
}

/* A new calendar item's creation time zone, as Exchange assigns it ("Time
 * zones and EWS in Exchange", table 2): its StartTimeZone if the request
 * gave one, else the TimeZoneContext's zone, else UTC; EndTimeZone
 * defaults to the StartTimeZone. An all-day event is then stretched to
 * midnights of that zone: a start back to the midnight before it, an end
 * forward to the midnight after it ("Create all-day events by using EWS
 * in Exchange"). */
static void creation_zone(sim_item *it, const sim_req *r)
{
	const tz_zone *zone;
	int64_t start, end;

	if (!json_object_get(it->props, "StartTimeZone"))
		json_object_set_new(it->props, "StartTimeZone",
				    json_string(r->tz_id ? r->tz_id : "UTC"));
	if (!json_object_get(it->props, "EndTimeZone"))
		json_object_set(it->props, "EndTimeZone",
				json_object_get(it->props, "StartTimeZone"));
	if (!json_is_true(json_object_get(it->props, "IsAllDayEvent")) ||
	    sim_tzdef_zone(&zone, json_string_value(json_object_get(it->props,
							"StartTimeZone"))) < 0)
		return;
	start = midnight(zone, json_integer_value(json_object_get(it->props, "Start")), 0);
	end = midnight(zone, json_integer_value(json_object_get(it->props, "End")), 1);
	if (end <= start)
		end = midnight(zone, start + 86400 + 3 * 3600, 0);
	json_object_set_new(it->props, "Start", json_integer(start));
	json_object_set_new(it->props, "End", json_integer(end));
}

static void create_plain(create_ctx *cc, const xmlNode *el, const char *kind)
{
	sim_req *r = cc->r;
	sim_status st = { 0 };
	sim_folder f;
	sim_item it;
	const char *dist = strcmp(kind, "CalendarItem") == 0 ? "calendar"
			   : strcmp(kind, "Contact") == 0 ? "contacts" : "tasks";
	int ok = 0;

	memset(&it, 0, sizeof(it));
	it.props = json_object();
	if (sim_props_read(it.props, kind, el, cc->r->tz, &st) < 0 ||
	    target_folder(&f, cc, dist, &st) < 0)
		goto out;
	new_item(&it, kind, &f);
	if (strcmp(kind, "CalendarItem") == 0) {
		int owner = SIM_USER(f.mailbox);
		int64_t start, end;
		char *uid = new_uid(r);

		start = json_integer_value(json_object_get(it.props, "Start"));
		end = json_integer_value(json_object_get(it.props, "End"));
		if (!json_object_get(it.props, "Start"))
			json_object_set_new(it.props, "Start", json_integer(start = sim_now()));
		if (!json_object_get(it.props, "End") || end < start)
			json_object_set_new(it.props, "End", json_integer(end = start + 1800));
		creation_zone(&it, r);
		json_object_set_new(it.props, "UID", json_string(uid ? uid : "uid"));
		free(uid);
		json_object_set_new(it.props, "Organizer", sim_mbx_new(
			r->ctx->org->users[owner].name, r->ctx->org->users[owner].smtp));
		json_object_set_new(it.props, "CalendarItemType", json_string("Single"));
		json_object_set_new(it.props, "MyResponseType", json_string("Organizer"));
		json_object_set_new(it.props, "IsCancelled", json_false());
		json_object_set_new(it.props, "IsRecurring", json_false());
		json_object_set_new(it.props, "AppointmentSequenceNumber", json_integer(0));
		if (!json_object_get(it.props, "LegacyFreeBusyStatus"))
			json_object_set_new(it.props, "LegacyFreeBusyStatus", json_string("Busy"));
		set_attendee_defaults(it.props, "RequiredAttendees");
		set_attendee_defaults(it.props, "OptionalAttendees");
		set_attendee_defaults(it.props, "Resources");
		json_object_set_new(it.props, "IsMeeting", json_boolean(
			json_array_size(json_object_get(it.props, "RequiredAttendees")) +
			json_array_size(json_object_get(it.props, "OptionalAttendees")) +
			json_array_size(json_object_get(it.props, "Resources")) > 0));
	} else if (strcmp(kind, "Contact") == 0) {
		const char *g = json_string_value(json_object_get(it.props, "GivenName"));
		const char *s = json_string_value(json_object_get(it.props, "Surname"));
		char name[600];

		snprintf(name, sizeof(name), "%s%s%s", g ? g : "", g && s ? " " : "",
			 s ? s : "");
		if (!json_object_get(it.props, "DisplayName"))
			json_object_set_new(it.props, "DisplayName", json_string(name));
		if (!json_object_get(it.props, "Subject"))
			json_object_set(it.props, "Subject",
					json_object_get(it.props, "DisplayName"));
		if (!json_object_get(it.props, "FileAs"))
			json_object_set(it.props, "FileAs",
					json_object_get(it.props, "DisplayName"));
	} else {
		const char *s = json_string_value(json_object_get(it.props, "Status"));

		if (!s)
			json_object_set_new(it.props, "Status", json_string("NotStarted"));
		json_object_set_new(it.props, "IsComplete",
				    json_boolean(s && strcmp(s, "Completed") == 0));
		if (!json_object_get(it.props, "PercentComplete"))
			json_object_set_new(it.props, "PercentComplete",
					    json_real(s && strcmp(s, "Completed") == 0 ? 100 : 0));
	}
	sim_folder_dispose(&f);
	if (sim_store_item_insert(r->ctx->store, &it, NULL) < 0) {
		sim_fail(&st, "ErrorItemSave");
		goto out;
	}
	if (strcmp(kind, "CalendarItem") == 0 && cc->inv &&
	    strcmp(cc->inv, "SendToNone") != 0 &&
	    json_is_true(json_object_get(it.props, "IsMeeting"))) {
		json_object_set_new(it.props, "MeetingRequestWasSent", json_true());
		sim_store_item_update(r->ctx->store, &it, NULL);
		if (sim_send_meeting(r, &it, "MeetingRequest", &st) < 0)
			goto out;
	}
	ok = 1;
out:
	created(r, ok ? &it : NULL, &st);
	sim_item_dispose(&it);
}

/* Quoted original for replies and forwards, in the new body's format. */
static json_t *compose_body(const json_t *newbody, const sim_item *orig,
			    const sim_org *org)
{
	const char *ntype = json_string_value(json_object_get(newbody, "type"));
	const char *ntext = json_string_value(json_object_get(newbody, "text"));
	const json_t *from = json_object_get(orig->props, "From");
	const char *subj = json_string_value(json_object_get(orig->props, "Subject"));
	char *otext = sim_body_text(orig->props);
	char sent[32];
	buf b = BUF_INIT(64u * 1024 * 1024);
	json_t *out;
	int html = ntype && strcmp(ntype, "HTML") == 0;

	(void)org;
	sim_time_format(sent, json_integer_value(json_object_get(orig->props, "DateTimeSent"))
			? json_integer_value(json_object_get(orig->props, "DateTimeSent"))
			: orig->received);
	buf_puts(&b, ntext ? ntext : "");
	buf_printf(&b, html ? "<hr><p><b>From:</b> %s<br><b>Sent:</b> %s<br>"
		   "<b>Subject:</b> %s</p>" : "\n\n-----Original Message-----\n"
		   "From: %s\nSent: %s\nSubject: %s\n\n",
		   json_string_value(json_object_get(from, "name")) ?
		   json_string_value(json_object_get(from, "name")) : "",
		   sent, subj ? subj : "");
	if (html) {
		/* quoted text is escaped before it joins the HTML */
		const char *p;

		buf_puts(&b, "<div>");
		for (p = otext ? otext : ""; *p; p++) {
			if (*p == '<')
				buf_puts(&b, "&lt;");
			else if (*p == '>')
				buf_puts(&b, "&gt;");
			else if (*p == '&')
				buf_puts(&b, "&amp;");
			else if (*p == '\n')
				buf_puts(&b, "<br>");
			else
				buf_putc(&b, *p);
		}
		buf_puts(&b, "</div>");
	} else {
		buf_puts(&b, otext ? otext : "");
	}
	out = json_pack("{s:s, s:s}", "type", html ? "HTML" : "Text",
			"text", buf_cstr(&b));
	buf_dispose(&b);
	free(otext);
	return out;
}

static void add_recipients(json_t *dst, const json_t *src, const char *skip,
			   const char *skip2)
{
	json_t *m, *e;
	size_t i, j;

	json_array_foreach(src, i, m) {
		const char *a = json_string_value(json_object_get(m, "email"));
		int dup = !a || (skip && strcasecmp(a, skip) == 0) ||
			  (skip2 && strcasecmp(a, skip2) == 0);

		json_array_foreach(dst, j, e)
			if (a && json_string_value(json_object_get(e, "email")) &&
			    strcasecmp(json_string_value(json_object_get(e, "email")), a) == 0)
				dup = 1;
		if (!dup)
			json_array_append(dst, m);
	}
}

static void create_response_object(create_ctx *cc, const xmlNode *el,
				   const char *what)
{
	sim_req *r = cc->r;
	sim_status st = { 0 };
	sim_item orig, it;
	json_t *given = json_object(), *to, *cc_list;
	const char *osubj, *prefix = strcmp(what, "ForwardItem") == 0 ? "FW: " : "RE: ";
	const char *me = r->ctx->org->users[r->actor].smtp;
	char subj[1200];
	int saved = 0;

	memset(&it, 0, sizeof(it));
	memset(&orig, 0, sizeof(orig));
	if (sim_props_read(given, "Message", el, cc->r->tz, &st) < 0 ||
	    sim_item_resolve(&orig, r, sim_x_child(el, "ReferenceItemId"),
			     SIM_ACT_READ, 0, &st) < 0)
		goto out;
	snprintf(it.kind, sizeof(it.kind), "Message");
	it.props = json_object();
	osubj = json_string_value(json_object_get(orig.props, "Subject"));
	snprintf(subj, sizeof(subj), "%s%s", osubj && strncasecmp(osubj, prefix, 4) == 0
		 ? "" : prefix, osubj ? osubj : "");
	json_object_set_new(it.props, "Subject", json_string(subj));
	if (json_object_get(given, "Subject"))
		json_object_set(it.props, "Subject", json_object_get(given, "Subject"));
	{
		xmlNode *nb = sim_x_child(el, "NewBodyContent");
		const sim_prop *bp = sim_prop_by_elem("Message", "Body");
		json_t *tmp = json_object();

		if (json_object_get(given, "Body"))
			json_object_set(it.props, "Body", json_object_get(given, "Body"));
		else if (nb && sim_prop_read_value(tmp, bp, nb, cc->r->tz, &st) == 0)
			json_object_set_new(it.props, "Body",
					    compose_body(json_object_get(tmp, "Body"), &orig,
							 r->ctx->org));
		else
			json_object_set_new(it.props, "Body",
					    compose_body(NULL, &orig, r->ctx->org));
		json_decref(tmp);
		if (st.code)
			goto out;
	}
	to = json_array();
	cc_list = json_array();
	if (strcmp(what, "ForwardItem") != 0) {
		json_t *from = json_object_get(orig.props, "From");
		json_t *one = json_array();

		if (from)
			json_array_append(one, from);
		add_recipients(to, one, NULL, NULL);
		json_decref(one);
		if (strcmp(what, "ReplyAllToItem") == 0) {
			add_recipients(to, json_object_get(orig.props, "ToRecipients"), me,
				       json_string_value(json_object_get(from, "email")));
			add_recipients(cc_list, json_object_get(orig.props, "CcRecipients"),
				       me, NULL);
		}
	}
	add_recipients(to, json_object_get(given, "ToRecipients"), NULL, NULL);
	add_recipients(cc_list, json_object_get(given, "CcRecipients"), NULL, NULL);
	json_object_set_new(it.props, "ToRecipients", to);
	json_object_set_new(it.props, "CcRecipients", cc_list);
	if (json_object_get(given, "BccRecipients"))
		json_object_set(it.props, "BccRecipients", json_object_get(given, "BccRecipients"));
	if (json_object_get(given, "From"))
		json_object_set(it.props, "From", json_object_get(given, "From"));
	if (json_object_get(orig.props, "InternetMessageId")) {
		json_object_set(it.props, "InReplyTo",
				json_object_get(orig.props, "InternetMessageId"));
		json_object_set(it.props, "References",
				json_object_get(orig.props, "InternetMessageId"));
	}
	if (strcmp(what, "ForwardItem") == 0) {
		/* The original's attachments travel with a forward: they are
		 * handed to dispatch_message so the recipients' copies, the
		 * sender's saved copy and a SaveOnly draft all carry them. A
		 * reply carries none (Exchange drops them from replies). */
		sim_attachment *atts = NULL;
		size_t n = 0;
		errinfo e = ERRINFO_INIT;

		if (sim_store_att_list(&atts, &n, r->ctx->store, orig.id, &e) < 0) {
			log_error("ews-sim", "ForwardItem: reading the original's attachments: %s",
				  e.msg);
			sim_fail(&st, "ErrorInternalServerError");
		} else {
			dispatch_message(cc, &it, atts, n, &saved, &st);
		}
		sim_attachment_list_free(atts, n);
	} else {
		dispatch_message(cc, &it, NULL, 0, &saved, &st);
	}
out:
	/* Response objects return no item id (MSD createitem.md). */
	created(r, NULL, &st);
	json_decref(given);
	sim_item_dispose(&orig);
	sim_item_dispose(&it);
}

static void create_meeting_response(create_ctx *cc, const xmlNode *el,
				    const char *what)
{
	sim_req *r = cc->r;
	sim_status st = { 0 };
	sim_item ref, cal, resp;
	const char *type = strcmp(what, "AcceptItem") == 0 ? "Accept"
			   : strcmp(what, "DeclineItem") == 0 ? "Decline" : "Tentative";
	const char *label = strcmp(type, "Accept") == 0 ? "Accepted"
			    : strcmp(type, "Decline") == 0 ? "Declined" : "Tentative";
	const char *uid, *subj;
	json_t *organizer;
	char subject[700];
	int saved = 0, have_cal;

	memset(&resp, 0, sizeof(resp));
	memset(&cal, 0, sizeof(cal));
	if (sim_item_resolve(&ref, r, sim_x_child(el, "ReferenceItemId"),
			     SIM_ACT_READ, 0, &st) < 0)
		goto out_noref;
	if (strcmp(ref.kind, "MeetingRequest") != 0 &&
	    strcmp(ref.kind, "CalendarItem") != 0) {
		sim_failf(&st, "ErrorInvalidOperation",
			  "The referenced item is not a meeting request or calendar item.");
		goto out;
	}
	uid = json_string_value(json_object_get(ref.props, "UID"));
	organizer = json_object_get(ref.props, "Organizer");
	subj = json_string_value(json_object_get(ref.props, "Subject"));
	if (!uid || !organizer) {
		sim_failf(&st, "ErrorInvalidOperation",
			  "The referenced item is not a meeting (no organizer).");
		goto out;
	}
	have_cal = sim_find_by_uid(&cal, r, ref.mailbox, uid) == 0;
	if (have_cal) {
		json_object_set_new(cal.props, "MyResponseType", json_string(type));
		json_object_set_new(cal.props, "LegacyFreeBusyStatus", json_string(
			strcmp(type, "Accept") == 0 ? "Busy"
			: strcmp(type, "Decline") == 0 ? "Free" : "Tentative"));
		if (strcmp(type, "Decline") == 0) {
			sim_folder del;

			if (sim_store_folder_dist(&del, r->ctx->store, cal.mailbox,
						  "deleteditems", NULL) == 0) {
				cal.folder = del.id;
				sim_folder_dispose(&del);
			}
		}
		sim_store_item_update(r->ctx->store, &cal, NULL);
	}
	if (cc->disp && strcmp(cc->disp, "SaveOnly") == 0)
		goto out;
	snprintf(resp.kind, sizeof(resp.kind), "MeetingResponse");
	snprintf(subject, sizeof(subject), "%s: %s", label, subj ? subj : "");
	resp.props = json_pack("{s:s, s:s, s:[O], s:s, s:s, s:O}",
			       "Subject", subject,
			       "ItemClass", strcmp(type, "Accept") == 0 ? "IPM.Schedule.Meeting.Resp.Pos"
			       : strcmp(type, "Decline") == 0 ? "IPM.Schedule.Meeting.Resp.Neg"
			       : "IPM.Schedule.Meeting.Resp.Tent",
			       "ToRecipients", organizer, "UID", uid,
			       "ResponseType", type, "Organizer", organizer);
	if (!resp.props) {
		sim_fail(&st, "ErrorInternalServerError");
		goto out;
	}
	if (json_object_get(ref.props, "Start")) {
		json_object_set(resp.props, "Start", json_object_get(ref.props, "Start"));
		json_object_set(resp.props, "End", json_object_get(ref.props, "End"));
	}
	{
		json_t *tmp = json_object();

		if (sim_props_read(tmp, "Message", el, cc->r->tz, &st) == 0 &&
		    json_object_get(tmp, "Body"))
			json_object_set(resp.props, "Body", json_object_get(tmp, "Body"));
		json_decref(tmp);
	}
	/* The responder is the owner of the calendar the request is in. */
	json_object_set_new(resp.props, "From", sim_mbx_new(
		r->ctx->org->users[SIM_USER(ref.mailbox)].name,
		r->ctx->org->users[SIM_USER(ref.mailbox)].smtp));
	if (!st.code)
		dispatch_message(cc, &resp, NULL, 0, &saved, &st);
out:
	sim_item_dispose(&ref);
out_noref:
	created(r, NULL, &st);
	sim_item_dispose(&cal);
	sim_item_dispose(&resp);
}

int sim_op_create_item(sim_req *r, const xmlNode *op)
{
	create_ctx cc;
	char *disp = sim_x_attr(op, "MessageDisposition");
	char *inv = sim_x_attr(op, "SendMeetingInvitations");
	xmlNode *items = sim_x_child(op, "Items"), *c;

	cc.r = r;
	cc.disp = disp;
	cc.inv = inv;
	cc.saved = sim_folder_id_child(sim_x_child(op, "SavedItemFolderId"));
	buf_puts(r->out, "<m:CreateItemResponse><m:ResponseMessages>");
	for (c = sim_x_child(items, NULL); c; c = sim_x_next(c, NULL)) {
		const char *n = (const char *)c->name;

		if (strcmp(n, "Message") == 0) {
			create_message(&cc, c);
		} else if (strcmp(n, "CalendarItem") == 0 || strcmp(n, "Contact") == 0 ||
			   strcmp(n, "Task") == 0) {
			create_plain(&cc, c, n);
		} else if (strcmp(n, "ReplyToItem") == 0 ||
			   strcmp(n, "ReplyAllToItem") == 0 ||
			   strcmp(n, "ForwardItem") == 0) {
			create_response_object(&cc, c, n);
		} else if (strcmp(n, "AcceptItem") == 0 ||
			   strcmp(n, "TentativelyAcceptItem") == 0 ||
			   strcmp(n, "DeclineItem") == 0) {
			/* meeting responses default to SendAndSaveCopy */
			if (!cc.disp)
				cc.disp = "SendAndSaveCopy";
			create_meeting_response(&cc, c, n);
			cc.disp = disp;
		} else {
			sim_status st = { 0 };

			sim_failf(&st, "ErrorInvalidRequest",
				  "Creating a %s is not supported by ews-sim.", n);
			created(r, NULL, &st);
		}
	}
	buf_puts(r->out, "</m:ResponseMessages></m:CreateItemResponse>");
	free(disp);
	free(inv);
	return 0;
}
