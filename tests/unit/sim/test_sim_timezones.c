/* test_sim_timezones.c - ews-sim handles time zones as Exchange does:
 * TimeZoneContext decides how request times without an offset are read
 * (items, CalendarView, restrictions; not under Exchange2007_SP1, not for
 * operations that do not declare the header) and which creation time zone
 * a calendar item gets, while item times come back in UTC; an unknown
 * context id is a fault. GetUserAvailability applies its t:TimeZone with
 * daylight rules, checked against hand-computed merged strings across the
 * spring change in Europe/Berlin and the autumn change in New York.
 * GetServerTimeZones describes zones whose rules match tzdata. Every SOAP
 * answer is schema-validated. */
#include "simtest.h"

#include <time.h>

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "core/tz.h"

#define W_EUROPE "W. Europe Standard Time"
#define EASTERN "Eastern Standard Time"

/* Berlin's rules in the availability format: UTC+1, daylight time from
 * the last Sunday of March 02:00 to the last Sunday of October 03:00. */
#define TZ_BERLIN \
	"<t:TimeZone><t:Bias>-60</t:Bias><t:StandardTime><t:Bias>0</t:Bias>" \
	"<t:Time>03:00:00</t:Time><t:DayOrder>5</t:DayOrder><t:Month>10</t:Month>" \
	"<t:DayOfWeek>Sunday</t:DayOfWeek></t:StandardTime><t:DaylightTime>" \
	"<t:Bias>-60</t:Bias><t:Time>02:00:00</t:Time><t:DayOrder>5</t:DayOrder>" \
	"<t:Month>3</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek></t:DaylightTime></t:TimeZone>"

/* New York: UTC-5, daylight time from the second Sunday of March to the
 * first Sunday of November, both at 02:00. */
#define TZ_NEW_YORK \
	"<t:TimeZone><t:Bias>300</t:Bias><t:StandardTime><t:Bias>0</t:Bias>" \
	"<t:Time>02:00:00</t:Time><t:DayOrder>1</t:DayOrder><t:Month>11</t:Month>" \
	"<t:DayOfWeek>Sunday</t:DayOfWeek></t:StandardTime><t:DaylightTime>" \
	"<t:Bias>-60</t:Bias><t:Time>02:00:00</t:Time><t:DayOrder>2</t:DayOrder>" \
	"<t:Month>3</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek></t:DaylightTime></t:TimeZone>"

/* ---- helpers ---- */

/* An envelope with a RequestServerVersion (NULL: none) and a
 * TimeZoneContext (NULL: none). */
static char *tz_envelope(const char *version, const char *tz_id, const char *body)
{
	buf b = BUF_INIT(4u * 1024 * 1024);

	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
		 "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\""
		 " xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\""
		 " xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
		 "<soap:Header>");
	if (version)
		buf_printf(&b, "<t:RequestServerVersion Version=\"%s\"/>", version);
	if (tz_id)
		buf_printf(&b, "<t:TimeZoneContext><t:TimeZoneDefinition Id=\"%s\"/>"
			   "</t:TimeZoneContext>", tz_id);
	buf_printf(&b, "</soap:Header><soap:Body>%s</soap:Body></soap:Envelope>", body);
	return buf_detach(&b);
}

/* One call as user; the answer must be schema-valid; status is checked. */
static char *call(const ews_sim *sim, const char *user, const char *pw,
		  const char *version, const char *tz_id, const char *body,
		  long want_status)
{
	char *env = tz_envelope(version, tz_id, body);
	st_resp r = st_post(sim, "/EWS/Exchange.asmx", ST_BASIC, user, pw, env);

	free(env);
	assert_int_equal(st_validate(r.body), 0);
	if (r.status != want_status)
		fprintf(stderr, "HTTP %ld:\n%.3000s\n", r.status, r.body);
	assert_int_equal(r.status, want_status);
	return r.body;
}

/* The string value of an XPath expression over a response (prefixes t
 * and m bound); heap. */
static char *xp(const char *xml, const char *expr)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "r.xml", NULL, XML_PARSE_NONET);
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	char *out;

	assert_non_null(doc);
	ctx = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(ctx, BAD_CAST "t",
			   BAD_CAST "http://schemas.microsoft.com/exchange/services/2006/types");
	xmlXPathRegisterNs(ctx, BAD_CAST "m",
			   BAD_CAST "http://schemas.microsoft.com/exchange/services/2006/messages");
	o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	assert_non_null(o);
	out = strdup(o->type == XPATH_STRING && o->stringval ? (const char *)o->stringval : "");
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return out;
}

static void assert_xp(const char *xml, const char *expr, const char *want)
{
	char *got = xp(xml, expr);

	if (strcmp(got, want) != 0)
		fprintf(stderr, "%s: got '%s', want '%s'\n%.4000s\n", expr, got, want, xml);
	assert_string_equal(got, want);
	free(got);
}

static char *create_cal(const ews_sim *sim, const char *user, const char *pw,
			const char *version, const char *tz_id, const char *props)
{
	buf b = BUF_INIT(64 * 1024);
	char *r, *id;

	buf_printf(&b, "<m:CreateItem SendMeetingInvitations=\"SendToNone\"><m:Items>"
		   "<t:CalendarItem>%s</t:CalendarItem></m:Items></m:CreateItem>", props);
	r = call(sim, user, pw, version, tz_id, buf_cstr(&b), 200);
	buf_dispose(&b);
	assert_string_equal(st_code(r), "NoError");
	id = strdup(st_attr(r, "t:ItemId", "Id"));
	free(r);
	return id;
}

static char *get_item(const ews_sim *sim, const char *tz_id, const char *id)
{
	buf b = BUF_INIT(4096);
	char *r;

	buf_printf(&b, "<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape>"
		   "</m:ItemShape><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id);
	if (tz_id) {
		r = call(sim, ALICE, "Exchange2016", tz_id, buf_cstr(&b), 200);
	} else {
		st_resp resp = st_ews(sim, ST_BASIC, ALICE, NULL, buf_cstr(&b));

		assert_int_equal(resp.status, 200);
		r = resp.body;
	}
	buf_dispose(&b);
	assert_string_equal(st_code(r), "NoError");
	return r;
}

#define START "string(//t:CalendarItem/t:Start)"
#define END "string(//t:CalendarItem/t:End)"

/* ---- TimeZoneContext: request times without an offset ---- */

static void test_context_naive_item_times(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	char *id, *r;

	(void)state;
	/* 10:00 in Berlin in July is CEST, UTC+2 */
	id = create_cal(sim, ALICE, "Exchange2016", W_EUROPE,
			"<t:Subject>Summer</t:Subject><t:Start>2025-07-01T10:00:00</t:Start>"
			"<t:End>2025-07-01T11:30:00</t:End>");
	r = get_item(sim, NULL, id);
	assert_xp(r, START, "2025-07-01T08:00:00Z");
	assert_xp(r, END, "2025-07-01T09:30:00Z");
	free(r);
	free(id);
	/* 09:00 in New York in January is EST, UTC-5; a value with Z stays UTC */
	id = create_cal(sim, ALICE, "Exchange2016", EASTERN,
			"<t:Subject>Winter</t:Subject><t:Start>2025-01-15T09:00:00</t:Start>"
			"<t:End>2025-01-15T18:00:00Z</t:End>");
	r = get_item(sim, NULL, id);
	assert_xp(r, START, "2025-01-15T14:00:00Z");
	assert_xp(r, END, "2025-01-15T18:00:00Z");
	free(r);
	free(id);
	/* StartTimeZone wins for Start; End without EndTimeZone follows the
	 * context (Pacific in July is UTC-7) */
	id = create_cal(sim, ALICE, "Exchange2016", W_EUROPE,
			"<t:Subject>West coast</t:Subject><t:Start>2025-07-01T09:00:00</t:Start>"
			"<t:End>2025-07-01T20:00:00</t:End>"
			"<t:StartTimeZone Id=\"Pacific Standard Time\"/>");
	r = get_item(sim, NULL, id);
	assert_xp(r, START, "2025-07-01T16:00:00Z");
	assert_xp(r, END, "2025-07-01T18:00:00Z");
	free(r);
	free(id);
	/* without a context, and under Exchange2007_SP1, naive times are UTC */
	id = create_cal(sim, ALICE, "Exchange2016", NULL,
			"<t:Subject>UTC</t:Subject><t:Start>2025-07-01T10:00:00</t:Start>"
			"<t:End>2025-07-01T11:00:00</t:End>");
	r = get_item(sim, NULL, id);
	assert_xp(r, START, "2025-07-01T10:00:00Z");
	free(r);
	free(id);
	id = create_cal(sim, ALICE, "Exchange2007_SP1", W_EUROPE,
			"<t:Subject>Old</t:Subject><t:Start>2025-07-01T10:00:00</t:Start>"
			"<t:End>2025-07-01T11:00:00</t:End>");
	r = get_item(sim, NULL, id);
	assert_xp(r, START, "2025-07-01T10:00:00Z");
	free(r);
	free(id);
	/* UpdateItem: a naive Start is read in the context too */
	id = create_cal(sim, ALICE, "Exchange2016", NULL,
			"<t:Subject>Moved</t:Subject><t:Start>2025-07-01T10:00:00Z</t:Start>"
			"<t:End>2025-07-01T11:00:00Z</t:End>");
	{
		buf b = BUF_INIT(4096);

		buf_printf(&b, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\" "
			   "SendMeetingInvitationsOrCancellations=\"SendToNone\"><m:ItemChanges>"
			   "<t:ItemChange><t:ItemId Id=\"%s\"/><t:Updates><t:SetItemField>"
			   "<t:FieldURI FieldURI=\"calendar:Start\"/><t:CalendarItem>"
			   "<t:Start>2025-07-01T09:00:00</t:Start></t:CalendarItem></t:SetItemField>"
			   "</t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>", id);
		r = call(sim, ALICE, "Exchange2016", EASTERN, buf_cstr(&b), 200);
		buf_dispose(&b);
		assert_string_equal(st_code(r), "NoError");
		free(r);
	}
	r = get_item(sim, NULL, id);
	assert_xp(r, START, "2025-07-01T13:00:00Z");   /* EDT, UTC-4 */
	free(r);
	free(id);
	ews_sim_stop(sim);
}

#define CAL_VIEW(a, b) \
	"<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>" \
	"<t:AdditionalProperties><t:FieldURI FieldURI=\"item:Subject\"/></t:AdditionalProperties>" \
	"</m:ItemShape><m:CalendarView StartDate=\"" a "\" EndDate=\"" b "\"/>" \
	"<m:ParentFolderIds><t:DistinguishedFolderId Id=\"calendar\"/></m:ParentFolderIds>" \
	"</m:FindItem>"

#define RESTRICTED(op, value) \
	"<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>" \
	"<t:AdditionalProperties><t:FieldURI FieldURI=\"item:Subject\"/></t:AdditionalProperties>" \
	"</m:ItemShape><m:IndexedPageItemView MaxEntriesReturned=\"50\" Offset=\"0\" " \
	"BasePoint=\"Beginning\"/><m:Restriction><t:" op "><t:FieldURI FieldURI=\"calendar:Start\"/>" \
	"<t:FieldURIOrConstant><t:Constant Value=\"" value "\"/></t:FieldURIOrConstant></t:" op ">" \
	"</m:Restriction><m:ParentFolderIds><t:DistinguishedFolderId Id=\"calendar\"/>" \
	"</m:ParentFolderIds></m:FindItem>"

static void test_context_naive_views_and_restrictions(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	char *id, *r;

	(void)state;
	/* 23:30 UTC on 1 July is 01:30 on 2 July in Berlin */
	id = create_cal(sim, ALICE, "Exchange2016", NULL,
			"<t:Subject>Late night</t:Subject><t:Start>2025-07-01T23:30:00Z</t:Start>"
			"<t:End>2025-07-02T00:30:00Z</t:End>");
	free(id);
	r = call(sim, ALICE, "Exchange2016", W_EUROPE,
		 CAL_VIEW("2025-07-02T00:00:00", "2025-07-03T00:00:00"), 200);
	assert_non_null(strstr(r, "Late night"));
	free(r);
	r = call(sim, ALICE, "Exchange2016", NULL,
		 CAL_VIEW("2025-07-02T01:00:00", "2025-07-03T00:00:00"), 200);
	assert_null(strstr(r, "Late night"));
	free(r);
	/* the same naive constant compares differently under a context */
	r = call(sim, ALICE, "Exchange2016", W_EUROPE,
		 RESTRICTED("IsGreaterThanOrEqualTo", "2025-07-02T01:30:00"), 200);
	assert_non_null(strstr(r, "Late night"));
	free(r);
	r = call(sim, ALICE, "Exchange2016", NULL,
		 RESTRICTED("IsGreaterThanOrEqualTo", "2025-07-02T01:30:00"), 200);
	assert_null(strstr(r, "Late night"));
	free(r);
	ews_sim_stop(sim);
}

static void test_context_unknown_id(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	char *r;

	(void)state;
	r = call(sim, ALICE, "Exchange2016", "Mars Standard Time",
		 CAL_VIEW("2025-07-02T00:00:00", "2025-07-03T00:00:00"), 500);
	assert_string_equal(st_code(r), "ErrorTimeZone");
	assert_non_null(strstr(r, "Mars Standard Time"));
	free(r);
	/* a case difference is still the same zone */
	r = call(sim, ALICE, "Exchange2016", "w. europe standard time",
		 CAL_VIEW("2025-07-02T00:00:00", "2025-07-03T00:00:00"), 200);
	assert_string_equal(st_code(r), "NoError");
	free(r);
	/* operations whose WSDL does not declare the header ignore it */
	r = call(sim, ALICE, "Exchange2016", "Mars Standard Time",
		 "<m:ResolveNames ReturnFullContactData=\"false\"><m:UnresolvedEntry>bob"
		 "</m:UnresolvedEntry></m:ResolveNames>", 200);
	assert_string_equal(st_code(r), "NoError");
	free(r);
	/* and so do Exchange2007_SP1 requests */
	r = call(sim, ALICE, "Exchange2007_SP1", "Mars Standard Time",
		 CAL_VIEW("2025-07-02T00:00:00", "2025-07-03T00:00:00"), 200);
	free(r);
	ews_sim_stop(sim);
}

/* ---- TimeZoneContext: what comes back ---- */

static void test_context_returned_times(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	char *id, *r;

	(void)state;
	/* item times stay UTC whatever the context; the creation time zone
	 * is the context's, with its full definition */
	id = create_cal(sim, ALICE, "Exchange2016", W_EUROPE,
			"<t:Subject>Zoned</t:Subject><t:Start>2025-07-01T10:00:00</t:Start>"
			"<t:End>2025-07-01T11:00:00</t:End>");
	r = get_item(sim, EASTERN, id);
	assert_xp(r, START, "2025-07-01T08:00:00Z");
	assert_xp(r, "string(//t:CalendarItem/t:StartTimeZone/@Id)", W_EUROPE);
	assert_xp(r, "string(//t:CalendarItem/t:EndTimeZone/@Id)", W_EUROPE);
	assert_xp(r, "string(//t:StartTimeZone/t:Periods/t:Period[@Name='Daylight'][1]/@Bias)",
		  "-PT2H");
	free(r);
	free(id);
	/* without a context the creation zone is UTC */
	id = create_cal(sim, ALICE, "Exchange2016", NULL,
			"<t:Subject>Plain</t:Subject><t:Start>2025-07-01T10:00:00Z</t:Start>"
			"<t:End>2025-07-01T11:00:00Z</t:End>");
	r = get_item(sim, W_EUROPE, id);
	assert_xp(r, "string(//t:CalendarItem/t:StartTimeZone/@Id)", "UTC");
	assert_xp(r, START, "2025-07-01T10:00:00Z");
	free(r);
	free(id);
	/* an all-day event is stretched to midnights of its creation zone:
	 * midnight in New York in June is 04:00 UTC */
	id = create_cal(sim, ALICE, "Exchange2016", EASTERN,
			"<t:Subject>Vacation</t:Subject><t:Start>2025-06-09T13:00:00</t:Start>"
			"<t:End>2025-06-10T15:00:00</t:End><t:IsAllDayEvent>true</t:IsAllDayEvent>");
	r = get_item(sim, NULL, id);
	assert_xp(r, START, "2025-06-09T04:00:00Z");
	assert_xp(r, END, "2025-06-11T04:00:00Z");
	free(r);
	free(id);
	/* changing the zone without the times keeps the wall-clock time:
	 * 13:00 Eastern (17:00Z in June) becomes 13:00 Central (18:00Z) */
	id = create_cal(sim, ALICE, "Exchange2016", EASTERN,
			"<t:Subject>Shifted</t:Subject><t:Start>2025-06-20T13:00:00</t:Start>"
			"<t:End>2025-06-20T14:00:00</t:End>");
	{
		buf b = BUF_INIT(4096);

		buf_printf(&b, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\" "
			   "SendMeetingInvitationsOrCancellations=\"SendToNone\"><m:ItemChanges>"
			   "<t:ItemChange><t:ItemId Id=\"%s\"/><t:Updates>"
			   "<t:SetItemField><t:FieldURI FieldURI=\"calendar:StartTimeZone\"/>"
			   "<t:CalendarItem><t:StartTimeZone Id=\"Central Standard Time\"/>"
			   "</t:CalendarItem></t:SetItemField>"
			   "<t:SetItemField><t:FieldURI FieldURI=\"calendar:EndTimeZone\"/>"
			   "<t:CalendarItem><t:EndTimeZone Id=\"Central Standard Time\"/>"
			   "</t:CalendarItem></t:SetItemField>"
			   "</t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>", id);
		r = call(sim, ALICE, "Exchange2016", NULL, buf_cstr(&b), 200);
		buf_dispose(&b);
		assert_string_equal(st_code(r), "NoError");
		free(r);
	}
	r = get_item(sim, NULL, id);
	assert_xp(r, START, "2025-06-20T18:00:00Z");
	assert_xp(r, END, "2025-06-20T19:00:00Z");
	assert_xp(r, "string(//t:CalendarItem/t:StartTimeZone/@Id)", "Central Standard Time");
	free(r);
	free(id);
	/* an unknown StartTimeZone is refused for that item */
	r = call(sim, ALICE, "Exchange2016", NULL,
		 "<m:CreateItem SendMeetingInvitations=\"SendToNone\"><m:Items><t:CalendarItem>"
		 "<t:Subject>x</t:Subject><t:StartTimeZone Id=\"Atlantis Time\"/></t:CalendarItem>"
		 "</m:Items></m:CreateItem>", 200);
	assert_string_equal(st_code(r), "ErrorTimeZone");
	free(r);
	ews_sim_stop(sim);
}

/* ---- GetUserAvailability across changes of the clocks ---- */

static void add_event(const ews_sim *sim, const char *subject, const char *start,
		      const char *end, const char *fb)
{
	char props[512];
	char *id;

	snprintf(props, sizeof(props), "<t:Subject>%s</t:Subject><t:Start>%s</t:Start>"
		 "<t:End>%s</t:End><t:LegacyFreeBusyStatus>%s</t:LegacyFreeBusyStatus>",
		 subject, start, end, fb);
	id = create_cal(sim, BOB, "Exchange2016", NULL, props);
	free(id);
}

static char *availability(const ews_sim *sim, const char *tz, const char *a,
			  const char *b, long want_status)
{
	buf q = BUF_INIT(8192);
	char *r;

	buf_printf(&q, "<m:GetUserAvailabilityRequest>%s<m:MailboxDataArray><t:MailboxData>"
		   "<t:Email><t:Address>bob@contoso.test</t:Address></t:Email>"
		   "<t:AttendeeType>Required</t:AttendeeType></t:MailboxData></m:MailboxDataArray>"
		   "<t:FreeBusyViewOptions><t:TimeWindow><t:StartTime>%s</t:StartTime>"
		   "<t:EndTime>%s</t:EndTime></t:TimeWindow>"
		   "<t:MergedFreeBusyIntervalInMinutes>30</t:MergedFreeBusyIntervalInMinutes>"
		   "<t:RequestedView>DetailedMerged</t:RequestedView></t:FreeBusyViewOptions>"
		   "</m:GetUserAvailabilityRequest>", tz, a, b);
	r = call(sim, BOB, "Exchange2016", NULL, buf_cstr(&q), want_status);
	buf_dispose(&q);
	return r;
}

#define MERGED "string(//t:MergedFreeBusy)"
#define EVENT(n, what) "string(//t:CalendarEvent[" #n "]/t:" what ")"

static void test_availability_berlin_spring(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	char *r;

	(void)state;
	/* 30 March 2025: clocks go from 02:00 CET to 03:00 CEST (01:00Z) */
	add_event(sim, "Night owl", "2025-03-29T23:30:00Z", "2025-03-30T00:00:00Z", "Tentative");
	add_event(sim, "Early bird", "2025-03-30T01:00:00Z", "2025-03-30T02:00:00Z", "Busy");
	/* 00:00-06:00 local is 23:00Z-04:00Z: five hours, ten digits; the
	 * digits start at 00:00 00:30 01:00 01:30 03:00 03:30 04:00 ... */
	r = availability(sim, TZ_BERLIN, "2025-03-30T00:00:00", "2025-03-30T06:00:00", 200);
	assert_xp(r, MERGED, "0100220000");
	assert_xp(r, EVENT(1, "StartTime"), "2025-03-30T00:30:00");
	assert_xp(r, EVENT(1, "EndTime"), "2025-03-30T01:00:00");
	assert_xp(r, EVENT(2, "StartTime"), "2025-03-30T03:00:00");
	assert_xp(r, EVENT(2, "EndTime"), "2025-03-30T04:00:00");
	free(r);
	/* a summer window uses the daylight bias for both ends */
	add_event(sim, "Summer", "2025-07-01T08:00:00Z", "2025-07-01T09:00:00Z", "OOF");
	r = availability(sim, TZ_BERLIN, "2025-07-01T09:00:00", "2025-07-01T12:00:00", 200);
	assert_xp(r, MERGED, "003300");
	assert_xp(r, EVENT(1, "StartTime"), "2025-07-01T10:00:00");
	free(r);
	ews_sim_stop(sim);
}

static void test_availability_new_york_autumn(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	char *r;

	(void)state;
	/* 2 November 2025: 02:00 EDT becomes 01:00 EST (06:00Z); 01:00-02:00
	 * happens twice */
	add_event(sim, "First one", "2025-11-02T05:00:00Z", "2025-11-02T05:30:00Z", "Busy");
	add_event(sim, "Second one", "2025-11-02T06:30:00Z", "2025-11-02T07:00:00Z", "OOF");
	/* 00:00 EDT (04:00Z) to 04:00 EST (09:00Z): five hours, ten digits
	 * at 00:00 00:30 01:00 01:30 01:00 01:30 02:00 02:30 03:00 03:30 */
	r = availability(sim, TZ_NEW_YORK, "2025-11-02T00:00:00", "2025-11-02T04:00:00", 200);
	assert_xp(r, MERGED, "0020030000");
	assert_xp(r, EVENT(1, "StartTime"), "2025-11-02T01:00:00");
	assert_xp(r, EVENT(1, "EndTime"), "2025-11-02T01:30:00");
	assert_xp(r, EVENT(2, "StartTime"), "2025-11-02T01:30:00");
	assert_xp(r, EVENT(2, "EndTime"), "2025-11-02T02:00:00");
	free(r);
	/* in March the window loses an hour: 00:00 EST (05:00Z) to 04:00 EDT
	 * (08:00Z) is six digits */
	r = availability(sim, TZ_NEW_YORK, "2025-03-09T00:00:00", "2025-03-09T04:00:00", 200);
	assert_xp(r, MERGED, "000000");
	free(r);
	/* a window given in UTC is taken as it is */
	r = availability(sim, TZ_NEW_YORK, "2025-11-02T05:00:00Z", "2025-11-02T06:00:00Z", 200);
	assert_xp(r, MERGED, "20");
	free(r);
	ews_sim_stop(sim);
}

/* Sydney: UTC+10, daylight time from the first Sunday of October 02:00
 * to the first Sunday of April 03:00, across the turn of the year. */
#define TZ_SYDNEY \
	"<t:TimeZone><t:Bias>-600</t:Bias><t:StandardTime><t:Bias>0</t:Bias>" \
	"<t:Time>03:00:00</t:Time><t:DayOrder>1</t:DayOrder><t:Month>4</t:Month>" \
	"<t:DayOfWeek>Sunday</t:DayOfWeek></t:StandardTime><t:DaylightTime>" \
	"<t:Bias>-60</t:Bias><t:Time>02:00:00</t:Time><t:DayOrder>1</t:DayOrder>" \
	"<t:Month>10</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek></t:DaylightTime></t:TimeZone>"

static void test_availability_sydney_southern(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	char *r;

	(void)state;
	/* 10:00-11:00 local both times: AEDT (UTC+11) in January, AEST
	 * (UTC+10) in July */
	add_event(sim, "Summer", "2025-01-14T23:00:00Z", "2025-01-15T00:00:00Z", "Busy");
	add_event(sim, "Winter", "2025-07-15T00:00:00Z", "2025-07-15T01:00:00Z", "Busy");
	r = availability(sim, TZ_SYDNEY, "2025-01-15T09:00:00", "2025-01-15T12:00:00", 200);
	assert_xp(r, MERGED, "002200");
	assert_xp(r, EVENT(1, "StartTime"), "2025-01-15T10:00:00");
	free(r);
	r = availability(sim, TZ_SYDNEY, "2025-07-15T09:00:00", "2025-07-15T12:00:00", 200);
	assert_xp(r, MERGED, "002200");
	assert_xp(r, EVENT(1, "EndTime"), "2025-07-15T11:00:00");
	free(r);
	/* 6 April 2025, 03:00 AEDT becomes 02:00 AEST (16:00Z on the 5th):
	 * 00:00-04:00 local is 13:00Z-18:00Z, ten digits */
	r = availability(sim, TZ_SYDNEY, "2025-04-06T00:00:00", "2025-04-06T04:00:00", 200);
	assert_int_equal(strlen(strstr(r, "<t:MergedFreeBusy>") + 18) -
			 strlen(strstr(r, "</t:MergedFreeBusy>")), 10);
	free(r);
	ews_sim_stop(sim);
}

static void test_availability_bad_time_zones(void **state)
{
	static const struct { const char *tz; const char *word; } bad[] = {
		{ "<t:TimeZone><t:Bias>-60</t:Bias><t:StandardTime><t:Bias>0</t:Bias>"
		  "<t:Time>03:00:00</t:Time><t:DayOrder>6</t:DayOrder><t:Month>10</t:Month>"
		  "<t:DayOfWeek>Sunday</t:DayOfWeek></t:StandardTime><t:DaylightTime><t:Bias>-60"
		  "</t:Bias><t:Time>02:00:00</t:Time><t:DayOrder>5</t:DayOrder><t:Month>3</t:Month>"
		  "<t:DayOfWeek>Sunday</t:DayOfWeek></t:DaylightTime></t:TimeZone>",
		  "StandardTime/DayOrder" },
		{ "<t:TimeZone><t:Bias>-60</t:Bias><t:StandardTime><t:Bias>0</t:Bias>"
		  "<t:Time>03:00:00</t:Time><t:DayOrder>5</t:DayOrder><t:Month>13</t:Month>"
		  "<t:DayOfWeek>Sunday</t:DayOfWeek></t:StandardTime><t:DaylightTime><t:Bias>-60"
		  "</t:Bias><t:Time>02:00:00</t:Time><t:DayOrder>5</t:DayOrder><t:Month>3</t:Month>"
		  "<t:DayOfWeek>Sunday</t:DayOfWeek></t:DaylightTime></t:TimeZone>",
		  "StandardTime/Month" },
		{ "<t:TimeZone><t:Bias>-60</t:Bias><t:StandardTime><t:Bias>0</t:Bias>"
		  "<t:Time>3 o'clock</t:Time><t:DayOrder>5</t:DayOrder><t:Month>10</t:Month>"
		  "<t:DayOfWeek>Sunday</t:DayOfWeek></t:StandardTime><t:DaylightTime><t:Bias>-60"
		  "</t:Bias><t:Time>02:00:00</t:Time><t:DayOrder>5</t:DayOrder><t:Month>3</t:Month>"
		  "<t:DayOfWeek>Sunday</t:DayOfWeek></t:DaylightTime></t:TimeZone>",
		  "StandardTime/Time" },
		{ "<t:TimeZone><t:Bias>-60</t:Bias><t:StandardTime><t:Bias>0</t:Bias>"
		  "<t:Time>03:00:00</t:Time><t:DayOrder>5</t:DayOrder><t:Month>10</t:Month>"
		  "<t:DayOfWeek>Day</t:DayOfWeek></t:StandardTime><t:DaylightTime><t:Bias>-60"
		  "</t:Bias><t:Time>02:00:00</t:Time><t:DayOrder>5</t:DayOrder><t:Month>3</t:Month>"
		  "<t:DayOfWeek>Sunday</t:DayOfWeek></t:DaylightTime></t:TimeZone>",
		  "StandardTime/DayOfWeek" },
		{ "<t:TimeZone><t:Bias>-60</t:Bias><t:StandardTime><t:Bias>0</t:Bias>"
		  "<t:Time>03:00:00</t:Time><t:DayOrder>0</t:DayOrder><t:Month>0</t:Month>"
		  "<t:DayOfWeek>Sunday</t:DayOfWeek></t:StandardTime><t:DaylightTime><t:Bias>-60"
		  "</t:Bias><t:Time>02:00:00</t:Time><t:DayOrder>5</t:DayOrder><t:Month>3</t:Month>"
		  "<t:DayOfWeek>Sunday</t:DayOfWeek></t:DaylightTime></t:TimeZone>",
		  "both be 0" },
		{ "<t:TimeZone><t:Bias>-60</t:Bias><t:StandardTime><t:Bias>0</t:Bias>"
		  "<t:Time>03:00:00</t:Time><t:DayOrder>1</t:DayOrder><t:Month>1</t:Month>"
		  "<t:DayOfWeek>Sunday</t:DayOfWeek></t:StandardTime><t:DaylightTime><t:Bias>-60"
		  "</t:Bias><t:Time>02:00:00</t:Time><t:DayOrder>1</t:DayOrder><t:Month>1</t:Month>"
		  "<t:DayOfWeek>Sunday</t:DayOfWeek></t:DaylightTime></t:TimeZone>",
		  "same day" },
		/* the same with equal biases: still refused, as by Exchange */
		{ "<t:TimeZone><t:Bias>0</t:Bias><t:StandardTime><t:Bias>0</t:Bias>"
		  "<t:Time>00:00:00</t:Time><t:DayOrder>1</t:DayOrder><t:Month>1</t:Month>"
		  "<t:DayOfWeek>Sunday</t:DayOfWeek></t:StandardTime><t:DaylightTime><t:Bias>0"
		  "</t:Bias><t:Time>00:00:00</t:Time><t:DayOrder>1</t:DayOrder><t:Month>1</t:Month>"
		  "<t:DayOfWeek>Sunday</t:DayOfWeek></t:DaylightTime></t:TimeZone>",
		  "same day" },
	};
	ews_sim *sim = st_start("demo.json", NULL);
	size_t i;
	char *r;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = availability(sim, bad[i].tz, "2025-07-01T00:00:00", "2025-07-02T00:00:00", 500);
		assert_string_equal(st_code(r), "ErrorTimeZone");
		if (!strstr(r, bad[i].word))
			fprintf(stderr, "case %zu: no '%s' in\n%s\n", i, bad[i].word, r);
		assert_non_null(strstr(r, bad[i].word));
		free(r);
	}
	/* Month and DayOrder 0 on both sides: no daylight time, UTC+1 all year */
	add_event(sim, "Fixed", "2025-07-01T08:00:00Z", "2025-07-01T09:00:00Z", "Busy");
	r = availability(sim,
			 "<t:TimeZone><t:Bias>-60</t:Bias><t:StandardTime><t:Bias>0</t:Bias>"
			 "<t:Time>00:00:00</t:Time><t:DayOrder>0</t:DayOrder><t:Month>0</t:Month>"
			 "<t:DayOfWeek>Sunday</t:DayOfWeek></t:StandardTime><t:DaylightTime>"
			 "<t:Bias>0</t:Bias><t:Time>00:00:00</t:Time><t:DayOrder>0</t:DayOrder>"
			 "<t:Month>0</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek></t:DaylightTime>"
			 "</t:TimeZone>", "2025-07-01T09:00:00", "2025-07-01T10:00:00", 200);
	assert_xp(r, MERGED, "22");
	assert_xp(r, EVENT(1, "StartTime"), "2025-07-01T09:00:00");
	free(r);
	ews_sim_stop(sim);
}

/* ---- GetServerTimeZones against tzdata ---- */

static const char *const days[] = { "Sunday", "Monday", "Tuesday", "Wednesday",
				    "Thursday", "Friday", "Saturday" };

/* The UTC instant of a RecurringDayTransition in year y for a zone whose
 * offset before the change is before_off (seconds east). */
static int64_t rule_instant(int y, int month, const char *dow, int occurrence,
			    int64_t offset_secs, int32_t before_off)
{
	int64_t first = tz_days_from_civil(y, month, 1);
	int wd_first = (int)(((first % 7) + 7 + 4) % 7), want = 0, day, dim;

	while (want < 7 && strcmp(days[want], dow) != 0)
		want++;
	assert_true(want < 7);
	dim = tz_days_in_month(y, month);
	day = 1 + (want - wd_first + 7) % 7;
	if (occurrence < 0)
		while (day + 7 <= dim)
			day += 7;
	else
		day += 7 * (occurrence - 1);
	assert_true(day <= dim);
	return (first + day - 1) * 86400 + offset_secs - before_off;
}

/* "PT2H", "PT2H30M", "-PT1H" -> seconds. */
static int64_t duration(const char *d)
{
	int64_t sign = 1, v = 0, total = 0;

	if (*d == '-') {
		sign = -1;
		d++;
	}
	assert_int_equal(strncmp(d, "PT", 2), 0);
	for (d += 2; *d; d++) {
		if (*d >= '0' && *d <= '9') {
			v = v * 10 + (*d - '0');
			continue;
		}
		total += v * (*d == 'H' ? 3600 : *d == 'M' ? 60 : 1);
		v = 0;
	}
	return sign * total;
}

static long xp_long(const char *xml, const char *expr)
{
	char *s = xp(xml, expr);
	long v = strtol(s, NULL, 10);

	free(s);
	return v;
}

/* Checks that the group of zone `id` in force this year describes the
 * changes tzdata has for iana this year: each RecurringDayTransition's
 * instant is exactly where tzdata's offset changes, to the period's bias. */
static void check_rules(const char *xml, const char *id, const char *iana, int year,
			int want_transitions)
{
	const tz_zone *z;
	errinfo err = ERRINFO_INIT;
	char expr[512], *s;
	int i, n;

	assert_int_equal(tz_zone_get(&z, iana, &err), 0);
	/* the sim describes last year, this year and next year; this year's
	 * group is the one named by the last transition at or before it (or
	 * the first group) */
	snprintf(expr, sizeof(expr),
		 "string((//t:TimeZoneDefinition[@Id='%s']/t:Transitions/*"
		 "[not(t:DateTime) or substring(t:DateTime,1,4) <= '%d'])[last()]/t:To)",
		 id, year);
	s = xp(xml, expr);
	snprintf(expr, sizeof(expr),
		 "string(count(//t:TimeZoneDefinition[@Id='%s']/t:TransitionsGroups/"
		 "t:TransitionsGroup[@Id='%s']/t:RecurringDayTransition))", id, s);
	n = (int)xp_long(xml, expr);
	assert_int_equal(n, want_transitions);
	for (i = 1; i <= n; i++) {
		char base[400], *month, *dow, *occ, *off, *to, *bias;
		int64_t at;
		int32_t before;

		snprintf(base, sizeof(base), "//t:TimeZoneDefinition[@Id='%s']/t:TransitionsGroups/"
			 "t:TransitionsGroup[@Id='%s']/t:RecurringDayTransition[%d]", id, s, i);
		snprintf(expr, sizeof(expr), "string(%s/t:Month)", base);
		month = xp(xml, expr);
		snprintf(expr, sizeof(expr), "string(%s/t:DayOfWeek)", base);
		dow = xp(xml, expr);
		snprintf(expr, sizeof(expr), "string(%s/t:Occurrence)", base);
		occ = xp(xml, expr);
		snprintf(expr, sizeof(expr), "string(%s/t:TimeOffset)", base);
		off = xp(xml, expr);
		snprintf(expr, sizeof(expr), "string(%s/t:To)", base);
		to = xp(xml, expr);
		snprintf(expr, sizeof(expr), "string(//t:TimeZoneDefinition[@Id='%s']/t:Periods/"
			 "t:Period[@Id='%s']/@Bias)", id, to);
		bias = xp(xml, expr);
		/* the offset before the change is the other period's */
		before = tz_zone_offset(z, rule_instant(year, atoi(month), dow, atoi(occ),
							duration(off), 0) - 14 * 3600, NULL);
		at = rule_instant(year, atoi(month), dow, atoi(occ), duration(off), before);
		assert_int_equal(tz_zone_offset(z, at - 1, NULL), before);
		assert_int_equal(tz_zone_offset(z, at, NULL), -duration(bias));
		free(month);
		free(dow);
		free(occ);
		free(off);
		free(to);
		free(bias);
	}
	free(s);
}

static void test_server_time_zones(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	const char *w, *iana;
	const tz_zone *z;
	int y, m, d, loadable = 0;
	size_t i;
	char *r, *s;

	(void)state;
	tz_civil_from_days(&y, &m, &d, (int64_t)time(NULL) / 86400);
	r = call(sim, ALICE, "Exchange2016", NULL,
		 "<m:GetServerTimeZones><m:Ids><t:Id>W. Europe Standard Time</t:Id>"
		 "<t:Id>Eastern Standard Time</t:Id><t:Id>AUS Eastern Standard Time</t:Id>"
		 "<t:Id>India Standard Time</t:Id><t:Id>Nowhere Standard Time</t:Id>"
		 "</m:Ids></m:GetServerTimeZones>", 200);
	assert_string_equal(st_code(r), "NoError");
	assert_int_equal(st_count(r, "<t:TimeZoneDefinition "), 4);
	assert_xp(r, "string(//t:TimeZoneDefinition[1]/@Id)", "Eastern Standard Time");
	assert_xp(r, "string(//t:TimeZoneDefinition[@Id='W. Europe Standard Time']/@Name)",
		  "(UTC+01:00) Berlin");
	/* both changes of this year, checked against tzdata */
	check_rules(r, "W. Europe Standard Time", "Europe/Berlin", y, 2);
	check_rules(r, "Eastern Standard Time", "America/New_York", y, 2);
	check_rules(r, "AUS Eastern Standard Time", "Australia/Sydney", y, 2);
	/* the EU rule as Windows writes it: last Sunday of March at 02:00 */
	assert_xp(r, "string(//t:TimeZoneDefinition[@Id='W. Europe Standard Time']"
		  "//t:RecurringDayTransition[t:Month='3'][1]/t:Occurrence)", "-1");
	assert_xp(r, "string(//t:TimeZoneDefinition[@Id='W. Europe Standard Time']"
		  "//t:RecurringDayTransition[t:Month='10'][1]/t:TimeOffset)", "PT3H");
	/* India has no daylight time: one period, one plain transition */
	assert_xp(r, "string(//t:TimeZoneDefinition[@Id='India Standard Time']"
		  "/t:Periods/t:Period[1]/@Bias)", "-PT5H30M");
	assert_xp(r, "string(count(//t:TimeZoneDefinition[@Id='India Standard Time']"
		  "//t:RecurringDayTransition))", "0");
	assert_xp(r, "string(count(//t:TimeZoneDefinition[@Id='India Standard Time']"
		  "/t:Periods/t:Period))", "1");
	free(r);
	/* names only */
	r = call(sim, ALICE, "Exchange2016", NULL,
		 "<m:GetServerTimeZones ReturnFullTimeZoneData=\"false\"><m:Ids>"
		 "<t:Id>pacific standard time</t:Id></m:Ids></m:GetServerTimeZones>", 200);
	assert_xp(r, "string(//t:TimeZoneDefinition/@Id)", "Pacific Standard Time");
	assert_xp(r, "string(//t:TimeZoneDefinition/@Name)", "(UTC-08:00) Los Angeles");
	assert_null(strstr(r, "<t:Periods>"));
	free(r);
	/* every zone of the table whose tzdata is present */
	for (i = 0; tz_windows_entry(&w, &iana, i) == 0; i++)
		if (tz_zone_get(&z, iana, NULL) == 0)
			loadable++;
	assert_true(loadable > 100);
	r = call(sim, ALICE, "Exchange2016", NULL, "<m:GetServerTimeZones/>", 200);
	assert_int_equal(st_count(r, "<t:TimeZoneDefinition "), loadable);
	assert_int_equal(st_count(r, "<t:Periods>"), loadable);
	s = xp(r, "string(//t:TimeZoneDefinition[@Id='UTC']/@Name)");
	assert_string_equal(s, "(UTC) Coordinated Universal Time");
	free(s);
	check_rules(r, "Pacific Standard Time", "America/Los_Angeles", y, 2);
	check_rules(r, "Pacific SA Standard Time", "America/Santiago", y, 2);
	free(r);
	ews_sim_stop(sim);
}

static int teardown(void **state)
{
	(void)state;
	st_schema_free();
	tz_cache_clear();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_context_naive_item_times),
		cmocka_unit_test(test_context_naive_views_and_restrictions),
		cmocka_unit_test(test_context_unknown_id),
		cmocka_unit_test(test_context_returned_times),
		cmocka_unit_test(test_availability_berlin_spring),
		cmocka_unit_test(test_availability_new_york_autumn),
		cmocka_unit_test(test_availability_sydney_southern),
		cmocka_unit_test(test_availability_bad_time_zones),
		cmocka_unit_test(test_server_time_zones),
	};

	curl_global_init(CURL_GLOBAL_ALL);
	return cmocka_run_group_tests(tests, NULL, teardown);
}
