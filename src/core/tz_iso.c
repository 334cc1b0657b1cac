/* tz_iso.c - ISO-8601 parsing and formatting, calendar arithmetic (the
 * tz_iso_*, tz_days_*, tz_civil_*, tz_format_* parts of tz.h).
 *
 * The accepted forms are those Python's datetime.fromisoformat accepts
 * for the tools' date arguments (with "Z" read as +00:00), so callers of
 * the Python server keep working. Errors name the argument and say which
 * part of the value is wrong.
 */
#include "core/tz.h"

#include <stdio.h>
#include <string.h>

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

static int is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int tz_days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month < 1 || month > 12)
		return 0;
	return days[month - 1] + (month == 2 && is_leap(year));
}

/* Howard Hinnant's days_from_civil: exact for any year, no tables. */
int64_t tz_days_from_civil(int year, int month, int day)
{
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void tz_civil_from_days(int *year, int *month, int *day, int64_t days)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);

	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = m;
	*year = (int)(yoe + era * 400 + (m <= 2));
}

/* Reads exactly n digits at *p; -1 if they are not all digits. */
static int digits(const char **p, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	return v;
}

static int bad(errinfo *err, const char *field, const char *text,
	       const char *why)
{
	return errinfo_set(err, ERR_INVAL,
			   "%s: '%s' is not an ISO-8601 date-time: %s (examples: 2025-12-15T10:00:00, 2025-12-15T10:00:00+01:00, 2025-12-15)",
			   field, text, why);
}

static int parse_offset(tz_datetime *out, const char **pp, const char *field,
			const char *text, errinfo *err)
{
	const char *p = *pp;
	int sign, hh, mm = 0;

	if (*p == 'Z' || *p == 'z') {
		out->form = TZ_ISO_UTC;
		out->offset_sec = 0;
		*pp = p + 1;
		return 0;
	}
	sign = *p == '-' ? -1 : 1;
	p++;
	hh = digits(&p, 2);
	if (hh < 0)
		return bad(err, field, text, "the UTC offset must look like +01:00");
	if (*p == ':')
		p++;
	if (*p >= '0' && *p <= '9') {
		mm = digits(&p, 2);
		if (mm < 0)
			return bad(err, field, text, "the UTC offset must look like +01:00");
	}
	if (hh > 23 || mm > 59)
		return errinfo_set(err, ERR_INVAL,
				   "%s: '%s' has an impossible UTC offset (hours 00..23, minutes 00..59)",
				   field, text);
	out->form = TZ_ISO_OFFSET;
	out->offset_sec = sign * (hh * 3600 + mm * 60);
	*pp = p;
	return 0;
}

int tz_iso_parse(tz_datetime *out, const char *text, const char *field,
		 errinfo *err)
{
	const char *p = text;
	int n;

	memset(out, 0, sizeof(*out));
	if (!field)
		field = "date-time";
	if (!text || !*text)
		return errinfo_set(err, ERR_INVAL,
				   "%s: empty value (examples: 2025-12-15T10:00:00, 2025-12-15)",
				   field);
	if ((out->year = digits(&p, 4)) < 0 || *p++ != '-' ||
	    (out->month = digits(&p, 2)) < 0 || *p++ != '-' ||
	    (out->day = digits(&p, 2)) < 0)
		return bad(err, field, text, "the date must be YYYY-MM-DD");
	if (out->year < 1)
		return errinfo_set(err, ERR_INVAL, "%s: '%s' has year 0000 (must be 0001..9999)",
				   field, text);
	if (out->month < 1 || out->month > 12)
		return errinfo_set(err, ERR_INVAL,
				   "%s: '%s' has month %d (must be 01..12)", field,
				   text, out->month);
	n = tz_days_in_month(out->year, out->month);
	if (out->day < 1 || out->day > n)
		return errinfo_set(err, ERR_INVAL,
				   "%s: '%s' is not a valid date: %s %d has %d days",
				   field, text, month_names[out->month - 1],
				   out->year, n);
	if (*p == '\0') {
		out->form = TZ_ISO_DATE;
		return 0;
	}
	if (*p != 'T' && *p != 't' && *p != ' ')
		return bad(err, field, text, "expected 'T' between date and time");
	p++;
	if ((out->hour = digits(&p, 2)) < 0 || *p++ != ':' ||
	    (out->minute = digits(&p, 2)) < 0)
		return bad(err, field, text, "the time must be HH:MM or HH:MM:SS");
	if (*p == ':') {
		p++;
		if ((out->second = digits(&p, 2)) < 0)
			return bad(err, field, text, "the seconds must be two digits");
		if (*p == '.' || *p == ',') {
			int scale = 100000, any = 0;

			for (p++; *p >= '0' && *p <= '9'; p++, any++) {
				out->usec += (*p - '0') * scale;
				scale /= 10;
			}
			if (!any)
				return bad(err, field, text, "no digits after the decimal point");
		}
	}
	if (out->hour > 23)
		return errinfo_set(err, ERR_INVAL,
				   "%s: '%s' has hour %d (must be 00..23)", field,
				   text, out->hour);
	if (out->minute > 59)
		return errinfo_set(err, ERR_INVAL,
				   "%s: '%s' has minute %d (must be 00..59)", field,
				   text, out->minute);
	if (out->second > 59)
		return errinfo_set(err, ERR_INVAL,
				   "%s: '%s' has second %d (must be 00..59)", field,
				   text, out->second);
	out->form = TZ_ISO_NAIVE;
	if (*p == 'Z' || *p == 'z' || *p == '+' || *p == '-') {
		int error = parse_offset(out, &p, field, text, err);

		if (error < 0)
			return error;
	}
	if (*p != '\0')
		return bad(err, field, text, "unexpected text after the time");
	return 0;
}

int64_t tz_datetime_to_utc(const tz_datetime *dt, const tz_zone *zone)
{
	int64_t local = tz_days_from_civil(dt->year, dt->month, dt->day) * 86400 +
			dt->hour * 3600 + dt->minute * 60 + dt->second;

	switch (dt->form) {
	case TZ_ISO_UTC:
	case TZ_ISO_OFFSET:
		return local - dt->offset_sec;
	case TZ_ISO_DATE:
	case TZ_ISO_NAIVE:
	default:
		return tz_local_to_utc(zone ? zone : tz_zone_utc(), local);
	}
}

static void split(tz_datetime *out, int64_t local)
{
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int64_t secs = local - days * 86400;

	tz_civil_from_days(&out->year, &out->month, &out->day, days);
	out->hour = (int)(secs / 3600);
	out->minute = (int)(secs / 60 % 60);
	out->second = (int)(secs % 60);
}

void tz_datetime_from_utc(tz_datetime *out, int64_t utc, const tz_zone *zone)
{
	int32_t off = tz_zone_offset(zone ? zone : tz_zone_utc(), utc, NULL);

	memset(out, 0, sizeof(*out));
	split(out, utc + off);
	out->offset_sec = off;
	out->form = TZ_ISO_OFFSET;
}

static void put_civil(buf *out, const tz_datetime *dt)
{
	buf_printf(out, "%04d-%02d-%02dT%02d:%02d:%02d", dt->year, dt->month,
		   dt->day, dt->hour, dt->minute, dt->second);
}

int tz_format_utc(buf *out, int64_t utc)
{
	tz_datetime dt;

	memset(&dt, 0, sizeof(dt));
	split(&dt, utc);
	put_civil(out, &dt);
	buf_putc(out, 'Z');
	return buf_failed(out) ? -1 : 0;
}

int tz_format_local(buf *out, int64_t utc, const tz_zone *zone)
{
	tz_datetime dt;
	int off;

	tz_datetime_from_utc(&dt, utc, zone);
	put_civil(out, &dt);
	off = dt.offset_sec < 0 ? -dt.offset_sec : dt.offset_sec;
	buf_printf(out, "%c%02d:%02d", dt.offset_sec < 0 ? '-' : '+',
		   off / 3600, off / 60 % 60);
	if (off % 60)
		buf_printf(out, ":%02d", off % 60);
	return buf_failed(out) ? -1 : 0;
}
