/* tools_calendar.c - MCP tools over EWS calendars: get_calendar,
 * create_appointment, check_availability. Uses ews_* operations only (no
 * XML here).
 *
 * Times cross this file in three forms: tool arguments (ISO 8601, naive
 * ones in TIMEZONE, read by tools_arg_time), UTC on the wire (every
 * request names UTC times, so Exchange's answers are UTC too), and local
 * ISO with an offset in results. Free/busy merging lives in freebusy.c,
 * date arithmetic in dates.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ews/ops.h"
#include "tools/args.h"
#include "tools/categories.h"
#include "tools/convert.h"
#include "tools/dates.h"
#include "tools/families.h"
#include "tools/freebusy.h"
#include "tools/runner.h"

#define ADDRESS_LIST(desc) \
	"{\"type\":[\"array\",\"string\"],\"items\":{\"type\":\"string\",\"maxLength\":1000}," \
	"\"maxItems\":500,\"description\":\"" desc " Each is user@contoso.com or " \
	"Name <user@contoso.com>.\"}"

#define TIME_PROP(name, desc) \
	"\"" name "\":{" TOOLS_DATE_TYPE ",\"description\":" \
	"\"" desc " ISO 8601, e.g. 2025-12-15T10:00:00; without Z or an offset it is local " \
	"time in the server's TIMEZONE.\"}"

/* CalendarView windows are limited to two years (ErrorCalendarViewRangeTooBig). */
#define CALENDAR_WINDOW_MAX (732LL * 86400LL)
/* GetUserAvailability refuses windows over 42 days (Exchange's default). */
#define AVAILABILITY_WINDOW_MAX (42LL * 86400LL)

/* UTC seconds as EWS's xs:dateTime, optionally without the Z (the
 * availability TimeWindow is read in the request's own zone, UTC). */
static void utc_text(char *out, size_t cap, int64_t utc, int with_z)
{
	size_t len;

	tools_time_utc(out, cap, utc);
	len = strlen(out);
	if (!with_z && len && out[len - 1] == 'Z')
		out[len - 1] = '\0';
}

/* ---- get_calendar ------------------------------------------------------------ */

static const char get_calendar_schema[] =
	"{\"type\":\"object\",\"properties\":{"
	TIME_PROP("start_date", "Start of the window (default: now); a date alone means "
		  "its midnight.") ","
	TIME_PROP("end_date", "End of the window (default: start_date + days_ahead); a date "
		  "alone includes that whole day.") ","
	"\"days_ahead\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":90,\"default\":7,"
	"\"description\":\"Length of the window in days when end_date is not given.\"},"
	"\"max_results\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000,\"default\":50},"
	TOOLS_TARGET_MAILBOX_PROP
	"},\"additionalProperties\":false}";

typedef struct timed_event {
	int64_t start;
	json_t *event;
} timed_event;

static int by_start(const void *a, const void *b)
{
	const timed_event *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

static json_t *string_or_empty(const json_t *item, const char *key)
{
	const char *s = json_string_value(json_object_get(item, key));

	return json_string(s ? s : "");
}

/* e[key] = item[from] as a boolean, false when Exchange left it out. */
static void set_flag(json_t *e, const char *key, const json_t *item, const char *from)
{
	json_object_set_new(e, key, json_boolean(json_is_true(json_object_get(item, from))));
}

/* One event of get_calendar's answer, from a CalendarView item (attendees
 * filled in later by fill_attendees). */
static json_t *event_json(const json_t *item, const cfg *conf)
{
	const json_t *org = json_object_get(item, "organizer");
	json_t *e = json_object();

	json_object_set(e, "item_id", json_object_get(item, "item_id"));
	json_object_set_new(e, "subject", string_or_empty(item, "subject"));
	json_object_set_new(e, "start",
			    tools_time_local(json_string_value(json_object_get(item, "start")), conf));
	json_object_set_new(e, "end",
			    tools_time_local(json_string_value(json_object_get(item, "end")), conf));
	json_object_set_new(e, "location", string_or_empty(item, "location"));
	json_object_set_new(e, "organizer", org
			    ? json_pack("{s:o, s:o}", "name", string_or_empty(org, "name"),
					"email", string_or_empty(org, "email"))
			    : json_null());
	set_flag(e, "is_all_day", item, "is_all_day");
	set_flag(e, "is_meeting", item, "is_meeting");
	set_flag(e, "is_cancelled", item, "is_cancelled");
	set_flag(e, "is_recurring", item, "is_recurring");
	json_object_set_new(e, "my_response", json_object_get(item, "my_response_type")
			    ? json_incref(json_object_get(item, "my_response_type")) : json_null());
	json_object_set_new(e, "free_busy", json_object_get(item, "legacy_free_busy")
			    ? json_incref(json_object_get(item, "legacy_free_busy"))
			    : json_string("Busy"));
	json_object_set_new(e, "attendees", json_array());
	return e;
}

static void add_attendees(json_t *into, const json_t *list, const char *type)
{
	size_t i;
	json_t *a;

	json_array_foreach(list, i, a)
		json_array_append_new(into, json_pack("{s:o, s:o, s:o, s:s}",
				"email", string_or_empty(a, "email"),
				"name", string_or_empty(a, "name"),
				"response", json_object_get(a, "response")
				? json_incref(json_object_get(a, "response")) : json_string("Unknown"),
				"type", type));
}

/* Fills the attendees of the events that are meetings: FindItem cannot
 * return attendee lists, so one GetItem per SOAP_BATCH_MAX meetings (one
 * in practice) fetches them. Nothing is sent when there are none. */
static int fill_attendees(json_t *events, tools_req *req, errinfo *err)
{
	static const char *const fields[] = {
		"calendar:RequiredAttendees", "calendar:OptionalAttendees",
	};
	size_t n = json_array_size(events), i, nids = 0, k;
	soap_item_ref *ids;
	json_t **owners;
	int error = 0;

	ids = calloc(n ? n : 1, sizeof(*ids));
	owners = calloc(n ? n : 1, sizeof(*owners));
	if (!ids || !owners) {
		free(ids);
		free(owners);
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		json_t *e = json_array_get(events, i);

		if (json_is_true(json_object_get(e, "is_meeting"))) {
			ids[nids].id = json_string_value(json_object_get(e, "item_id"));
			owners[nids++] = e;
		}
	}
	for (k = 0; k < nids && error == 0; k += SOAP_BATCH_MAX) {
		soap_get_item_args ga;
		json_t *items = NULL, *it;

		memset(&ga, 0, sizeof(ga));
		ga.shape.base = "IdOnly";
		ga.shape.fields = fields;
		ga.shape.nfields = sizeof(fields) / sizeof(fields[0]);
		ga.ids = ids + k;
		ga.nids = nids - k < SOAP_BATCH_MAX ? nids - k : SOAP_BATCH_MAX;
		error = ews_get_item(&items, &req->ews, &ga, err);
		if (error < 0)
			break;
		json_array_foreach(items, i, it) {
			json_t *list;

			if (i >= ga.nids)
				break;
			list = json_object_get(owners[k + i], "attendees");
			add_attendees(list, json_object_get(it, "required_attendees"), "required");
			add_attendees(list, json_object_get(it, "optional_attendees"), "optional");
		}
		json_decref(items);
	}
	free(ids);
	free(owners);
	return error;
}

/* Events of the answer sorted by start (a CalendarView is not sorted by
 * Exchange), as a new array. */
static json_t *sorted_events(const json_t *items, const cfg *conf)
{
	size_t n = json_array_size(items), i;
	timed_event *v = calloc(n ? n : 1, sizeof(*v));
	json_t *out = json_array(), *it;

	if (!v || !out) {
		free(v);
		json_decref(out);
		return NULL;
	}
	json_array_foreach(items, i, it) {
		tools_date_from_exchange(&v[i].start, json_string_value(json_object_get(it, "start")));
		v[i].event = event_json(it, conf);
	}
	qsort(v, n, sizeof(*v), by_start);
	for (i = 0; i < n; i++)
		json_array_append_new(out, v[i].event);
	free(v);
	return out;
}

static int get_calendar_body(json_t **data, tools_req *req, const json_t *args, errinfo *err)
{
	static const char *const fields[] = {
		"item:Subject", "calendar:Start", "calendar:End", "calendar:Location",
		"calendar:Organizer", "calendar:IsAllDayEvent", "calendar:LegacyFreeBusyStatus",
		"calendar:MyResponseType", "calendar:IsMeeting", "calendar:IsCancelled",
		"calendar:IsRecurring",
	};
	const cfg *conf = req->ctx->conf;
	const tz_zone *zone;
	int64_t start, end;
	int has_start, has_end, error;
	long days, max_results;
	char start_text[32], end_text[32], message[64];
	soap_folder_ref cal = { .distinguished = "calendar" };
	soap_find_item_args fa;
	json_t *found = NULL, *events;

	if (tools_arg_time(&start, &has_start, args, "start_date", conf->timezone, 0, 0, err) < 0 ||
	    tools_arg_time(&end, &has_end, args, "end_date", conf->timezone, 1, 0, err) < 0 ||
	    tools_arg_long(&days, args, "days_ahead", 7, 1, 90, err) < 0 ||
	    tools_arg_long(&max_results, args, "max_results", 50, 1, 1000, err) < 0 ||
	    tools_date_zone(&zone, conf, err) < 0)
		return err->code;
	if (!has_start)
		start = (int64_t)time(NULL);
	if (!has_end)
		end = tools_date_add_days(start, zone, (int)days);
	if (end <= start)
		return errinfo_set(err, ERR_INVAL, "end_date: must be after start_date");
	if (end - start > CALENDAR_WINDOW_MAX)
		return errinfo_set(err, ERR_INVAL, "end_date: the window may span at most two "
				   "years (Exchange's calendar view limit)");

	utc_text(start_text, sizeof(start_text), start, 1);
	utc_text(end_text, sizeof(end_text), end, 1);
	memset(&fa, 0, sizeof(fa));
	fa.shape.base = "IdOnly";
	fa.shape.fields = fields;
	fa.shape.nfields = sizeof(fields) / sizeof(fields[0]);
	fa.view = SOAP_VIEW_CALENDAR;
	fa.max_entries = (int)max_results;
	fa.cal_start = start_text;
	fa.cal_end = end_text;
	fa.folders = &cal;
	fa.nfolders = 1;
	error = ews_find_item(&found, &req->ews, &fa, err);
	if (error < 0)
		return error;

	events = sorted_events(json_object_get(found, "items"), conf);
	if (!events) {
		json_decref(found);
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	}
	error = fill_attendees(events, req, err);
	if (error < 0) {
		json_decref(events);
		json_decref(found);
		return error;
	}
	snprintf(message, sizeof(message), "Retrieved %zu events", json_array_size(events));
	*data = json_pack("{s:s, s:o, s:I, s:o, s:o, s:b}", "message", message,
			  "events", events, "count", (json_int_t)json_array_size(events),
			  "start_date", tools_date_local(start, zone),
			  "end_date", tools_date_local(end, zone),
			  "more_available",
			  !json_is_true(json_object_get(found, "includes_last_item_in_range")));
	json_decref(found);
	return *data ? 0 : errinfo_set(err, ERR_NOMEM, "out of memory");
}

static int get_calendar(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	return tools_run(out, call, args, get_calendar_body, err);
}

/* ---- create_appointment ---------------------------------------------------------- */

static const char create_appointment_schema[] =
	"{\"type\":\"object\",\"properties\":{"
	"\"subject\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":255},"
	TIME_PROP("start_time", "Start.") ","
	TIME_PROP("end_time", "End (after start_time). For an all-day event the end date "
		  "may be the last day or the day after it.") ","
	"\"location\":{\"type\":\"string\",\"maxLength\":255},"
	"\"body\":{\"type\":\"string\",\"maxLength\":4000000,\"description\":\"Description "
	"(HTML when it contains tags, else plain text).\"},"
	"\"attendees\":" ADDRESS_LIST("Required attendees; they receive a meeting "
				      "invitation.") ","
	"\"optional_attendees\":" ADDRESS_LIST("Optional attendees; they receive a meeting "
					       "invitation.") ","
	"\"is_all_day\":{\"type\":\"boolean\",\"default\":false},"
	"\"reminder_minutes\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":40320,"
	"\"default\":15,\"description\":\"Reminder this many minutes before the start.\"},"
	"\"categories\":{\"type\":\"array\",\"maxItems\":50,\"items\":{\"type\":\"string\","
	"\"minLength\":1,\"maxLength\":255}},"
	TOOLS_TARGET_MAILBOX_PROP
	"},\"required\":[\"subject\",\"start_time\",\"end_time\"],"
	"\"additionalProperties\":false}";

/* The Windows zone the item is anchored in (StartTimeZone/EndTimeZone,
 * Exchange 2010 and later): all-day events and later edits in Outlook
 * then follow TIMEZONE rather than UTC. */
static const char *item_zone(const cfg *conf)
{
	if (conf->ews_server_version && strncmp(conf->ews_server_version, "Exchange2007", 12) == 0)
		return NULL;
	return tz_windows_from_iana(conf->timezone && conf->timezone[0] ? conf->timezone : "UTC");
}

/* An all-day event runs from the local midnight of its first day to the
 * local midnight after its last day. An end on the start's own day (or
 * any time before the next midnight) means that one day. */
static void all_day_bounds(int64_t *start, int64_t *end, const tz_zone *zone)
{
	*start = tools_date_midnight(*start, zone, 0);
	*end = tools_date_midnight(*end, zone, 1);
	if (*end <= *start)
		*end = tools_date_add_days(*start, zone, 1);
}

static int create_appointment_body(json_t **data, tools_req *req, const json_t *args,
				   errinfo *err)
{
	const cfg *conf = req->ctx->conf;
	const tz_zone *zone;
	const char *subject, *location, *body, *body_type;
	const char **categories = NULL;
	size_t ncategories = 0, ninvited;
	json_t *required = NULL, *optional = NULL, *created = NULL;
	soap_mailbox *mreq = NULL, *mopt = NULL;
	soap_calendar_item item;
	soap_create_calendar_args ca;
	char *ews_body = NULL, start_text[32], end_text[32], message[96];
	int64_t start, end;
	int present, all_day, error;
	long reminder;

	memset(&item, 0, sizeof(item));
	if (tools_arg_str(&subject, args, "subject", 1, err) < 0 ||
	    tools_arg_time(&start, &present, args, "start_time", conf->timezone, 0, 1, err) < 0 ||
	    tools_arg_time(&end, &present, args, "end_time", conf->timezone, 0, 1, err) < 0 ||
	    tools_arg_str(&location, args, "location", 0, err) < 0 ||
	    tools_arg_str(&body, args, "body", 0, err) < 0 ||
	    tools_arg_bool(&all_day, args, "is_all_day", 0, err) < 0 ||
	    tools_arg_long(&reminder, args, "reminder_minutes", 15, 0, 40320, err) < 0 ||
	    tools_date_zone(&zone, conf, err) < 0) {
		error = err->code;
		goto done;
	}
	if (all_day ? end < start : end <= start) {
		error = errinfo_set(err, ERR_INVAL, "end_time: must be after start_time");
		goto done;
	}
	if (all_day)
		all_day_bounds(&start, &end, zone);
	if ((error = tools_arg_addresses(&required, args, "attendees", 0, err)) < 0 ||
	    (error = tools_arg_addresses(&optional, args, "optional_attendees", 0, err)) < 0 ||
	    (error = tools_categories(&categories, &ncategories, args, err)) < 0 ||
	    (error = tools_mailboxes(&mreq, &item.nrequired, required, err)) < 0 ||
	    (error = tools_mailboxes(&mopt, &item.noptional, optional, err)) < 0)
		goto done;
	if (body && (error = tools_body(&ews_body, &body_type, body, NULL, err)) < 0)
		goto done;

	utc_text(start_text, sizeof(start_text), start, 1);
	utc_text(end_text, sizeof(end_text), end, 1);
	item.subject = subject;
	item.body = ews_body;
	item.body_type = ews_body ? body_type : NULL;
	item.categories = categories;
	item.ncategories = ncategories;
	item.reminder_is_set = SOAP_TRUE;
	item.reminder_minutes = (int)reminder;
	item.start = start_text;
	item.end = end_text;
	item.is_all_day = all_day ? SOAP_TRUE : SOAP_FALSE;
	item.location = location;
	item.required = mreq;
	item.optional = mopt;
	item.start_tz = item_zone(conf);
	item.end_tz = item.start_tz;
	memset(&ca, 0, sizeof(ca));
	ca.item = &item;   /* send_invitations NULL: sent when there are attendees */
	error = ews_create_calendar_item(&created, &req->ews, &ca, err);
	if (error < 0)
		goto done;

	ninvited = item.nrequired + item.noptional;
	tools_req_touch(req, json_string_value(json_object_get(json_array_get(created, 0), "item_id")));
	if (ninvited)
		snprintf(message, sizeof(message),
			 "Appointment created and invitations sent to %zu attendee%s", ninvited,
			 ninvited == 1 ? "" : "s");
	else
		snprintf(message, sizeof(message), "Appointment created");
	*data = json_pack("{s:s, s:O?, s:s, s:o, s:o, s:b, s:s*, s:O, s:O, s:b, s:I}",
			  "message", message,
			  "item_id", json_object_get(json_array_get(created, 0), "item_id"),
			  "subject", subject,
			  "start_time", tools_date_local(start, zone),
			  "end_time", tools_date_local(end, zone),
			  "is_all_day", all_day,
			  "location", location,
			  "attendees", required,
			  "optional_attendees", optional,
			  "invitations_sent", ninvited > 0,
			  "reminder_minutes", (json_int_t)reminder);
	if (!*data)
		error = errinfo_set(err, ERR_NOMEM, "out of memory");
done:
	json_decref(required);
	json_decref(optional);
	json_decref(created);
	free(mreq);
	free(mopt);
	free(categories);
	free(ews_body);
	return error < 0 ? error : 0;
}

static int create_appointment(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	return tools_run(out, call, args, create_appointment_body, err);
}

/* ---- check_availability -------------------------------------------------------------- */

static const char check_availability_schema[] =
	"{\"type\":\"object\",\"properties\":{"
	"\"attendees\":" ADDRESS_LIST("People whose free/busy to check (at most 100).") ","
	"\"email_addresses\":" ADDRESS_LIST("Same as attendees (older name); both may be "
					    "given.") ","
	TIME_PROP("start_time", "Start of the period to check.") ","
	TIME_PROP("end_time", "End of the period (at most 42 days after start_time); a date "
		  "alone includes that whole day.") ","
	"\"interval_minutes\":{\"type\":\"integer\",\"minimum\":5,\"maximum\":1440,"
	"\"default\":30,\"description\":\"Length of each free/busy slot.\"},"
	"\"include_self\":{\"type\":\"boolean\",\"default\":false,\"description\":\"Also check "
	"the mailbox being acted for (target_mailbox or the service account).\"},"
	TOOLS_TARGET_MAILBOX_PROP
	"},\"required\":[\"start_time\",\"end_time\"],\"additionalProperties\":false}";

/* attendees + email_addresses (+ the mailbox itself), without repeats
 * (ignoring case), in the order given. */
static int collect_people(json_t **out, tools_req *req, const json_t *args, errinfo *err)
{
	json_t *a = NULL, *b = NULL, *all = json_array();
	size_t i, j;
	int self, error;

	*out = NULL;
	if ((error = tools_arg_addresses(&a, args, "attendees", 0, err)) < 0 ||
	    (error = tools_arg_addresses(&b, args, "email_addresses", 0, err)) < 0 ||
	    (error = tools_arg_bool(&self, args, "include_self", 0, err)) < 0)
		goto done;
	if (!json_array_size(a) && !json_array_size(b)) {
		error = errinfo_set(err, ERR_INVAL, "attendees: at least one email address is "
				    "required (in attendees or email_addresses)");
		goto done;
	}
	if (self)
		json_array_append_new(all, json_string(req->mailbox));
	json_array_extend(all, a);
	json_array_extend(all, b);
	for (i = 0; i < json_array_size(all); i++)
		for (j = json_array_size(all); j-- > i + 1;)
			if (strcasecmp(json_string_value(json_array_get(all, i)),
				       json_string_value(json_array_get(all, j))) == 0)
				json_array_remove(all, j);
	if (json_array_size(all) > SOAP_AVAILABILITY_MAX) {
		error = errinfo_set(err, ERR_INVAL, "attendees: at most %d people per call, got %zu",
				    SOAP_AVAILABILITY_MAX, json_array_size(all));
		goto done;
	}
	*out = all;
	all = NULL;
done:
	json_decref(a);
	json_decref(b);
	json_decref(all);
	return error < 0 ? error : 0;
}

/* Non-zero when s is the string want. */
static int str_is(const json_t *s, const char *want)
{
	return json_is_string(s) && strcmp(json_string_value(s), want) == 0;
}

static json_t *busy_slots(const json_t *events, const cfg *conf)
{
	json_t *slots = json_array(), *ev;
	size_t i;

	json_array_foreach(events, i, ev) {
		const char *type = json_string_value(json_object_get(ev, "busy_type"));
		json_t *s;

		if (type && strcmp(type, "Free") == 0)
			continue;
		s = json_pack("{s:o, s:o, s:s}",
			      "start", tools_time_local(json_string_value(json_object_get(ev, "start")), conf),
			      "end", tools_time_local(json_string_value(json_object_get(ev, "end")), conf),
			      "busy_type", type ? type : "Busy");
		if (s && json_object_get(ev, "subject"))
			json_object_set(s, "subject", json_object_get(ev, "subject"));
		if (s && json_object_get(ev, "location"))
			json_object_set(s, "location", json_object_get(ev, "location"));
		json_array_append_new(slots, s);
	}
	return slots;
}

/* The digits of one answer: Exchange's merged string, or (when the view
 * has none, e.g. a FreeBusy-only answer) the same computed from its
 * events. out has n + 1 bytes. */
static void answer_digits(char *out, size_t n, const json_t *answer, int64_t start,
			  int64_t interval)
{
	const char *merged = json_string_value(json_object_get(answer, "merged_free_busy"));
	const json_t *events = json_object_get(answer, "events"), *ev;
	tools_fb_event *v;
	size_t i, k = 0;

	if (merged) {
		memset(out, '0', n);
		out[n] = '\0';
		tools_freebusy_merge(out, merged, n);
		return;
	}
	v = calloc(json_array_size(events) + 1, sizeof(*v));
	if (!v) {
		memset(out, '4', n);
		out[n] = '\0';
		return;
	}
	json_array_foreach(events, i, ev)
		if (tools_date_from_exchange(&v[k].start, json_string_value(json_object_get(ev, "start"))) == 0 &&
		    tools_date_from_exchange(&v[k].end, json_string_value(json_object_get(ev, "end"))) == 0) {
			v[k].busy_type = json_string_value(json_object_get(ev, "busy_type"));
			k++;
		}
	tools_freebusy_from_events(out, n, start, interval, v, k);
	free(v);
}

static json_t *free_slots(const char *merged, int64_t start, int64_t interval, int64_t end,
			  const tz_zone *zone)
{
	size_t runs = tools_freebusy_free_runs(NULL, 0, merged, start, interval, end), i;
	tools_fb_range *r = calloc(runs + 1, sizeof(*r));
	json_t *slots = json_array();

	if (!r || !slots) {
		free(r);
		json_decref(slots);
		return NULL;
	}
	tools_freebusy_free_runs(r, runs, merged, start, interval, end);
	for (i = 0; i < runs; i++)
		json_array_append_new(slots, json_pack("{s:o, s:o}",
				      "start", tools_date_local(r[i].start, zone),
				      "end", tools_date_local(r[i].end, zone)));
	free(r);
	return slots;
}

static int check_availability_body(json_t **data, tools_req *req, const json_t *args,
				   errinfo *err)
{
	const cfg *conf = req->ctx->conf;
	const tz_zone *zone;
	json_t *people = NULL, *answer = NULL, *list = NULL, *p, *slots;
	soap_availability_mailbox *mbs = NULL;
	soap_availability_args aa;
	char start_text[32], end_text[32], message[128], *merged = NULL, *digits = NULL;
	int64_t start, end, interval;
	size_t i, n, answered = 0;
	long minutes;
	int present, error;

	if (tools_arg_time(&start, &present, args, "start_time", conf->timezone, 0, 1, err) < 0 ||
	    tools_arg_time(&end, &present, args, "end_time", conf->timezone, 1, 1, err) < 0 ||
	    tools_arg_long(&minutes, args, "interval_minutes", 30, 5, 1440, err) < 0 ||
	    tools_date_zone(&zone, conf, err) < 0)
		return err->code;
	if (end <= start)
		return errinfo_set(err, ERR_INVAL, "end_time: must be after start_time");
	if (end - start > AVAILABILITY_WINDOW_MAX)
		return errinfo_set(err, ERR_INVAL, "end_time: free/busy can be checked for at most "
				   "42 days at a time");
	error = collect_people(&people, req, args, err);
	if (error < 0)
		return error;

	interval = (int64_t)minutes * 60;
	n = tools_freebusy_intervals(start, end, interval);
	mbs = calloc(json_array_size(people), sizeof(*mbs));
	merged = malloc(n + 1);
	digits = malloc(n + 1);
	if (!mbs || !merged || !digits) {
		error = errinfo_set(err, ERR_NOMEM, "out of memory");
		goto done;
	}
	json_array_foreach(people, i, p)
		mbs[i].email = json_string_value(p);
	utc_text(start_text, sizeof(start_text), start, 0);
	utc_text(end_text, sizeof(end_text), end, 0);
	memset(&aa, 0, sizeof(aa));
	aa.mailboxes = mbs;
	aa.nmailboxes = json_array_size(people);
	aa.start = start_text;
	aa.end = end_text;
	aa.interval_minutes = (int)minutes;
	aa.requested_view = "DetailedMerged";
	error = ews_get_user_availability(&answer, &req->ews, &aa, err);
	if (error < 0)
		goto done;

	memset(merged, '0', n);
	merged[n] = '\0';
	list = json_array();
	json_array_foreach(people, i, p) {
		const json_t *a = json_array_get(json_object_get(answer, "mailboxes"), i);
		const char *code = json_string_value(json_object_get(a, "response_code"));
		json_t *entry;

		if (!a) {
			json_array_append_new(list, json_pack("{s:O, s:s, s:s, s:[]}", "email", p,
					      "response_code", "ErrorNoAnswer", "error",
					      "Exchange sent no free/busy answer for this attendee",
					      "busy_slots"));
			continue;
		}
		if (str_is(json_object_get(a, "response_class"), "Error")) {
			const char *text = json_string_value(json_object_get(a, "message_text"));

			json_array_append_new(list, json_pack("{s:O, s:s, s:s, s:[]}", "email", p,
					      "response_code", code ? code : "ErrorUnknown",
					      "error", text ? text : "Exchange could not report free/busy",
					      "busy_slots"));
			continue;
		}
		answer_digits(digits, n, a, start, interval);
		tools_freebusy_merge(merged, digits, n);
		answered++;
		entry = json_pack("{s:O, s:s, s:s, s:o}", "email", p,
				  "response_code", code ? code : "NoError",
				  "merged_free_busy", digits,
				  "busy_slots", busy_slots(json_object_get(a, "events"), conf));
		if (entry && json_object_get(a, "view_type"))
			json_object_set(entry, "view_type", json_object_get(a, "view_type"));
		json_array_append_new(list, entry);
	}
	if (!answered)
		memset(merged, '4', n);
	slots = free_slots(merged, start, interval, end, zone);
	if (!slots) {
		error = errinfo_set(err, ERR_NOMEM, "out of memory");
		goto done;
	}
	snprintf(message, sizeof(message), "Checked availability of %zu attendee%s: %zu free "
		 "period%s", json_array_size(people), json_array_size(people) == 1 ? "" : "s",
		 json_array_size(slots), json_array_size(slots) == 1 ? "" : "s");
	if (answered < json_array_size(people))
		snprintf(message + strlen(message), sizeof(message) - strlen(message),
			 " (%zu could not be checked)", json_array_size(people) - answered);
	*data = json_pack("{s:s, s:O, s:s, s:o, s:O, s:{s:o, s:o, s:I}, s:{s:s, s:s, s:s, s:s, s:s, s:s}}",
			  "message", message, "availability", list,
			  "merged_free_busy", merged, "free_slots", slots,
			  "attendees", people,
			  "time_range", "start", tools_date_local(start, zone),
			  "end", tools_date_local(end, zone), "interval_minutes", (json_int_t)minutes,
			  "free_busy_legend", "0", "Free", "1", "Tentative", "2", "Busy",
			  "3", "OOF", "4", "NoData", "5", "WorkingElsewhere");
	if (!*data)
		error = errinfo_set(err, ERR_NOMEM, "out of memory");
done:
	json_decref(people);
	json_decref(answer);
	json_decref(list);
	free(mbs);
	free(merged);
	free(digits);
	return error < 0 ? error : 0;
}

static int check_availability(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	return tools_run(out, call, args, check_availability_body, err);
}

static const tool_def calendar_tools[] = {
	{ "get_calendar", "Get calendar",
	  "List the events of a calendar in a time window (default: the next 7 days), with "
	  "times, location, organizer and attendees. Use target_mailbox for another user's "
	  "calendar.",
	  get_calendar_schema, NULL, TOOL_READ_ONLY | TOOL_OPEN_WORLD | TOOL_MAILBOX,
	  get_calendar },
	{ "create_appointment", "Create appointment",
	  "Create an appointment, or a meeting when attendees are given (invitations are "
	  "sent to them). With target_mailbox it is created in that user's calendar.",
	  create_appointment_schema, NULL, TOOL_OPEN_WORLD | TOOL_MAILBOX, create_appointment },
	{ "check_availability", "Check availability",
	  "Show when people are free or busy in a period: each person's busy times and the "
	  "periods when all of them are free.",
	  check_availability_schema, NULL, TOOL_READ_ONLY | TOOL_OPEN_WORLD | TOOL_MAILBOX,
	  check_availability },
};

const toolset tools_calendar = { calendar_tools,
				 sizeof(calendar_tools) / sizeof(calendar_tools[0]) };
