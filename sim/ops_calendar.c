/* ops_calendar.c - GetUserAvailability: free/busy computed from the
 * attendees' calendars (merged digit string and detailed events), and
 * meeting-time suggestions.
 *
 * Times without a zone in the request, and every time in the response,
 * are wall-clock times of the request's t:TimeZone, its daylight rules
 * included (the TimeZone (Availability) reference page: the request's
 * DateTime values are in that zone and the service returns its values in
 * it too); tzrule.c does the arithmetic. The merged string has one digit
 * per MergedFreeBusyIntervalInMinutes of real time from the window's
 * start, so across a change of the clocks a local day has 46 or 50
 * half-hour digits instead of 48, and every digit still starts on a
 * local half hour. Details (subject, location) are returned to the owner
 * and to delegates with at least Reviewer on the calendar; everyone else
 * gets free/busy only, as with Exchange's default "free/busy time"
 * permission.
 */
#include "sim/sim_int.h"

#include <stdlib.h>
#include <string.h>

#include "sim/tzrule.h"
#include "soap/escape.h"

/* A window bound: a wall time of the request's zone, or an instant when
 * it carries Z or an offset. 0 or -1. */
static int window_time(int64_t *out, const char *s, const sim_tzrule *z)
{
	int has_zone;

	if (sim_time_parse_ex(s, out, &has_zone) < 0)
		return -1;
	if (!has_zone)
		*out = sim_tzrule_to_utc(z, *out);
	return 0;
}

static int busy_rank(const char *s)
{
	if (!s || strcmp(s, "Free") == 0)
		return 0;
	if (strcmp(s, "Tentative") == 0)
		return 1;
	if (strcmp(s, "OOF") == 0)
		return 3;
	if (strcmp(s, "WorkingElsewhere") == 0)
		return 0;
	return 2;
}

/* Calendar items of user overlapping [a, b). */
static int load_events(sim_item_list *out, sim_req *r, int user, int64_t a,
		       int64_t b)
{
	sim_folder cal;
	int rc;

	memset(out, 0, sizeof(*out));
	if (sim_store_folder_dist(&cal, r->ctx->store, SIM_MBX(user), "calendar",
				  NULL) < 0)
		return -1;
	rc = sim_store_item_range(out, r->ctx->store, cal.id, a, b, NULL);
	sim_folder_dispose(&cal);
	return rc;
}

static int cancelled(const sim_item *it)
{
	return json_is_true(json_object_get(it->props, "IsCancelled"));
}

static void write_view(sim_req *r, int user, int64_t a, int64_t b,
		       const sim_tzrule *z,
		       long interval, const char *view)
{
	sim_item_list l;
	int detailed = strstr(view, "Detailed") != NULL;
	int merged = strstr(view, "Merged") != NULL || strcmp(view, "MergedOnly") == 0;
	int details = sim_rights_folder(r->ctx->org, r->actor, user, SIM_PF_CALENDAR,
					SIM_ACT_READ);
	char ts[32];
	size_t i;

	if (strcmp(view, "None") == 0)
		merged = detailed = 0;
	if (!details && detailed)
		detailed = 0;   /* FreeBusy only without calendar read rights */
	load_events(&l, r, user, a, b);
	sim_rm_open(r->out, "ResponseMessage", NULL);
	sim_rm_close(r->out, "ResponseMessage");
	buf_printf(r->out, "<m:FreeBusyView><t:FreeBusyViewType>%s</t:FreeBusyViewType>",
		   strcmp(view, "None") == 0 ? "None"
		   : detailed ? (merged ? "DetailedMerged" : "Detailed")
		   : merged ? "FreeBusyMerged" : "FreeBusy");
	if (merged && interval > 0) {
		int64_t t;

		buf_puts(r->out, "<t:MergedFreeBusy>");
		for (t = a; t < b; t += interval * 60) {
			int rank = 0;

			for (i = 0; i < l.n; i++) {
				int k;

				if (cancelled(&l.v[i]) || l.v[i].start >= t + interval * 60 ||
				    l.v[i].end <= t)
					continue;
				k = busy_rank(json_string_value(
					json_object_get(l.v[i].props, "LegacyFreeBusyStatus")));
				if (k > rank)
					rank = k;
			}
			buf_putc(r->out, (char)('0' + rank));
		}
		buf_puts(r->out, "</t:MergedFreeBusy>");
	}
	if (strcmp(view, "None") != 0 && strcmp(view, "MergedOnly") != 0) {
		buf_puts(r->out, "<t:CalendarEventArray>");
		for (i = 0; i < l.n; i++) {
			const json_t *p = l.v[i].props;
			const char *fb = json_string_value(json_object_get(p, "LegacyFreeBusyStatus"));

			if (cancelled(&l.v[i]))
				continue;
			sim_tzrule_format(ts, z, l.v[i].start);
			buf_printf(r->out, "<t:CalendarEvent><t:StartTime>%s</t:StartTime>", ts);
			sim_tzrule_format(ts, z, l.v[i].end);
			buf_printf(r->out, "<t:EndTime>%s</t:EndTime><t:BusyType>%s</t:BusyType>",
				   ts, fb ? fb : "Busy");
			if (detailed) {
				const char *s = json_string_value(json_object_get(p, "Subject"));
				const char *loc = json_string_value(json_object_get(p, "Location"));

				buf_puts(r->out, "<t:CalendarEventDetails>");
				if (s) {
					buf_puts(r->out, "<t:Subject>");
					soap_put_text(r->out, s);
					buf_puts(r->out, "</t:Subject>");
				}
				if (loc) {
					buf_puts(r->out, "<t:Location>");
					soap_put_text(r->out, loc);
					buf_puts(r->out, "</t:Location>");
				}
				buf_printf(r->out, "<t:IsMeeting>%s</t:IsMeeting><t:IsRecurring>false"
					   "</t:IsRecurring><t:IsException>false</t:IsException>"
					   "<t:IsReminderSet>false</t:IsReminderSet><t:IsPrivate>false"
					   "</t:IsPrivate></t:CalendarEventDetails>",
					   json_is_true(json_object_get(p, "IsMeeting")) ? "true" : "false");
			}
			buf_puts(r->out, "</t:CalendarEvent>");
		}
		buf_puts(r->out, "</t:CalendarEventArray>");
	}
	buf_puts(r->out, "</m:FreeBusyView>");
	sim_item_list_dispose(&l);
}

/* Worst busy rank of any listed user in [t, t + len). */
static int slot_rank(sim_req *r, const int *users, size_t n, int64_t t,
		     int64_t len)
{
	sim_item_list l;
	size_t u, i;
	int worst = 0;

	for (u = 0; u < n; u++) {
		if (users[u] < 0 || load_events(&l, r, users[u], t, t + len) < 0)
			continue;
		for (i = 0; i < l.n; i++) {
			int k = busy_rank(json_string_value(
				json_object_get(l.v[i].props, "LegacyFreeBusyStatus")));

			if (!cancelled(&l.v[i]) && k > worst)
				worst = k;
		}
		sim_item_list_dispose(&l);
	}
	return worst;
}

static void write_suggestions(sim_req *r, const xmlNode *opts, const int *users,
			      size_t n, const sim_tzrule *z)
{
	xmlNode *win = sim_x_child(opts, "DetailedSuggestionsWindow");
	char *a = sim_x_child_text(win, "StartTime"), *b = sim_x_child_text(win, "EndTime");
	char *dur = sim_x_child_text(opts, "MeetingDurationInMinutes");
	int64_t ws, we, first, day, lt, t;
	long len = dur ? strtol(dur, NULL, 10) : 30;
	char ts[32];
	size_t u;

	buf_puts(r->out, "<m:SuggestionsResponse>");
	if (!win || window_time(&ws, a, z) < 0 || window_time(&we, b, z) < 0 ||
	    we <= ws || len <= 0) {
		sim_status st = { 0 };

		sim_failf(&st, "ErrorInvalidRequest",
			  "SuggestionsViewOptions needs a DetailedSuggestionsWindow with StartTime before EndTime.");
		sim_rm_open(r->out, "ResponseMessage", &st);
		sim_rm_close(r->out, "ResponseMessage");
		goto out;
	}
	sim_rm_open(r->out, "ResponseMessage", NULL);
	sim_rm_close(r->out, "ResponseMessage");
	buf_puts(r->out, "<m:SuggestionDayResultArray>");
	/* one result per local day of the window; working hours are
	 * 09:00-17:00 on the zone's clock, slots on the half hour */
	first = sim_tzrule_to_local(z, ws);
	first -= ((first % 86400) + 86400) % 86400;
	for (day = first; sim_tzrule_to_utc(z, day) < we && day < first + 42 * 86400L;
	     day += 86400) {
		int count = 0;

		sim_tzrule_format(ts, z, sim_tzrule_to_utc(z, day));
		buf_printf(r->out, "<t:SuggestionDayResult><t:Date>%s</t:Date>"
			   "<t:DayQuality>Good</t:DayQuality><t:SuggestionArray>", ts);
		for (lt = day + 9 * 3600; lt + len * 60 <= day + 17 * 3600 && count < 5;
		     lt += 1800) {
			t = sim_tzrule_to_utc(z, lt);
			if (t < ws || t + len * 60 > we ||
			    slot_rank(r, users, n, t, len * 60) != 0)
				continue;
			sim_tzrule_format(ts, z, t);
			buf_printf(r->out, "<t:Suggestion><t:MeetingTime>%s</t:MeetingTime>"
				   "<t:IsWorkTime>true</t:IsWorkTime><t:SuggestionQuality>"
				   "Excellent</t:SuggestionQuality><t:AttendeeConflictDataArray>", ts);
			for (u = 0; u < n; u++)
				buf_puts(r->out, users[u] >= 0
					 ? "<t:IndividualAttendeeConflictData><t:BusyType>Free"
					   "</t:BusyType></t:IndividualAttendeeConflictData>"
					 : "<t:UnknownAttendeeConflictData/>");
			buf_puts(r->out, "</t:AttendeeConflictDataArray></t:Suggestion>");
			count++;
		}
		buf_puts(r->out, "</t:SuggestionArray></t:SuggestionDayResult>");
	}
	buf_puts(r->out, "</m:SuggestionDayResultArray>");
out:
	buf_puts(r->out, "</m:SuggestionsResponse>");
	free(a);
	free(b);
	free(dur);
}

int sim_op_get_user_availability(sim_req *r, const xmlNode *op)
{
	xmlNode *arr = sim_x_child(op, "MailboxDataArray"), *md;
	xmlNode *fbo = sim_x_child(op, "FreeBusyViewOptions");
	xmlNode *sug = sim_x_child(op, "SuggestionsViewOptions");
	xmlNode *win = sim_x_child(fbo, "TimeWindow");
	char *a = sim_x_child_text(win, "StartTime"), *b = sim_x_child_text(win, "EndTime");
	char *iv = sim_x_child_text(fbo, "MergedFreeBusyIntervalInMinutes");
	char *view = sim_x_child_text(fbo, "RequestedView");
	long interval = iv ? strtol(iv, NULL, 10) : 30;
	sim_tzrule z;
	int64_t ws = 0, we = 0;
	int users[100];
	size_t n = 0;
	int rc = -1;

	if (sim_tzrule_parse(&z, sim_x_child(op, "TimeZone"), &r->fault) < 0)
		goto out;
	if (fbo && (window_time(&ws, a, &z) < 0 || window_time(&we, b, &z) < 0 ||
		    we <= ws || we - ws > 42 * 86400L)) {
		sim_failf(&r->fault, "ErrorInvalidRequest",
			  "FreeBusyViewOptions/TimeWindow needs StartTime before EndTime, at most 42 days apart.");
		goto out;
	}
	for (md = sim_x_child(arr, "MailboxData"); md && n < 100;
	     md = sim_x_next(md, "MailboxData")) {
		char *addr = sim_x_child_text(sim_x_child(md, "Email"), "Address");

		users[n++] = addr ? sim_org_find_smtp(r->ctx->org, addr, NULL) : -1;
		free(addr);
	}
	if (sim_x_next(md, "MailboxData") || (md && n == 100)) {
		sim_failf(&r->fault, "ErrorInvalidRequest",
			  "GetUserAvailability accepts at most 100 mailboxes.");
		goto out;
	}
	buf_puts(r->out, "<m:GetUserAvailabilityResponse>");
	if (fbo) {
		size_t i;

		buf_puts(r->out, "<m:FreeBusyResponseArray>");
		for (i = 0; i < n; i++) {
			buf_puts(r->out, "<m:FreeBusyResponse>");
			if (users[i] < 0) {
				sim_status st = { 0 };

				sim_fail(&st, "ErrorMailRecipientNotFound");
				sim_rm_open(r->out, "ResponseMessage", &st);
				sim_rm_close(r->out, "ResponseMessage");
			} else {
				write_view(r, users[i], ws, we, &z,
					   interval > 0 ? interval : 30,
					   view ? view : "FreeBusy");
			}
			buf_puts(r->out, "</m:FreeBusyResponse>");
		}
		buf_puts(r->out, "</m:FreeBusyResponseArray>");
	}
	if (sug)
		write_suggestions(r, sug, users, n, &z);
	buf_puts(r->out, "</m:GetUserAvailabilityResponse>");
	rc = 0;
out:
	free(a);
	free(b);
	free(iv);
	free(view);
	return rc;
}
