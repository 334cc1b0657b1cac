/* req_availability.h - the GetUserAvailability request builder.
 *
 * Free/busy for up to 100 people and, optionally, meeting-time
 * suggestions. Same contract as req_items.h. EWS wants the legacy
 * t:TimeZone block (a bias and two yearly transition rules) rather than a
 * Windows zone id; TimeWindow times are read in that zone. When no zone is
 * given the builder sends UTC (bias 0, no daylight saving), so the caller
 * passes UTC times (ews-protocol.md section 5.11).
 */
#ifndef INCLUDE_soap_req_availability_h__
#define INCLUDE_soap_req_availability_h__

#include "core/buf.h"
#include "core/errinfo.h"
#include "soap/envelope.h"
#include "soap/types.h"

/* Most mailboxes one GetUserAvailability may name (Exchange's limit). */
#define SOAP_AVAILABILITY_MAX 100

/* One yearly transition (t:SerializableTimeZoneTime): bias in minutes
 * relative to the zone's base bias; time "hh:mm:ss"; day_order 1..5 (5 =
 * last); month 1..12; day_of_week "Sunday".."Saturday". */
typedef struct soap_tz_transition {
	int bias;
	const char *time;
	int day_order;
	int month;
	const char *day_of_week;
} soap_tz_transition;

/* t:TimeZone: bias in minutes, WEST-positive (CET is -60). */
typedef struct soap_legacy_tz {
	int bias;
	soap_tz_transition standard;
	soap_tz_transition daylight;
} soap_legacy_tz;

/* attendee_type: "Organizer" | "Required" | "Optional" | "Room" |
 * "Resource"; NULL = "Required". */
typedef struct soap_availability_mailbox {
	const char *email;
	const char *attendee_type;
	soap_tristate exclude_conflicts;
} soap_availability_mailbox;

/* Optional t:SuggestionsViewOptions. window_start/window_end bound the
 * DetailedSuggestionsWindow (xs:dateTime, required); the numbers are sent
 * when > 0. min_quality: "Excellent" | "Good" | "Fair" | "Poor";
 * NULL = not sent. */
typedef struct soap_suggestions_options {
	int good_threshold;
	int max_results_per_day;
	int meeting_duration_minutes;
	const char *min_quality;
	const char *window_start;
	const char *window_end;
} soap_suggestions_options;

/* tz: NULL = UTC. mailboxes: 1..SOAP_AVAILABILITY_MAX.
 * start/end: the free/busy TimeWindow (required unless only suggestions
 *   are asked for, i.e. no_free_busy is set).
 * interval_minutes: MergedFreeBusyIntervalInMinutes (5..1440); 0 = 30.
 * requested_view: "None" | "MergedOnly" | "FreeBusy" | "FreeBusyMerged" |
 *   "Detailed" | "DetailedMerged"; NULL = "DetailedMerged".
 * suggestions: NULL = no suggestions. */
typedef struct soap_availability_args {
	const soap_legacy_tz *tz;
	const soap_availability_mailbox *mailboxes;
	size_t nmailboxes;
	int no_free_busy;
	const char *start;
	const char *end;
	int interval_minutes;
	const char *requested_view;
	const soap_suggestions_options *suggestions;
} soap_availability_args;

int soap_get_user_availability_request(buf *out, const soap_header *h,
				       const soap_availability_args *a,
				       errinfo *err);

#endif
