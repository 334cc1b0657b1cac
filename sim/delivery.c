/* delivery.c - what happens when mail is sent inside the org: the sender
 * checks (From, Sender, send-as / send-on-behalf), delivery to every org
 * recipient's Inbox (groups expanded, Bcc hidden, the message's
 * attachments copied to every recipient's copy), meeting requests that
 * put tentative items in attendees' calendars, responses that update the
 * organizer's attendee list, cancellations, and OOF auto-replies (once per
 * sender per OOF period, as Exchange does). Recipients outside the org
 * are accepted and dropped (there is no outside world). */
#include "sim/sim_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"

static json_t *user_mbx(const sim_org *org, int user)
{
	return sim_mbx_new(org->users[user].name, org->users[user].smtp);
}

static const char *mbx_email(const json_t *m)
{
	return json_string_value(json_object_get(m, "email"));
}

int sim_send_prepare(sim_req *r, sim_item *msg, sim_status *st)
{
	const sim_org *org = r->ctx->org;
	json_t *from = json_object_get(msg->props, "From");
	const char *email = mbx_email(from);
	int from_user = r->actor, on_behalf = 0;
	size_t nrcpt;
	char mid[160];
	static unsigned long seq;

	if (email) {
		from_user = sim_org_find_smtp(org, email, NULL);
		if (from_user < 0)
			return sim_fail(st, "ErrorSendAsDenied");
	}
	if (!sim_rights_send_from(org, r->actor, from_user, &on_behalf))
		return sim_fail(st, "ErrorSendAsDenied");
	json_object_set_new(msg->props, "From", user_mbx(org, from_user));
	json_object_set_new(msg->props, "Sender",
			    user_mbx(org, on_behalf ? r->actor : from_user));
	nrcpt = json_array_size(json_object_get(msg->props, "ToRecipients")) +
		json_array_size(json_object_get(msg->props, "CcRecipients")) +
		json_array_size(json_object_get(msg->props, "BccRecipients"));
	if (nrcpt == 0)
		return sim_fail(st, "ErrorInvalidRecipients");
	json_object_set_new(msg->props, "DateTimeSent", json_integer(sim_now()));
	json_object_set_new(msg->props, "DateTimeReceived", json_integer(sim_now()));
	json_object_set_new(msg->props, "IsDraft", json_false());
	json_object_set_new(msg->props, "IsRead", json_true());
	if (!json_object_get(msg->props, "InternetMessageId")) {
		snprintf(mid, sizeof(mid), "<sim.%lld.%lu.%d@%s>",
			 (long long)sim_now(), ++seq, r->actor, org->domain);
		json_object_set_new(msg->props, "InternetMessageId", json_string(mid));
	}
	if (json_is_string(json_object_get(msg->props, "Subject")))
		json_object_set(msg->props, "ConversationTopic",
				json_object_get(msg->props, "Subject"));
	return 0;
}

int sim_find_by_uid(sim_item *out, sim_req *r, int mailbox, const char *uid)
{
	sim_item_list l;
	sim_folder cal;
	size_t i;
	int found = -1;

	memset(out, 0, sizeof(*out));
	if (!uid || sim_store_folder_dist(&cal, r->ctx->store, mailbox, "calendar",
					  NULL) < 0)
		return -1;
	if (sim_store_item_all(&l, r->ctx->store, cal.id, NULL) == 0) {
		for (i = 0; i < l.n; i++) {
			const char *u = json_string_value(json_object_get(l.v[i].props, "UID"));

			if (found < 0 && u && strcmp(u, uid) == 0) {
				*out = l.v[i];
				l.v[i].props = NULL;
				found = 0;
			}
		}
		sim_item_list_dispose(&l);
	}
	sim_folder_dispose(&cal);
	return found;
}

/* OOF state of a mailbox right now: the reply text or NULL. */
static json_t *oof_active(sim_req *r, int user)
{
	char *text = NULL;
	json_t *oof;
	const char *state;
	int64_t now = sim_now();

	sim_store_mailbox_get(&text, r->ctx->store, SIM_MBX(user), "oof", NULL);
	oof = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	state = json_string_value(json_object_get(oof, "state"));
	if (state && (strcmp(state, "Enabled") == 0 ||
		      (strcmp(state, "Scheduled") == 0 &&
		       now >= json_integer_value(json_object_get(oof, "start")) &&
		       now < json_integer_value(json_object_get(oof, "end")))))
		return oof;
	json_decref(oof);
	return NULL;
}

static void oof_reply(sim_req *r, int user, const sim_item *msg)
{
	const sim_org *org = r->ctx->org;
	const char *sender = mbx_email(json_object_get(msg->props, "From"));
	const char *cls = json_string_value(json_object_get(msg->props, "ItemClass"));
	const char *subj = json_string_value(json_object_get(msg->props, "Subject"));
	int to = sender ? sim_org_find_smtp(org, sender, NULL) : -1;
	json_t *oof, *replied, *e;
	const char *text;
	sim_folder inbox;
	sim_item rep;
	char *dump, subject[600];
	size_t i;

	if (to < 0 || to == user || strcmp(msg->kind, "Message") != 0 ||
	    (cls && strncmp(cls, "IPM.Note.Rules", 14) == 0))
		return;
	oof = oof_active(r, user);
	if (!oof)
		return;
	replied = json_object_get(oof, "replied");
	if (!json_is_array(replied)) {
		replied = json_array();
		json_object_set_new(oof, "replied", replied);
	}
	json_array_foreach(replied, i, e)
		if (strcasecmp(json_string_value(e), sender) == 0) {
			json_decref(oof);
			return;
		}
	json_array_append_new(replied, json_string(org->users[to].smtp));
	dump = json_dumps(oof, JSON_COMPACT);
	if (dump)
		sim_store_mailbox_set(r->ctx->store, SIM_MBX(user), "oof", dump, NULL);
	free(dump);
	text = json_string_value(json_object_get(oof, "internal"));
	if (sim_store_folder_dist(&inbox, r->ctx->store, SIM_MBX(to), "inbox",
				  NULL) == 0) {
		memset(&rep, 0, sizeof(rep));
		snprintf(rep.kind, sizeof(rep.kind), "Message");
		rep.mailbox = SIM_MBX(to);
		rep.folder = inbox.id;
		snprintf(subject, sizeof(subject), "Automatic reply: %s", subj ? subj : "");
		rep.props = json_pack("{s:s, s:s, s:{s:s, s:s}, s:o, s:o, s:[o], s:I, s:I, s:b}",
				      "ItemClass", "IPM.Note.Rules.OofTemplate.Microsoft",
				      "Subject", subject, "Body", "type", "HTML",
				      "text", text ? text : "",
				      "From", user_mbx(org, user),
				      "Sender", user_mbx(org, user),
				      "ToRecipients", user_mbx(org, to),
				      "DateTimeReceived", (json_int_t)sim_now(),
				      "DateTimeSent", (json_int_t)sim_now(),
				      "IsRead", 0);
		if (rep.props)
			sim_store_item_insert(r->ctx->store, &rep, NULL);
		sim_item_dispose(&rep);
		sim_folder_dispose(&inbox);
	}
	json_decref(oof);
}

/* Adds user indexes of an address list (groups expanded) to want[]. */
static void collect(const sim_org *org, const json_t *list, char *want)
{
	json_t *m;
	size_t i, j;
	int u, g;

	json_array_foreach(list, i, m) {
		const char *e = mbx_email(m);

		if (!e)
			continue;
		if ((u = sim_org_find_smtp(org, e, NULL)) >= 0)
			want[u] = 1;
		else if ((g = sim_org_find_group(org, e)) >= 0)
			for (j = 0; j < org->groups[g].nmembers; j++)
				want[org->groups[g].members[j]] = 1;
	}
}

/* The attendee's calendar item for a meeting request (tentative). */
static int place_in_calendar(sim_req *r, int user, sim_item *d)
{
	const char *uid = json_string_value(json_object_get(d->props, "UID"));
	static const char *const copy[] = { "Subject", "Body", "Start", "End",
		"Location", "IsAllDayEvent", "Organizer", "RequiredAttendees",
		"OptionalAttendees", "UID", "StartTimeZone", "EndTimeZone",
		"AppointmentSequenceNumber", NULL };
	sim_item cal;
	sim_folder f;
	size_t i;
	int rc, existing;

	existing = sim_find_by_uid(&cal, r, SIM_MBX(user), uid) == 0;
	if (!existing) {
		if (sim_store_folder_dist(&f, r->ctx->store, SIM_MBX(user),
					  "calendar", NULL) < 0)
			return -1;
		memset(&cal, 0, sizeof(cal));
		snprintf(cal.kind, sizeof(cal.kind), "CalendarItem");
		cal.mailbox = SIM_MBX(user);
		cal.folder = f.id;
		sim_folder_dispose(&f);
		cal.props = json_pack("{s:s, s:b, s:s, s:s, s:I}",
				      "LegacyFreeBusyStatus", "Tentative",
				      "IsMeeting", 1, "CalendarItemType", "Single",
				      "MyResponseType", "NoResponseReceived",
				      "DateTimeCreated", (json_int_t)sim_now());
		if (!cal.props)
			return -1;
	}
	for (i = 0; copy[i]; i++) {
		json_t *v = json_object_get(d->props, copy[i]);

		if (v)
			json_object_set(cal.props, copy[i], v);
	}
	rc = existing ? sim_store_item_update(r->ctx->store, &cal, NULL)
		      : sim_store_item_insert(r->ctx->store, &cal, NULL);
	if (rc == 0)
		json_object_set_new(d->props, "AssociatedCalendarItemId",
				    json_pack("{s:i, s:I}", "mailbox", cal.mailbox,
					      "row", (json_int_t)cal.id));
	sim_item_dispose(&cal);
	return rc;
}

/* Organizer side of a response: set the responder's ResponseType. */
static void record_response(sim_req *r, int organizer, const sim_item *resp)
{
	const char *uid = json_string_value(json_object_get(resp->props, "UID"));
	const char *who = mbx_email(json_object_get(resp->props, "From"));
	const char *type = json_string_value(json_object_get(resp->props, "ResponseType"));
	static const char *const lists[] = { "RequiredAttendees", "OptionalAttendees",
					     "Resources", NULL };
	sim_item cal;
	json_t *a;
	size_t i, j;

	if (!who || !type || sim_find_by_uid(&cal, r, SIM_MBX(organizer), uid) < 0)
		return;
	for (i = 0; lists[i]; i++)
		json_array_foreach(json_object_get(cal.props, lists[i]), j, a)
			if (mbx_email(a) && strcasecmp(mbx_email(a), who) == 0)
				json_object_set_new(a, "response", json_string(type));
	sim_store_item_update(r->ctx->store, &cal, NULL);
	sim_item_dispose(&cal);
}

static void cancel_in_calendar(sim_req *r, int user, const sim_item *msg)
{
	sim_item cal;

	if (sim_find_by_uid(&cal, r, SIM_MBX(user),
			    json_string_value(json_object_get(msg->props, "UID"))) < 0)
		return;
	json_object_set_new(cal.props, "IsCancelled", json_true());
	json_object_set_new(cal.props, "LegacyFreeBusyStatus", json_string("Free"));
	sim_store_item_update(r->ctx->store, &cal, NULL);
	sim_item_dispose(&cal);
}

int sim_attachments_copy(sim_req *r, int64_t item,
			 const sim_attachment *atts, size_t natts,
			 sim_status *st)
{
	errinfo e = ERRINFO_INIT;
	size_t i;

	for (i = 0; i < natts; i++) {
		/* a shallow copy: the store binds the bytes, it keeps nothing */
		sim_attachment a = atts[i];

		a.id = 0;
		a.item = item;
		if (sim_store_att_insert(r->ctx->store, &a, &e) < 0) {
			log_error("ews-sim", "copying attachment \"%s\": %s",
				  atts[i].name ? atts[i].name : "", e.msg);
			return sim_fail(st, "ErrorInternalServerError");
		}
	}
	return 0;
}

int sim_deliver(sim_req *r, const sim_item *msg, const sim_attachment *atts,
		size_t natts, sim_status *st)
{
	const sim_org *org = r->ctx->org;
	int from = sim_org_find_smtp(org, mbx_email(json_object_get(msg->props, "From")),
				     NULL);
	int meeting = strncmp(msg->kind, "Meeting", 7) == 0;
	char *want = calloc(org->nusers + 1, 1);
	sim_folder inbox;
	size_t u;

	if (!want)
		return sim_fail(st, "ErrorInternalServerError");
	collect(org, json_object_get(msg->props, "ToRecipients"), want);
	collect(org, json_object_get(msg->props, "CcRecipients"), want);
	collect(org, json_object_get(msg->props, "BccRecipients"), want);
	for (u = 0; u < org->nusers; u++) {
		sim_item d;

		if (!want[u] || (meeting && (int)u == from))
			continue;
		if (sim_store_folder_dist(&inbox, r->ctx->store, SIM_MBX((int)u),
					  "inbox", NULL) < 0)
			continue;
		memset(&d, 0, sizeof(d));
		snprintf(d.kind, sizeof(d.kind), "%s", msg->kind);
		d.mailbox = SIM_MBX((int)u);
		d.folder = inbox.id;
		sim_folder_dispose(&inbox);
		d.props = json_deep_copy(msg->props);
		if (!d.props) {
			free(want);
			return sim_fail(st, "ErrorInternalServerError");
		}
		json_object_del(d.props, "BccRecipients");
		json_object_del(d.props, "AssociatedCalendarItemId");
		json_object_set_new(d.props, "IsRead", json_false());
		json_object_set_new(d.props, "IsDraft", json_false());
		json_object_set_new(d.props, "DateTimeReceived", json_integer(sim_now()));
		json_object_set_new(d.props, "HasAttachments", json_boolean(natts > 0));
		if (strcmp(msg->kind, "MeetingRequest") == 0)
			place_in_calendar(r, (int)u, &d);
		else if (strcmp(msg->kind, "MeetingResponse") == 0)
			record_response(r, (int)u, msg);
		else if (strcmp(msg->kind, "MeetingCancellation") == 0)
			cancel_in_calendar(r, (int)u, msg);
		if (sim_store_item_insert(r->ctx->store, &d, NULL) < 0 ||
		    sim_attachments_copy(r, d.id, atts, natts, st) < 0) {
			sim_item_dispose(&d);
			free(want);
			return sim_fail(st, "ErrorInternalServerError");
		}
		sim_item_dispose(&d);
		oof_reply(r, (int)u, msg);
	}
	free(want);
	r->sent++;
	return 0;
}

int sim_deliver_stored(sim_req *r, const sim_item *msg, sim_status *st)
{
	sim_attachment *atts = NULL;
	size_t natts = 0;
	errinfo e = ERRINFO_INIT;
	int rc;

	if (sim_store_att_list(&atts, &natts, r->ctx->store, msg->id, &e) < 0) {
		log_error("ews-sim", "reading the attachments of a message to send: %s",
			  e.msg);
		return sim_fail(st, "ErrorInternalServerError");
	}
	rc = sim_deliver(r, msg, atts, natts, st);
	sim_attachment_list_free(atts, natts);
	return rc;
}

/* Attendees of a calendar item as a recipient list (new reference). */
static json_t *attendee_list(const json_t *att)
{
	json_t *l = json_array(), *a;
	size_t i;

	json_array_foreach(att, i, a)
		json_array_append_new(l, sim_mbx_new(
			json_string_value(json_object_get(a, "name")), mbx_email(a)));
	return l;
}

int sim_send_meeting(sim_req *r, const sim_item *cal, const char *kind,
		     sim_status *st)
{
	static const char *const copy[] = { "Body", "Start", "End", "Location",
		"IsAllDayEvent", "Organizer", "RequiredAttendees",
		"OptionalAttendees", "UID", "StartTimeZone", "EndTimeZone",
		"AppointmentSequenceNumber", NULL };
	int cancel = strcmp(kind, "MeetingCancellation") == 0;
	const char *subj = json_string_value(json_object_get(cal->props, "Subject"));
	const json_t *org_mbx = json_object_get(cal->props, "Organizer");
	char subject[600];
	sim_item m;
	size_t i;
	int rc;

	memset(&m, 0, sizeof(m));
	snprintf(m.kind, sizeof(m.kind), "%s", kind);
	snprintf(subject, sizeof(subject), "%s%s", cancel ? "Canceled: " : "",
		 subj ? subj : "");
	m.props = json_pack("{s:s, s:s, s:O, s:O, s:o, s:o, s:I, s:I}",
			    "Subject", subject,
			    "ItemClass", cancel ? "IPM.Schedule.Meeting.Canceled"
						: "IPM.Schedule.Meeting.Request",
			    "From", org_mbx ? org_mbx : json_null(),
			    "Sender", org_mbx ? org_mbx : json_null(),
			    "ToRecipients", attendee_list(json_object_get(cal->props, "RequiredAttendees")),
			    "CcRecipients", attendee_list(json_object_get(cal->props, "OptionalAttendees")),
			    "DateTimeSent", (json_int_t)sim_now(),
			    "DateTimeReceived", (json_int_t)sim_now());
	if (!m.props)
		return sim_fail(st, "ErrorInternalServerError");
	for (i = 0; copy[i]; i++) {
		json_t *v = json_object_get(cal->props, copy[i]);

		if (v)
			json_object_set(m.props, copy[i], v);
	}
	if (!cancel) {
		json_object_set_new(m.props, "MeetingRequestType",
				    json_string("NewMeetingRequest"));
		json_object_set_new(m.props, "IntendedFreeBusyStatus",
				    json_string("Busy"));
		json_object_set_new(m.props, "IsMeeting", json_true());
	}
	rc = sim_deliver(r, &m, NULL, 0, st);
	sim_item_dispose(&m);
	return rc;
}
