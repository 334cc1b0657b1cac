/* dates.c - Exchange times, local midnights and local ISO output (dates.h). */
#include "tools/dates.h"

#include "core/buf.h"

int tools_date_zone(const tz_zone **out, const cfg *conf, errinfo *err)
{
	const char *name = conf && conf->timezone && conf->timezone[0] ? conf->timezone : "UTC";
	errinfo local = ERRINFO_INIT;

	if (tz_zone_get(out, name, &local) < 0)
		return errinfo_set(err, ERR_CONFIG, "TIMEZONE: cannot use time zone '%s': %s",
				   name, local.msg);
	return 0;
}

int tools_date_from_exchange(int64_t *out, const char *text)
{
	errinfo err = ERRINFO_INIT;
	tz_datetime dt;

	*out = 0;
	if (!text || tz_iso_parse(&dt, text, "time", &err) < 0 || dt.form == TZ_ISO_DATE)
		return -1;
	*out = tz_datetime_to_utc(&dt, tz_zone_utc());
	return 0;
}

/* Seconds since 1970-01-01T00:00:00 local of the midnight that starts
 * utc's local day. */
static int64_t local_day_start(int64_t utc, const tz_zone *zone)
{
	tz_datetime dt;

	tz_datetime_from_utc(&dt, utc, zone);
	return tz_days_from_civil(dt.year, dt.month, dt.day) * 86400;
}

int64_t tools_date_midnight(int64_t utc, const tz_zone *zone, int round_up)
{
	int64_t day = local_day_start(utc, zone);
	int64_t start = tz_local_to_utc(zone, day);

	if (round_up && start < utc)
		return tz_local_to_utc(zone, day + 86400);
	return start;
}

int64_t tools_date_add_days(int64_t utc, const tz_zone *zone, int days)
{
	tz_datetime dt;
	int64_t wall;

	tz_datetime_from_utc(&dt, utc, zone);
	wall = tz_days_from_civil(dt.year, dt.month, dt.day) * 86400 + dt.hour * 3600 +
	       dt.minute * 60 + dt.second;
	return tz_local_to_utc(zone, wall + (int64_t)days * 86400);
}

json_t *tools_date_local(int64_t utc, const tz_zone *zone)
{
	buf b = BUF_INIT(64);
	json_t *out;

	tz_format_local(&b, utc, zone);
	out = json_string(buf_failed(&b) ? "" : buf_cstr(&b));
	buf_dispose(&b);
	return out;
}
