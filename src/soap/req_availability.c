/* req_availability.c - the GetUserAvailability request builder (see
 * req_availability.h; ews-protocol.md section 5.11). Order inside
 * m:GetUserAvailabilityRequest: t:TimeZone, m:MailboxDataArray,
 * t:FreeBusyViewOptions?, t:SuggestionsViewOptions?. */
#include "soap/req_availability.h"

#include <stdio.h>
#include <string.h>

#include "soap/internal.h"

static const char *const attendee_types[] = {
	"Organizer", "Required", "Optional", "Room", "Resource", NULL
};
static const char *const views[] = {
	"None", "MergedOnly", "FreeBusy", "FreeBusyMerged", "Detailed", "DetailedMerged", NULL
};
static const char *const qualities[] = { "Excellent", "Good", "Fair", "Poor", NULL };
static const char *const days[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", NULL
};

/* "hh:mm:ss" with sane ranges. */
static int time_ok(const char *t)
{
	return t && strlen(t) == 8 && t[2] == ':' && t[5] == ':' &&
	       t[0] >= '0' && t[0] <= '2' && t[1] >= '0' && t[1] <= '9' &&
	       t[3] >= '0' && t[3] <= '5' && t[4] >= '0' && t[4] <= '9' &&
	       t[6] >= '0' && t[6] <= '5' && t[7] >= '0' && t[7] <= '9' &&
	       (t[0] < '2' || t[1] <= '3');
}

static int put_transition(buf *b, const char *elem, const soap_tz_transition *t,
			  const char *field, errinfo *err)
{
	char sub[64];
	int error;

	if (!time_ok(t->time))
		return errinfo_set(err, ERR_INVAL, "%s.time: must be hh:mm:ss", field);
	/* Month 0 with DayOrder 0 is how a zone says it has no daylight time. */
	if (t->month == 0 && t->day_order == 0)
		;
	else if (t->day_order < 1 || t->day_order > 5)
		return errinfo_set(err, ERR_INVAL, "%s.day_order: must be 1..5", field);
	else if (t->month < 1 || t->month > 12)
		return errinfo_set(err, ERR_INVAL, "%s.month: must be 1..12", field);
	soap__fmt(sub, sizeof(sub), "%s.day_of_week", field);
	if ((error = soap__enum(t->day_of_week, days, sub, err)) < 0)
		return error;
	buf_printf(b, "<t:%s><t:Bias>%d</t:Bias><t:Time>%s</t:Time><t:DayOrder>%d</t:DayOrder>"
		   "<t:Month>%d</t:Month><t:DayOfWeek>%s</t:DayOfWeek></t:%s>",
		   elem, t->bias, t->time, t->day_order, t->month, t->day_of_week, elem);
	return 0;
}

/* UTC as a legacy zone: no bias, and Month/DayOrder 0 in both periods,
 * the documented way to say "no daylight time" (DayOrder reference).
 * Both periods on the same day is refused by Exchange ("The specified time
 * zone isn't valid."). */
static const soap_legacy_tz utc_tz = {
	0, { 0, "00:00:00", 0, 0, "Sunday" }, { 0, "00:00:00", 0, 0, "Sunday" }
};

static int put_tz(buf *b, const soap_legacy_tz *tz, errinfo *err)
{
	int error;

	if (!tz)
		tz = &utc_tz;
	if (tz->bias < -14 * 60 || tz->bias > 14 * 60)
		return errinfo_set(err, ERR_INVAL, "time_zone.bias: %d minutes is out of range",
				   tz->bias);
	buf_printf(b, "<t:TimeZone><t:Bias>%d</t:Bias>", tz->bias);
	if ((error = put_transition(b, "StandardTime", &tz->standard, "time_zone.standard", err)) < 0 ||
	    (error = put_transition(b, "DaylightTime", &tz->daylight, "time_zone.daylight", err)) < 0)
		return error;
	buf_puts(b, "</t:TimeZone>");
	return 0;
}

static int put_mailboxes(buf *b, const soap_availability_args *a, errinfo *err)
{
	char sub[64], sub2[80];
	size_t i;
	int error;

	if ((error = soap__count(a->nmailboxes, SOAP_AVAILABILITY_MAX, "mailboxes", err)) < 0)
		return error;
	if (!a->mailboxes)
		return errinfo_set(err, ERR_INVAL, "mailboxes: list pointer is NULL");
	buf_puts(b, "<m:MailboxDataArray>");
	for (i = 0; i < a->nmailboxes; i++) {
		const soap_availability_mailbox *m = &a->mailboxes[i];
		const char *type = m->attendee_type ? m->attendee_type : "Required";

		soap__field_idx(sub, sizeof(sub), "mailboxes", i);
		soap__fmt(sub2, sizeof(sub2), "%s.attendee_type", sub);
		if ((error = soap__enum(type, attendee_types, sub2, err)) < 0)
			return error;
		buf_puts(b, "<t:MailboxData><t:Email>");
		if ((error = soap__elem_req(b, "t:Address", m->email, sub, err)) < 0)
			return error;
		buf_printf(b, "</t:Email><t:AttendeeType>%s</t:AttendeeType>", type);
		soap__bool(b, "t:ExcludeConflicts", m->exclude_conflicts);
		buf_puts(b, "</t:MailboxData>");
	}
	buf_puts(b, "</m:MailboxDataArray>");
	return 0;
}

static int put_free_busy(buf *b, const soap_availability_args *a, errinfo *err)
{
	const char *view = a->requested_view ? a->requested_view : "DetailedMerged";
	int interval = a->interval_minutes ? a->interval_minutes : 30;
	int error;

	if ((error = soap__datetime(a->start, "start", NULL, err)) < 0 ||
	    (error = soap__datetime(a->end, "end", NULL, err)) < 0 ||
	    (error = soap__time_range(a->start, a->end, "end", err)) < 0 ||
	    (error = soap__enum(view, views, "requested_view", err)) < 0)
		return error;
	if (interval < 5 || interval > 1440)
		return errinfo_set(err, ERR_INVAL,
			"interval_minutes: must be between 5 and 1440, got %d", interval);
	buf_puts(b, "<t:FreeBusyViewOptions><t:TimeWindow>");
	if ((error = soap__elem(b, "t:StartTime", a->start, "start", err)) < 0 ||
	    (error = soap__elem(b, "t:EndTime", a->end, "end", err)) < 0)
		return error;
	buf_printf(b, "</t:TimeWindow><t:MergedFreeBusyIntervalInMinutes>%d"
		   "</t:MergedFreeBusyIntervalInMinutes><t:RequestedView>%s</t:RequestedView>"
		   "</t:FreeBusyViewOptions>", interval, view);
	return 0;
}

static int put_suggestions(buf *b, const soap_suggestions_options *s, errinfo *err)
{
	int error;

	if ((error = soap__datetime(s->window_start, "suggestions.window_start", NULL, err)) < 0 ||
	    (error = soap__datetime(s->window_end, "suggestions.window_end", NULL, err)) < 0 ||
	    (error = soap__time_range(s->window_start, s->window_end,
				      "suggestions.window_end", err)) < 0 ||
	    (s->min_quality &&
	     (error = soap__enum(s->min_quality, qualities, "suggestions.min_quality", err)) < 0))
		return error;
	if (s->good_threshold < 0 || s->good_threshold > 49)
		return errinfo_set(err, ERR_INVAL, "suggestions.good_threshold: must be 1..49");
	if (s->max_results_per_day < 0 || s->max_results_per_day > 48)
		return errinfo_set(err, ERR_INVAL, "suggestions.max_results_per_day: must be 0..48");
	if (s->meeting_duration_minutes < 0 || s->meeting_duration_minutes > 1440)
		return errinfo_set(err, ERR_INVAL,
			"suggestions.meeting_duration_minutes: must be 30..1440");
	buf_puts(b, "<t:SuggestionsViewOptions>");
	if (s->good_threshold > 0)
		buf_printf(b, "<t:GoodThreshold>%d</t:GoodThreshold>", s->good_threshold);
	if (s->max_results_per_day > 0)
		buf_printf(b, "<t:MaximumResultsByDay>%d</t:MaximumResultsByDay>",
			   s->max_results_per_day);
	if (s->meeting_duration_minutes > 0)
		buf_printf(b, "<t:MeetingDurationInMinutes>%d</t:MeetingDurationInMinutes>",
			   s->meeting_duration_minutes);
	if (s->min_quality)
		buf_printf(b, "<t:MinimumSuggestionQuality>%s</t:MinimumSuggestionQuality>",
			   s->min_quality);
	buf_puts(b, "<t:DetailedSuggestionsWindow>");
	if ((error = soap__elem(b, "t:StartTime", s->window_start, "suggestions.window_start", err)) < 0 ||
	    (error = soap__elem(b, "t:EndTime", s->window_end, "suggestions.window_end", err)) < 0)
		return error;
	buf_puts(b, "</t:DetailedSuggestionsWindow></t:SuggestionsViewOptions>");
	return 0;
}

int soap_get_user_availability_request(buf *out, const soap_header *h,
				       const soap_availability_args *a,
				       errinfo *err)
{
	size_t mark;
	int error;

	if (!a)
		return errinfo_set(err, ERR_INVAL, "GetUserAvailability: arguments are required");
	if (a->no_free_busy && !a->suggestions)
		return errinfo_set(err, ERR_INVAL,
			"suggestions: required when no free/busy view is asked for");
	if ((error = soap__request_begin(out, &mark, h, err)) < 0)
		return error;
	buf_puts(out, "<m:GetUserAvailabilityRequest>");
	if ((error = put_tz(out, a->tz, err)) < 0 ||
	    (error = put_mailboxes(out, a, err)) < 0 ||
	    (!a->no_free_busy && (error = put_free_busy(out, a, err)) < 0) ||
	    (a->suggestions && (error = put_suggestions(out, a->suggestions, err)) < 0))
		goto cleanup;
	buf_puts(out, "</m:GetUserAvailabilityRequest>");
cleanup:
	return soap__request_finish(out, mark, error, "GetUserAvailability", err);
}
