/* tz.h - ISO-8601 date-times from tool input, IANA time zones, and the
 * IANA <-> Windows zone-id mapping EWS needs.
 *
 * Zones are read from the system's compiled tz database (TZif files under
 * $TZDIR or /usr/share/zoneinfo, versions 1 to 4) without touching the
 * process's TZ variable, so any thread may convert in any zone at any
 * time. Loaded zones are immutable and cached for the life of the process.
 * "UTC" (and its aliases such as "Etc/UTC") is built in and works without
 * tzdata.
 *
 * Local wall times that do not exist (the hour skipped when clocks go
 * forward) or exist twice (the hour repeated when they go back) are
 * resolved the way Python's zoneinfo does with fold=0: the offset in force
 * *before* the transition is used. A skipped time therefore moves forward
 * by the size of the gap (02:30 on a spring-forward day in Berlin becomes
 * 03:30 CEST), and a repeated time means its first occurrence.
 *
 * Epoch values are seconds since 1970-01-01T00:00:00Z, ignoring leap
 * seconds, on the proleptic Gregorian calendar.
 */
#ifndef INCLUDE_tz_h__
#define INCLUDE_tz_h__

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/errinfo.h"

/* Which ISO-8601 form a string had. */
typedef enum tz_iso_form {
	TZ_ISO_DATE = 0,   /* 2025-12-20: a date, no time */
	TZ_ISO_NAIVE,      /* 2025-12-15T10:00:00: wall time, zone not given */
	TZ_ISO_UTC,        /* 2025-12-15T10:00:00Z */
	TZ_ISO_OFFSET      /* 2025-12-15T10:00:00+01:00 */
} tz_iso_form;

typedef struct tz_datetime {
	int year;        /* 1..9999 */
	int month;       /* 1..12 */
	int day;         /* 1..31 */
	int hour;        /* 0..23 (0 for TZ_ISO_DATE) */
	int minute;
	int second;      /* 0..59 */
	int usec;        /* fraction, microseconds (digits past 6 dropped) */
	int offset_sec;  /* seconds east of UTC (TZ_ISO_UTC: 0; DATE/NAIVE: 0) */
	tz_iso_form form;
} tz_datetime;

/* Parses YYYY-MM-DD, optionally followed by 'T' (or a space) and
 * HH:MM[:SS[.fraction]], optionally followed by Z or +HH:MM / -HH:MM
 * (also +HHMM, +HH). The value must be a real calendar date and time:
 * month 13, February 30, hour 24 or second 60 are refused. 0, or ERR_INVAL
 * with a message starting with field (e.g. "start_time: '2025-02-30' is
 * not a valid date: February 2025 has 28 days"). */
int tz_iso_parse(tz_datetime *out, const char *text, const char *field,
		 errinfo *err);

/* Days/seconds arithmetic on the proleptic Gregorian calendar. */
int64_t tz_days_from_civil(int year, int month, int day);
void tz_civil_from_days(int *year, int *month, int *day, int64_t days);
int tz_days_in_month(int year, int month);

typedef struct tz_zone tz_zone;

/* The zone for an IANA name ("Europe/Berlin"), loaded on first use and
 * cached; the pointer stays valid until tz_cache_clear. 0, ERR_NOTFOUND
 * ("unknown time zone 'Mars/Olympus'"), ERR_INVAL for names that cannot
 * be zone names (absolute paths, ".."), or ERR_PARSE for a corrupt file. */
int tz_zone_get(const tz_zone **out, const char *name, errinfo *err);

/* The built-in UTC zone (never fails, needs no tzdata). */
const tz_zone *tz_zone_utc(void);

/* The name the zone was looked up with. Borrowed. */
const char *tz_zone_name(const tz_zone *zone);

/* Parses TZif data (RFC 8536) into a new zone that is not cached: for
 * tests and for callers with their own zone files. 0 and a zone to
 * tz_zone_free, or ERR_PARSE naming what is wrong. */
int tz_zone_from_tzif(tz_zone **out, const char *name, const void *data,
		      size_t len, errinfo *err);
void tz_zone_free(tz_zone *zone);

/* Frees every cached zone (at shutdown, or in tests). No zone pointer
 * from tz_zone_get may be used afterwards. */
void tz_cache_clear(void);

/* Offset from UTC (seconds east) in force at utc; *is_dst (may be NULL)
 * receives whether it is daylight-saving time. */
int32_t tz_zone_offset(const tz_zone *zone, int64_t utc, int *is_dst);

/* The UTC instant of a wall-clock time in zone, given as seconds since
 * 1970-01-01T00:00:00 *local* (as if the zone were UTC). Gaps and overlaps
 * follow the fold=0 rule described at the top of this file. */
int64_t tz_local_to_utc(const tz_zone *zone, int64_t local);

/* The UTC instant of a parsed value: TZ_ISO_UTC and TZ_ISO_OFFSET carry
 * their own offset; TZ_ISO_NAIVE and TZ_ISO_DATE (midnight) are wall
 * times in zone. Fractions are dropped. */
int64_t tz_datetime_to_utc(const tz_datetime *dt, const tz_zone *zone);

/* The wall time of utc in zone, as a TZ_ISO_OFFSET value. */
void tz_datetime_from_utc(tz_datetime *out, int64_t utc, const tz_zone *zone);

/* Appends "2025-12-15T10:00:00Z". Returns buf_failed(out) ? -1 : 0. */
int tz_format_utc(buf *out, int64_t utc);

/* Appends the wall time of utc in zone with its offset,
 * "2025-12-15T11:00:00+01:00" (seconds of historic offsets shown as
 * "+00:53:28"). Returns buf_failed(out) ? -1 : 0. */
int tz_format_local(buf *out, int64_t utc, const tz_zone *zone);

/* The Windows time-zone id Exchange uses for an IANA zone
 * ("Europe/Berlin" -> "W. Europe Standard Time"), or NULL if the table
 * has none. Covers the primary zone of every Windows zone in CLDR's
 * windowsZones and common aliases. */
const char *tz_windows_from_iana(const char *iana);

/* The primary IANA zone of a Windows zone id ("Eastern Standard Time" ->
 * "America/New_York"), or NULL. Case is ignored. */
const char *tz_iana_from_windows(const char *windows_id);

/* Iterates the primary mapping: 0 and the pair for index i, or -1 past
 * the end. For tests and for listing. */
int tz_windows_entry(const char **windows_id, const char **iana, size_t i);

#endif
