/* tzrule.c - the SerializableTimeZone of GetUserAvailability: reading it
 * and converting between its wall clock and UTC (see tzrule.h). */
#include "sim/tzrule.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/tz.h"

#define BAD_ZONE "The specified time zone isn't valid. "

static const char *const weekdays[] = { "Sunday", "Monday", "Tuesday",
	"Wednesday", "Thursday", "Friday", "Saturday" };

/* A whole number in [lo, hi] from an element's text. 0 or -1. */
static int read_int(int *out, const xmlNode *parent, const char *name, long lo,
		    long hi)
{
	char *t = sim_x_child_text(parent, name), *end;
	long v;
	int rc = -1;

	if (t && *t) {
		v = strtol(t, &end, 10);
		if (*end == '\0' && v >= lo && v <= hi) {
			*out = (int)v;
			rc = 0;
		}
	}
	free(t);
	return rc;
}

/* "HH:MM" or "HH:MM:SS" into seconds after midnight. 0 or -1. */
static int read_time(int *out, const char *s)
{
	int h, m, sec = 0, n = 0;

	if (!s || sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || !isdigit((unsigned char)s[0]))
		return -1;
	if (s[n] == ':') {
		int n2 = 0;

		if (sscanf(s + n + 1, "%2d%n", &sec, &n2) != 1 || n2 != 2)
			return -1;
		n += 1 + n2;
	}
	if (s[n] != '\0' || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
		return -1;
	*out = h * 3600 + m * 60 + sec;
	return 0;
}

static int read_period(sim_tzrule_period *p, const xmlNode *tz, const char *name,
		       sim_status *st)
{
	xmlNode *el = sim_x_child(tz, name);
	char *t;
	int i, rc;

	memset(p, 0, sizeof(*p));
	if (!el)
		return sim_failf(st, "ErrorTimeZone", BAD_ZONE "TimeZone/%s is missing.", name);
	if (read_int(&p->bias, el, "Bias", -1440, 1440) < 0)
		return sim_failf(st, "ErrorTimeZone", BAD_ZONE
				 "TimeZone/%s/Bias must be a whole number of minutes between -1440 and 1440.",
				 name);
	t = sim_x_child_text(el, "Time");
	rc = read_time(&p->time, t);
	free(t);
	if (rc < 0)
		return sim_failf(st, "ErrorTimeZone", BAD_ZONE
				 "TimeZone/%s/Time must be a time of day as HH:MM:SS.", name);
	if (read_int(&p->month, el, "Month", 0, 12) < 0)
		return sim_failf(st, "ErrorTimeZone", BAD_ZONE
				 "TimeZone/%s/Month must be 1 to 12, or 0 for a zone without daylight time.",
				 name);
	if (read_int(&p->day_order, el, "DayOrder", 0, 5) < 0 ||
	    (p->month != 0 && p->day_order == 0))
		return sim_failf(st, "ErrorTimeZone", BAD_ZONE
				 "TimeZone/%s/DayOrder must be 1 to 5 (5 = the last one in the month).",
				 name);
	t = sim_x_child_text(el, "DayOfWeek");
	for (i = 0; i < 7 && (!t || strcmp(t, weekdays[i]) != 0); i++)
		;
	free(t);
	if (i == 7)
		return sim_failf(st, "ErrorTimeZone", BAD_ZONE
				 "TimeZone/%s/DayOfWeek must name one day (Sunday to Saturday).",
				 name);
	p->day_of_week = i;
	return 0;
}

int sim_tzrule_parse(sim_tzrule *out, const xmlNode *tz, sim_status *st)
{
	memset(out, 0, sizeof(*out));
	if (!tz)
		return sim_failf(st, "ErrorTimeZone", BAD_ZONE
				 "GetUserAvailabilityRequest needs a TimeZone element.");
	if (read_int(&out->bias, tz, "Bias", -1440, 1440) < 0)
		return sim_failf(st, "ErrorTimeZone", BAD_ZONE
				 "TimeZone/Bias must be a whole number of minutes between -1440 and 1440.");
	if (read_period(&out->std, tz, "StandardTime", st) < 0 ||
	    read_period(&out->dst, tz, "DaylightTime", st) < 0)
		return -1;
	if ((out->std.month == 0) != (out->dst.month == 0))
		return sim_failf(st, "ErrorTimeZone", BAD_ZONE
				 "TimeZone: StandardTime/Month and DaylightTime/Month must both be 0 "
				 "(no daylight time) or both name a month.");
	out->has_dst = out->std.month != 0;
	/* Exchange refuses both periods starting on the same day, a common
	 * (wrong) way clients write "no daylight time"; Month and DayOrder 0
	 * is the right one. */
	if (out->has_dst && out->std.month == out->dst.month &&
	    out->std.day_order == out->dst.day_order &&
	    out->std.day_of_week == out->dst.day_of_week)
		return sim_failf(st, "ErrorTimeZone", BAD_ZONE
				 "TimeZone: StandardTime and DaylightTime start on the same day.");
	return 0;
}

/* Local seconds of the transition into period p in year y. */
static int64_t transition_local(const sim_tzrule_period *p, int y)
{
	int64_t first = tz_days_from_civil(y, p->month, 1);
	int wd_first = (int)(((first % 7) + 7 + 4) % 7);   /* 1970-01-01: Thursday */
	int dim = tz_days_in_month(y, p->month);
	int day = 1 + (p->day_of_week - wd_first + 7) % 7 + 7 * (p->day_order - 1);

	while (day > dim)
		day -= 7;
	return (first + day - 1) * 86400 + p->time;
}

/* 1 if utc is in daylight time. Daylight time of year y runs from its
 * start to the next standard start; in the southern hemisphere that is in
 * year y + 1. */
static int in_dst(const sim_tzrule *z, int64_t utc)
{
	int y, m, d, year;

	if (!z->has_dst)
		return 0;
	tz_civil_from_days(&y, &m, &d, utc >= 0 ? utc / 86400 : (utc - 86399) / 86400);
	for (year = y - 1; year <= y; year++) {
		/* the clock shows standard time before daylight time begins,
		 * and daylight time before it ends */
		int64_t b = transition_local(&z->dst, year) +
			    (int64_t)(z->bias + z->std.bias) * 60;
		int64_t e = transition_local(&z->std, year) +
			    (int64_t)(z->bias + z->dst.bias) * 60;

		if (e <= b)
			e = transition_local(&z->std, year + 1) +
			    (int64_t)(z->bias + z->dst.bias) * 60;
		if (utc >= b && utc < e)
			return 1;
	}
	return 0;
}

int sim_tzrule_bias_at(const sim_tzrule *z, int64_t utc)
{
	return z->bias + (in_dst(z, utc) ? z->dst.bias : z->std.bias);
}

int64_t sim_tzrule_to_utc(const sim_tzrule *z, int64_t local)
{
	int64_t s = local + (int64_t)(z->bias + z->std.bias) * 60;
	int64_t d = local + (int64_t)(z->bias + z->dst.bias) * 60;
	int s_ok = !in_dst(z, s), d_ok = z->has_dst && in_dst(z, d);

	if (s_ok && d_ok)      /* repeated hour: the first occurrence */
		return s < d ? s : d;
	if (s_ok)
		return s;
	if (d_ok)
		return d;
	return s > d ? s : d;  /* skipped hour: moved forward by the gap */
}

int64_t sim_tzrule_to_local(const sim_tzrule *z, int64_t utc)
{
	return utc - (int64_t)sim_tzrule_bias_at(z, utc) * 60;
}

void sim_tzrule_format(char *out, const sim_tzrule *z, int64_t utc)
{
	int64_t local = sim_tzrule_to_local(z, utc);
	int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int64_t secs = local - days * 86400;
	int y, m, d;

	tz_civil_from_days(&y, &m, &d, days);
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, (int)(secs / 3600),
		 (int)(secs / 60 % 60), (int)(secs % 60));
}
