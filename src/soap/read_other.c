/* read_other.c - attachments, free/busy, OOF, name resolution, DL
 * expansion, personas, sync, time zones, id conversion, inbox rules and
 * created ids as JSON (see read_other.h). */
#include "soap/read_other.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "soap/read_items.h"
#include "soap/read_util.h"

#define NOMEM(what) errinfo_set(err, ERR_NOMEM, "out of memory reading %s", what)

/* Per-message batch walk: fn builds the JSON of one successful message;
 * failed messages become {"error": ...}. */
typedef int (*msg_reader)(json_t **out, const soap_msg *m, errinfo *err);

static int read_batch(json_t **out, const soap_response *r, const char *what,
		      msg_reader fn, errinfo *err)
{
	json_t *arr, *v;
	size_t i;
	int error;

	*out = NULL;
	if ((error = soap__need_messages(r, what, err)) < 0)
		return error;
	if (!(arr = json_array()))
		return NOMEM(what);
	for (i = 0; i < r->nmsgs; i++) {
		if (soap_msg_is_error(&r->msgs[i])) {
			v = soap_msg_error_json(&r->msgs[i]);
		} else if ((error = fn(&v, &r->msgs[i], err)) < 0) {
			json_decref(arr);
			return error;
		}
		if (soap__append(arr, v) < 0) {
			json_decref(arr);
			return NOMEM(what);
		}
	}
	*out = arr;
	return 0;
}

/* ---- attachments ---------------------------------------------------------- */

static int attachment_msg(json_t **out, const soap_msg *m, errinfo *err)
{
	xmlNode *a = soap__first_elem(soap__child(m->node, "Attachments"));
	xmlNode *root = soap__child(m->node, "RootItemId");
	xmlNode *c;
	json_t *o;

	*out = NULL;
	if (!a) {
		/* DeleteAttachment: only the parent's new id/change key. */
		if (!(o = json_object()) ||
		    soap__set_attr_text(o, "root_item_id", root, "RootItemId") < 0 ||
		    soap__set_attr_text(o, "root_item_change_key", root, "RootItemChangeKey") < 0) {
			json_decref(o);
			return NOMEM("attachments");
		}
		*out = o;
		return 0;
	}
	if (!(o = soap__attachment_json(a)))
		return NOMEM("attachments");
	if (soap__set_child_text(o, "content", a, "Content") < 0)
		goto nomem;
	/* An item attachment carries its item (Message, CalendarItem ...)
	 * after the AttachmentType children. */
	for (c = soap__first_elem(a); c; c = soap__next_elem(c)) {
		static const char *const kinds[] = { "Item", "Message", "CalendarItem", "Contact",
			"Task", "MeetingRequest", "MeetingResponse", "MeetingCancellation", "PostItem" };
		size_t k;
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			if (soap__is(c, kinds[k])) {
				json_t *it;
				int error = soap_item_to_json(&it, c, err);
				if (error < 0) {
					json_decref(o);
					return error;
				}
				if (json_object_set_new(o, "item", it) < 0)
					goto nomem;
			}
		}
	}
	*out = o;
	return 0;
nomem:
	json_decref(o);
	return NOMEM("attachments");
}

int soap_read_attachments(json_t **out, const soap_response *r, errinfo *err)
{
	return read_batch(out, r, "attachments", attachment_msg, err);
}

/* ---- GetUserAvailability ------------------------------------------------- */

static json_t *calendar_event_json(const xmlNode *ev)
{
	xmlNode *d = soap__child(ev, "CalendarEventDetails");
	json_t *o = json_object();

	if (!o || soap__set_child_text(o, "start", ev, "StartTime") < 0 ||
	    soap__set_child_text(o, "end", ev, "EndTime") < 0 ||
	    soap__set_child_text(o, "busy_type", ev, "BusyType") < 0 ||
	    soap__set_child_text(o, "id", d, "ID") < 0 ||
	    soap__set_child_text(o, "subject", d, "Subject") < 0 ||
	    soap__set_child_text(o, "location", d, "Location") < 0 ||
	    soap__set_child_bool(o, "is_meeting", d, "IsMeeting") < 0 ||
	    soap__set_child_bool(o, "is_recurring", d, "IsRecurring") < 0 ||
	    soap__set_child_bool(o, "is_exception", d, "IsException") < 0 ||
	    soap__set_child_bool(o, "is_reminder_set", d, "IsReminderSet") < 0 ||
	    soap__set_child_bool(o, "is_private", d, "IsPrivate") < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *working_hours_json(const xmlNode *wh)
{
	json_t *o = json_object(), *periods = json_array();
	xmlNode *p;

	if (!o || !periods)
		goto fail;
	if (soap__set_child_int(o, "time_zone_bias", soap__child(wh, "TimeZone"), "Bias") < 0)
		goto fail;
	for (p = soap__first_elem(soap__child(wh, "WorkingPeriodArray")); p; p = soap__next_elem(p)) {
		json_t *w = json_object();
		if (!w || soap__set_child_text(w, "days", p, "DayOfWeek") < 0 ||
		    soap__set_child_int(w, "start_minutes", p, "StartTimeInMinutes") < 0 ||
		    soap__set_child_int(w, "end_minutes", p, "EndTimeInMinutes") < 0 ||
		    soap__append(periods, w) < 0) {
			json_decref(w);
			goto fail;
		}
	}
	if (json_object_set_new(o, "periods", periods) < 0) {
		periods = NULL;
		goto fail;
	}
	return o;
fail:
	json_decref(periods);
	json_decref(o);
	return NULL;
}

static json_t *free_busy_json(const soap_msg *m)
{
	xmlNode *view = soap__child(m->node, "FreeBusyView");
	xmlNode *ev, *wh;
	json_t *o = json_object(), *events = json_array();

	if (!o || !events)
		goto fail;
	if (json_object_set_new(o, "response_class",
				json_string(m->response_class ? m->response_class : "Success")) < 0 ||
	    json_object_set_new(o, "response_code", json_string(soap_msg_effective_code(m))) < 0 ||
	    (m->message_text &&
	     json_object_set_new(o, "message_text", json_string(m->message_text)) < 0) ||
	    soap__set_child_text(o, "view_type", view, "FreeBusyViewType") < 0 ||
	    soap__set_child_text(o, "merged_free_busy", view, "MergedFreeBusy") < 0)
		goto fail;
	for (ev = soap__first_elem(soap__child(view, "CalendarEventArray")); ev;
	     ev = soap__next_elem(ev))
		if (soap__append(events, calendar_event_json(ev)) < 0)
			goto fail;
	if (json_object_set_new(o, "events", events) < 0) {
		events = NULL;
		goto fail;
	}
	events = NULL;
	if ((wh = soap__child(view, "WorkingHours")) &&
	    json_object_set_new(o, "working_hours", working_hours_json(wh)) < 0)
		goto fail;
	return o;
fail:
	json_decref(events);
	json_decref(o);
	return NULL;
}

static json_t *suggestions_json(const xmlNode *sr)
{
	json_t *days = json_array();
	xmlNode *d, *s;

	if (!days)
		return NULL;
	for (d = soap__first_elem(soap__child(sr, "SuggestionDayResultArray")); d;
	     d = soap__next_elem(d)) {
		json_t *day = json_object(), *times = json_array();
		if (!day || !times || soap__set_child_text(day, "date", d, "Date") < 0 ||
		    soap__set_child_text(day, "day_quality", d, "DayQuality") < 0)
			goto fail_day;
		for (s = soap__first_elem(soap__child(d, "SuggestionArray")); s; s = soap__next_elem(s)) {
			json_t *t = json_object();
			if (!t || soap__set_child_text(t, "time", s, "MeetingTime") < 0 ||
			    soap__set_child_text(t, "quality", s, "SuggestionQuality") < 0 ||
			    soap__set_child_bool(t, "is_work_time", s, "IsWorkTime") < 0 ||
			    soap__append(times, t) < 0) {
				json_decref(t);
				goto fail_day;
			}
		}
		if (json_object_set_new(day, "times", times) < 0) {
			times = NULL;
			goto fail_day;
		}
		if (soap__append(days, day) < 0) {
			day = NULL;
			goto fail_day;
		}
		continue;
fail_day:
		json_decref(times);
		json_decref(day);
		json_decref(days);
		return NULL;
	}
	return days;
}

int soap_read_availability(json_t **out, const soap_response *r, errinfo *err)
{
	json_t *res, *mbs;
	xmlNode *sr;
	size_t i;
	int error;

	*out = NULL;
	if (!r || r->is_fault || !r->operation ||
	    strcmp(r->operation, "GetUserAvailabilityResponse") != 0) {
		if (r && r->is_fault)
			return soap_response_set_error(err, ERR_PROTOCOL, "GetUserAvailability", r, NULL);
		return errinfo_set(err, ERR_PROTOCOL,
			"GetUserAvailability: not a GetUserAvailability response");
	}
	res = json_object();
	mbs = json_array();
	if (!res || !mbs || json_object_set(res, "mailboxes", mbs) < 0)
		goto nomem;
	for (i = 0; i < r->nmsgs; i++)
		if (soap__append(mbs, free_busy_json(&r->msgs[i])) < 0)
			goto nomem;
	sr = soap__child(r->body_child, "SuggestionsResponse");
	if (sr) {
		xmlNode *rm = soap__child(sr, "ResponseMessage");
		xmlChar *cls = soap__attr_get(rm, "ResponseClass");
		int failed = cls && strcmp((const char *)cls, "Error") == 0;

		xmlFree(cls);
		if (failed) {
			json_t *e = json_object();
			if (!e || soap__set_child_text(e, "response_code", rm, "ResponseCode") < 0 ||
			    soap__set_child_text(e, "message_text", rm, "MessageText") < 0 ||
			    json_object_set_new(res, "suggestions_error", e) < 0) {
				json_decref(e);
				goto nomem;
			}
		} else if (json_object_set_new(res, "suggestions", suggestions_json(sr)) < 0) {
			goto nomem;
		}
	}
	json_decref(mbs);
	*out = res;
	return 0;
nomem:
	error = NOMEM("GetUserAvailability");
	json_decref(mbs);
	json_decref(res);
	return error;
}

/* ---- OOF ------------------------------------------------------------------ */

int soap_read_oof(json_t **out, const soap_response *r, errinfo *err)
{
	const soap_msg *m;
	xmlNode *s, *d;
	json_t *o;
	int error;

	*out = NULL;
	if ((error = soap__first_ok(&m, r, "GetUserOofSettings", err)) < 0)
		return error;
	s = soap__child(r->body_child, "OofSettings");
	if (!s)
		return errinfo_set(err, ERR_PROTOCOL, "GetUserOofSettings: the response has no OofSettings");
	d = soap__child(s, "Duration");
	if (!(o = json_object()) ||
	    soap__set_child_text(o, "state", s, "OofState") < 0 ||
	    soap__set_child_text(o, "external_audience", s, "ExternalAudience") < 0 ||
	    soap__set_child_text(o, "start", d, "StartTime") < 0 ||
	    soap__set_child_text(o, "end", d, "EndTime") < 0 ||
	    soap__set_child_text(o, "internal_reply", soap__child(s, "InternalReply"), "Message") < 0 ||
	    soap__set_child_text(o, "external_reply", soap__child(s, "ExternalReply"), "Message") < 0 ||
	    soap__set_child_text(o, "allow_external_oof", r->body_child, "AllowExternalOof") < 0) {
		json_decref(o);
		return NOMEM("GetUserOofSettings");
	}
	/* An unset reply is an empty string, so callers need no null checks. */
	if ((!json_object_get(o, "internal_reply") &&
	     json_object_set_new(o, "internal_reply", json_string("")) < 0) ||
	    (!json_object_get(o, "external_reply") &&
	     json_object_set_new(o, "external_reply", json_string("")) < 0)) {
		json_decref(o);
		return NOMEM("GetUserOofSettings");
	}
	*out = o;
	return 0;
}

/* ---- ResolveNames / ExpandDL / FindPeople --------------------------------- */

int soap_read_resolve_names(json_t **out, const soap_response *r, errinfo *err)
{
	const soap_msg *m;
	json_t *res = NULL, *list = NULL;
	xmlNode *set, *c;
	int error;

	*out = NULL;
	if ((error = soap__need_messages(r, "ResolveNames", err)) < 0)
		return error;
	m = &r->msgs[0];
	if (soap_msg_is_error(m) && !(m->response_code &&
	    strcmp(m->response_code, "ErrorNameResolutionNoResults") == 0))
		return soap_response_set_error(err, ERR_PROTOCOL, "ResolveNames", r, m);
	if (!(res = json_object()) || !(list = json_array()) ||
	    json_object_set(res, "resolutions", list) < 0 ||
	    json_object_set_new(res, "multiple", json_boolean(m->response_code &&
		strcmp(m->response_code, "ErrorNameResolutionMultipleResults") == 0)) < 0)
		goto nomem;
	set = soap__child(m->node, "ResolutionSet");
	if (soap__set_attr_bool(res, "includes_last_item_in_range", set,
				"IncludesLastItemInRange") < 0 ||
	    soap__set_attr_int(res, "total_items_in_view", set, "TotalItemsInView") < 0)
		goto nomem;
	for (c = soap__first_elem(set); c; c = soap__next_elem(c)) {
		xmlNode *mb = soap__child(c, "Mailbox"), *ct = soap__child(c, "Contact");
		json_t *o;

		if (!soap__is(c, "Resolution"))
			continue;
		o = mb ? soap__mailbox_json(mb) : json_object();
		if (!o)
			goto nomem;
		if (soap__set_attr_text(o, "item_id", soap__child(mb, "ItemId"), "Id") < 0) {
			json_decref(o);
			goto nomem;
		}
		if (ct) {
			json_t *cj;
			if ((error = soap_item_to_json(&cj, ct, err)) < 0) {
				json_decref(o);
				goto cleanup;
			}
			json_object_del(cj, "item_type");
			if (json_object_set_new(o, "contact", cj) < 0) {
				json_decref(o);
				goto nomem;
			}
		}
		if (soap__append(list, o) < 0)
			goto nomem;
	}
	json_decref(list);
	*out = res;
	return 0;
nomem:
	error = NOMEM("ResolveNames");
cleanup:
	json_decref(list);
	json_decref(res);
	return error;
}

int soap_read_expand_dl(json_t **out, const soap_response *r, errinfo *err)
{
	const soap_msg *m;
	json_t *res, *members;
	xmlNode *dl;
	int error;

	*out = NULL;
	if ((error = soap__first_ok(&m, r, "ExpandDL", err)) < 0)
		return error;
	dl = soap__child(m->node, "DLExpansion");
	res = json_object();
	members = soap__mailbox_list_json(dl);
	if (!res || !members || json_object_set_new(res, "members", members) < 0) {
		json_decref(res);
		return NOMEM("ExpandDL");
	}
	if (soap__set_attr_bool(res, "includes_last_item_in_range", dl,
				"IncludesLastItemInRange") < 0 ||
	    soap__set_attr_int(res, "total_items_in_view", dl, "TotalItemsInView") < 0) {
		json_decref(res);
		return NOMEM("ExpandDL");
	}
	*out = res;
	return 0;
}

static json_t *persona_json(const xmlNode *p)
{
	json_t *o = json_object();
	xmlNode *em = soap__child(p, "EmailAddress"), *ems = soap__child(p, "EmailAddresses");

	if (!o || soap__set_attr_text(o, "persona_id", soap__child(p, "PersonaId"), "Id") < 0 ||
	    soap__set_child_text(o, "persona_type", p, "PersonaType") < 0 ||
	    soap__set_child_text(o, "display_name", p, "DisplayName") < 0 ||
	    soap__set_child_text(o, "given_name", p, "GivenName") < 0 ||
	    soap__set_child_text(o, "surname", p, "Surname") < 0 ||
	    soap__set_child_text(o, "title", p, "Title") < 0 ||
	    soap__set_child_text(o, "department", p, "Department") < 0 ||
	    soap__set_child_text(o, "company_name", p, "CompanyName") < 0 ||
	    soap__set_child_text(o, "office_location", p, "OfficeLocation") < 0 ||
	    soap__set_child_text(o, "email", em, "EmailAddress") < 0 ||
	    soap__set_child_text(o, "email_name", em, "Name") < 0)
		goto fail;
	if (ems) {
		json_t *arr = json_array();
		xmlNode *a;
		if (!arr || json_object_set_new(o, "emails", arr) < 0)
			goto fail;
		for (a = soap__first_elem(ems); a; a = soap__next_elem(a))
			if (soap__append(arr, soap__mailbox_json(a)) < 0)
				goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

int soap_read_find_people(json_t **out, const soap_response *r, errinfo *err)
{
	const soap_msg *m;
	json_t *res, *list;
	xmlNode *p;
	int error;

	*out = NULL;
	if ((error = soap__first_ok(&m, r, "FindPeople", err)) < 0)
		return error;
	res = json_object();
	list = json_array();
	if (!res || !list || json_object_set(res, "personas", list) < 0)
		goto nomem;
	for (p = soap__first_elem(soap__child(m->node, "People")); p; p = soap__next_elem(p))
		if (soap__append(list, persona_json(p)) < 0)
			goto nomem;
	if (soap__set_child_int(res, "total_number_of_people_in_view", m->node,
				"TotalNumberOfPeopleInView") < 0 ||
	    soap__set_child_int(res, "first_matching_row_index", m->node, "FirstMatchingRowIndex") < 0 ||
	    soap__set_child_int(res, "first_loaded_row_index", m->node, "FirstLoadedRowIndex") < 0)
		goto nomem;
	json_decref(list);
	*out = res;
	return 0;
nomem:
	json_decref(list);
	json_decref(res);
	return NOMEM("FindPeople");
}

/* ---- SyncFolderItems / GetServerTimeZones / ConvertId ---------------------- */

static json_t *sync_change_json(const xmlNode *c, errinfo *err, int *error)
{
	const char *kind = soap__is(c, "Create") ? "create" : soap__is(c, "Update") ? "update" :
			   soap__is(c, "Delete") ? "delete" :
			   soap__is(c, "ReadFlagChange") ? "read_flag_change" : NULL;
	json_t *o;

	*error = 0;
	if (!kind)
		return json_null();   /* unknown change kinds are skipped */
	if (!(o = json_object()) || json_object_set_new(o, "change", json_string(kind)) < 0)
		goto nomem;
	if (c->name[0] == 'C' || c->name[0] == 'U') {
		xmlNode *item = soap__first_elem(c);
		json_t *it;
		if (item) {
			if ((*error = soap_item_to_json(&it, item, err)) < 0) {
				json_decref(o);
				return NULL;
			}
			if (json_object_set_new(o, "item", it) < 0)
				goto nomem;
		}
	} else {
		xmlNode *id = soap__child(c, "ItemId");
		if (soap__set_attr_text(o, "item_id", id, "Id") < 0 ||
		    soap__set_attr_text(o, "change_key", id, "ChangeKey") < 0 ||
		    soap__set_child_bool(o, "is_read", c, "IsRead") < 0)
			goto nomem;
	}
	return o;
nomem:
	json_decref(o);
	*error = NOMEM("SyncFolderItems");
	return NULL;
}

int soap_read_sync_folder_items(json_t **out, const soap_response *r, errinfo *err)
{
	const soap_msg *m;
	json_t *res, *list;
	xmlNode *c;
	int error;

	*out = NULL;
	if ((error = soap__first_ok(&m, r, "SyncFolderItems", err)) < 0)
		return error;
	res = json_object();
	list = json_array();
	if (!res || !list || json_object_set(res, "changes", list) < 0 ||
	    soap__set_child_text(res, "sync_state", m->node, "SyncState") < 0 ||
	    soap__set_child_bool(res, "includes_last_item_in_range", m->node,
				 "IncludesLastItemInRange") < 0) {
		error = NOMEM("SyncFolderItems");
		goto cleanup;
	}
	for (c = soap__first_elem(soap__child(m->node, "Changes")); c; c = soap__next_elem(c)) {
		json_t *ch = sync_change_json(c, err, &error);
		if (!ch) {
			if (!error)
				error = NOMEM("SyncFolderItems");
			goto cleanup;
		}
		if (json_is_null(ch))
			continue;
		if (soap__append(list, ch) < 0) {
			error = NOMEM("SyncFolderItems");
			goto cleanup;
		}
	}
	json_decref(list);
	*out = res;
	return 0;
cleanup:
	json_decref(list);
	json_decref(res);
	return error;
}

int soap_read_server_time_zones(json_t **out, const soap_response *r, errinfo *err)
{
	const soap_msg *m;
	json_t *res, *list;
	xmlNode *tz;
	int error;

	*out = NULL;
	if ((error = soap__first_ok(&m, r, "GetServerTimeZones", err)) < 0)
		return error;
	res = json_object();
	list = json_array();
	if (!res || !list || json_object_set(res, "time_zones", list) < 0)
		goto nomem;
	for (tz = soap__first_elem(soap__child(m->node, "TimeZoneDefinitions")); tz;
	     tz = soap__next_elem(tz)) {
		json_t *o = json_object();
		if (!o || soap__set_attr_text(o, "id", tz, "Id") < 0 ||
		    soap__set_attr_text(o, "name", tz, "Name") < 0 || soap__append(list, o) < 0) {
			json_decref(o);
			goto nomem;
		}
	}
	json_decref(list);
	*out = res;
	return 0;
nomem:
	json_decref(list);
	json_decref(res);
	return NOMEM("GetServerTimeZones");
}

static int convert_id_msg(json_t **out, const soap_msg *m, errinfo *err)
{
	xmlNode *a = soap__child(m->node, "AlternateId");
	json_t *o = json_object();

	*out = NULL;
	if (!o || soap__set_attr_text(o, "id", a, "Id") < 0 ||
	    soap__set_attr_text(o, "format", a, "Format") < 0 ||
	    soap__set_attr_text(o, "mailbox", a, "Mailbox") < 0) {
		json_decref(o);
		return NOMEM("ConvertId");
	}
	*out = o;
	return 0;
}

int soap_read_convert_id(json_t **out, const soap_response *r, errinfo *err)
{
	return read_batch(out, r, "ConvertId", convert_id_msg, err);
}

/* ---- inbox rules ------------------------------------------------------------ */

/* "ContainsSubjectStrings" -> "contains_subject_strings". */
static void snake(char *dst, size_t n, const char *src)
{
	size_t o = 0, i;

	for (i = 0; src[i] && o + 2 < n; i++) {
		unsigned char c = (unsigned char)src[i];
		if (isupper(c)) {
			if (i > 0 && (islower((unsigned char)src[i - 1]) ||
				      (src[i + 1] && islower((unsigned char)src[i + 1]) &&
				       isupper((unsigned char)src[i - 1]))))
				dst[o++] = '_';
			dst[o++] = (char)tolower(c);
		} else {
			dst[o++] = (char)c;
		}
	}
	dst[o] = '\0';
}

/* A rule predicate/action value: string lists, address lists, folder
 * targets, date/size ranges and plain values. */
static json_t *rule_value_json(const xmlNode *v)
{
	xmlNode *first = soap__first_elem(v), *c;
	json_t *o;

	if (!first) {
		xmlChar *t = soap__content(v);
		json_t *j;
		if (!t)
			return NULL;
		if (strcmp((const char *)t, "true") == 0)
			j = json_true();
		else if (strcmp((const char *)t, "false") == 0)
			j = json_false();
		else
			j = json_string((const char *)t);
		xmlFree(t);
		return j;
	}
	if (soap__is(first, "String")) {
		json_t *arr = json_array();
		for (c = first; arr && c; c = soap__next_elem(c)) {
			xmlChar *t = soap__content(c);
			if (!t || soap__append(arr, json_string((const char *)t)) < 0) {
				xmlFree(t);
				json_decref(arr);
				return NULL;
			}
			xmlFree(t);
		}
		return arr;
	}
	if (soap__is(first, "Address")) {
		json_t *arr = json_array();
		for (c = first; arr && c; c = soap__next_elem(c))
			if (soap__append(arr, soap__mailbox_json(c)) < 0) {
				json_decref(arr);
				return NULL;
			}
		return arr;
	}
	if (!(o = json_object()))
		return NULL;
	for (c = first; c; c = soap__next_elem(c)) {
		char key[64];
		json_t *sub;

		if (soap__is(c, "FolderId")) {
			if (soap__set_attr_text(o, "folder_id", c, "Id") < 0)
				goto fail;
			continue;
		}
		if (soap__is(c, "DistinguishedFolderId")) {
			if (soap__set_attr_text(o, "distinguished", c, "Id") < 0)
				goto fail;
			continue;
		}
		if (soap__is(c, "ItemId")) {
			if (soap__set_attr_text(o, "item_id", c, "Id") < 0)
				goto fail;
			continue;
		}
		snake(key, sizeof(key), (const char *)c->name);
		sub = rule_value_json(c);
		if (!sub || json_object_set_new(o, key, sub) < 0)
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *rule_json(const xmlNode *rule)
{
	static const char *const groups[] = { "Conditions", "Exceptions", "Actions" };
	json_t *o = json_object();
	size_t i;

	if (!o || soap__set_child_text(o, "rule_id", rule, "RuleId") < 0 ||
	    soap__set_child_text(o, "display_name", rule, "DisplayName") < 0 ||
	    soap__set_child_int(o, "priority", rule, "Priority") < 0 ||
	    soap__set_child_bool(o, "is_enabled", rule, "IsEnabled") < 0 ||
	    soap__set_child_bool(o, "is_not_supported", rule, "IsNotSupported") < 0 ||
	    soap__set_child_bool(o, "is_in_error", rule, "IsInError") < 0)
		goto fail;
	for (i = 0; i < 3; i++) {
		xmlNode *g = soap__child(rule, groups[i]);
		char key[32];
		json_t *v;

		if (!g)
			continue;
		snake(key, sizeof(key), groups[i]);
		v = soap__first_elem(g) ? rule_value_json(g) : json_object();
		if (!v || json_object_set_new(o, key, v) < 0)
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

int soap_read_inbox_rules(json_t **out, const soap_response *r, errinfo *err)
{
	const soap_msg *m;
	json_t *res, *list;
	xmlNode *rule;
	int error;

	*out = NULL;
	if ((error = soap__first_ok(&m, r, "GetInboxRules", err)) < 0)
		return error;
	res = json_object();
	list = json_array();
	if (!res || !list || json_object_set(res, "rules", list) < 0 ||
	    soap__set_child_bool(res, "outlook_rule_blob_exists", m->node,
				 "OutlookRuleBlobExists") < 0)
		goto nomem;
	for (rule = soap__first_elem(soap__child(m->node, "InboxRules")); rule;
	     rule = soap__next_elem(rule))
		if (soap__append(list, rule_json(rule)) < 0)
			goto nomem;
	json_decref(list);
	*out = res;
	return 0;
nomem:
	json_decref(list);
	json_decref(res);
	return NOMEM("GetInboxRules");
}

/* ---- created ids ------------------------------------------------------------ */

static int created_msg(json_t **out, const soap_msg *m, errinfo *err)
{
	xmlNode *item = soap__first_elem(soap__child(m->node, "Items"));
	xmlNode *folder = soap__first_elem(soap__child(m->node, "Folders"));
	xmlNode *att = soap__first_elem(soap__child(m->node, "Attachments"));
	json_t *o = json_object();
	xmlNode *id;
	int rc = 0;

	*out = NULL;
	if (!o)
		return NOMEM("created ids");
	if (item) {
		id = soap__child(item, "ItemId");
		rc = soap__set_attr_text(o, "item_id", id, "Id") < 0 ||
		     soap__set_attr_text(o, "change_key", id, "ChangeKey") < 0;
	} else if (folder) {
		id = soap__child(folder, "FolderId");
		rc = soap__set_attr_text(o, "folder_id", id, "Id") < 0 ||
		     soap__set_attr_text(o, "change_key", id, "ChangeKey") < 0;
	} else if (att) {
		id = soap__child(att, "AttachmentId");
		rc = soap__set_attr_text(o, "attachment_id", id, "Id") < 0 ||
		     soap__set_attr_text(o, "root_item_id", id, "RootItemId") < 0 ||
		     soap__set_attr_text(o, "root_item_change_key", id, "RootItemChangeKey") < 0;
	}
	if (rc) {
		json_decref(o);
		return NOMEM("created ids");
	}
	*out = o;
	return 0;
}

int soap_read_created_ids(json_t **out, const soap_response *r, errinfo *err)
{
	return read_batch(out, r, "created ids", created_msg, err);
}
