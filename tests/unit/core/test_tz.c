/* test_tz.c - ISO-8601 parsing, TZif zones, DST gaps and overlaps, the
 * POSIX footer, formatting and the Windows zone mapping (src/core/tz*.c).
 *
 * Expected instants were computed with Python's zoneinfo (fold=0), the
 * behaviour tz.h promises to match. Nothing here reads the machine's
 * local time zone: main() sets TZ to an exotic zone to prove it. */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tz.h"

static int have_tzdata(void)
{
	const tz_zone *z;
	errinfo err = ERRINFO_INIT;

	return tz_zone_get(&z, "Europe/Berlin", &err) == 0;
}

#define NEED_TZDATA()                                                   \
	do {                                                            \
		if (!have_tzdata()) {                                   \
			print_message("tzdata missing: skipped\n");     \
			skip();                                         \
		}                                                       \
	} while (0)

/* ---- parsing ---- */

static const struct {
	const char *in;
	tz_iso_form form;
	int y, mo, d, h, mi, s, usec, off;
} good_rows[] = {
	{ "2025-12-15T10:00:00", TZ_ISO_NAIVE, 2025, 12, 15, 10, 0, 0, 0, 0 },
	{ "2025-12-15T10:00:00Z", TZ_ISO_UTC, 2025, 12, 15, 10, 0, 0, 0, 0 },
	{ "2025-12-15t10:00:00z", TZ_ISO_UTC, 2025, 12, 15, 10, 0, 0, 0, 0 },
	{ "2025-12-15T10:00:00+01:00", TZ_ISO_OFFSET, 2025, 12, 15, 10, 0, 0, 0, 3600 },
	{ "2025-12-15T10:00:00-05:30", TZ_ISO_OFFSET, 2025, 12, 15, 10, 0, 0, 0, -19800 },
	{ "2025-12-15T10:00:00+0100", TZ_ISO_OFFSET, 2025, 12, 15, 10, 0, 0, 0, 3600 },
	{ "2025-12-15T10:00:00+01", TZ_ISO_OFFSET, 2025, 12, 15, 10, 0, 0, 0, 3600 },
	{ "2025-12-15T10:00:00.5Z", TZ_ISO_UTC, 2025, 12, 15, 10, 0, 0, 500000, 0 },
	{ "2025-12-15T10:00:00.123456789+02:00", TZ_ISO_OFFSET, 2025, 12, 15, 10, 0, 0, 123456, 7200 },
	{ "2025-12-15T10:00:00,25", TZ_ISO_NAIVE, 2025, 12, 15, 10, 0, 0, 250000, 0 },
	{ "2025-12-15 23:59:59", TZ_ISO_NAIVE, 2025, 12, 15, 23, 59, 59, 0, 0 },
	{ "2025-12-15T08:30", TZ_ISO_NAIVE, 2025, 12, 15, 8, 30, 0, 0, 0 },
	{ "2025-12-20", TZ_ISO_DATE, 2025, 12, 20, 0, 0, 0, 0, 0 },
	{ "2024-02-29", TZ_ISO_DATE, 2024, 2, 29, 0, 0, 0, 0, 0 },
	{ "2000-02-29T00:00:00Z", TZ_ISO_UTC, 2000, 2, 29, 0, 0, 0, 0, 0 },
};

static void test_parse_valid(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good_rows) / sizeof(good_rows[0]); i++) {
		tz_datetime dt;
		errinfo err = ERRINFO_INIT;

		if (tz_iso_parse(&dt, good_rows[i].in, "start", &err) != 0)
			fail_msg("%s: %s", good_rows[i].in, err.msg);
		assert_int_equal(dt.form, good_rows[i].form);
		assert_int_equal(dt.year, good_rows[i].y);
		assert_int_equal(dt.month, good_rows[i].mo);
		assert_int_equal(dt.day, good_rows[i].d);
		assert_int_equal(dt.hour, good_rows[i].h);
		assert_int_equal(dt.minute, good_rows[i].mi);
		assert_int_equal(dt.second, good_rows[i].s);
		assert_int_equal(dt.usec, good_rows[i].usec);
		assert_int_equal(dt.offset_sec, good_rows[i].off);
	}
}

static const struct {
	const char *in, *want;
} bad_rows[] = {
	{ "2025-13-01", "start_time: '2025-13-01' has month 13 (must be 01..12)" },
	{ "2025-00-10T10:00:00", "start_time: '2025-00-10T10:00:00' has month 0 (must be 01..12)" },
	{ "2025-02-30", "start_time: '2025-02-30' is not a valid date: February 2025 has 28 days" },
	{ "2023-02-29T10:00:00", "start_time: '2023-02-29T10:00:00' is not a valid date: February 2023 has 28 days" },
	{ "1900-02-29", "February 1900 has 28 days" },
	{ "2025-04-31", "April 2025 has 30 days" },
	{ "2025-12-15T24:00:00", "start_time: '2025-12-15T24:00:00' has hour 24 (must be 00..23)" },
	{ "2025-12-15T10:60:00", "has minute 60 (must be 00..59)" },
	{ "2025-12-15T10:00:60", "has second 60 (must be 00..59)" },
	{ "2025-12-15T10:00:00+25:00", "impossible UTC offset" },
	{ "2025-12-15T10:00:00+01:60", "impossible UTC offset" },
	{ "2025-12-15T10:00:00 PST", "unexpected text after the time" },
	{ "2025-12-15T10:00:00+1", "the UTC offset must look like +01:00" },
	{ "2025-12-15T10", "the time must be HH:MM or HH:MM:SS" },
	{ "2025-12-15T10:00:00.", "no digits after the decimal point" },
	{ "2025-12-15X10:00:00", "expected 'T' between date and time" },
	{ "15.12.2025", "the date must be YYYY-MM-DD" },
	{ "2025/12/15", "the date must be YYYY-MM-DD" },
	{ "20251215", "the date must be YYYY-MM-DD" },
	{ "0000-01-01", "has year 0000" },
	{ "tomorrow", "start_time: 'tomorrow' is not an ISO-8601 date-time" },
	{ "", "start_time: empty value" },
};

static void test_parse_invalid(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		tz_datetime dt;
		errinfo err = ERRINFO_INIT;

		assert_int_equal(tz_iso_parse(&dt, bad_rows[i].in, "start_time", &err), ERR_INVAL);
		if (!strstr(err.msg, bad_rows[i].want))
			fail_msg("%s: got '%s', want '%s'", bad_rows[i].in, err.msg, bad_rows[i].want);
	}
}

/* ---- calendar ---- */

static void test_civil_round_trip(void **state)
{
	int64_t d;

	(void)state;
	assert_int_equal(tz_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(tz_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(tz_days_from_civil(1969, 12, 31), -1);
	for (d = -800000; d < 800000; d += 997) {
		int y, m, day;

		tz_civil_from_days(&y, &m, &day, d);
		assert_int_equal(tz_days_from_civil(y, m, day), d);
	}
}

/* ---- zones: offsets and wall time ---- */

/* Rows: zone, UTC instant, expected offset, expected DST flag. */
static const struct {
	const char *zone;
	int64_t utc;
	int32_t off;
	int dst;
} offsets[] = {
	/* Berlin spring forward 2025-03-30 01:00Z, fall back 2025-10-26 01:00Z */
	{ "Europe/Berlin", 1743296399, 3600, 0 },
	{ "Europe/Berlin", 1743296400, 7200, 1 },
	{ "Europe/Berlin", 1761440399, 7200, 1 },
	{ "Europe/Berlin", 1761440400, 3600, 0 },
	/* New York 2025-03-09 07:00Z and 2025-11-02 06:00Z */
	{ "America/New_York", 1741503599, -18000, 0 },
	{ "America/New_York", 1741503600, -14400, 1 },
	{ "America/New_York", 1762063199, -14400, 1 },
	{ "America/New_York", 1762063200, -18000, 0 },
	/* Past the last transition (2037): the POSIX footer decides. */
	{ "Europe/Berlin", 2540282400, 7200, 1 },       /* 2050-07-01 */
	{ "Europe/Berlin", 2526379200, 3600, 0 },       /* 2050-01-21 */
	{ "Australia/Sydney", 2525821200, 39600, 1 },   /* 2050-01-15, southern summer */
	{ "Australia/Sydney", 2540282400, 36000, 0 },   /* 2050-07-01 */
	/* Footer rules with hours past 24 and negative (TZif v3). */
	{ "Asia/Jerusalem", 2531779199, 7200, 0 },
	{ "Asia/Jerusalem", 2531779200, 10800, 1 },
	{ "America/Nuuk", 2531955599, -7200, 0 },
	{ "America/Nuuk", 2531955600, -3600, 1 },
	/* Local mean time before the first transition. */
	{ "Europe/Amsterdam", -2208988800, 1172, 0 },
	{ "Asia/Kolkata", 1765792800, 19800, 0 },
	{ "UTC", 1765792800, 0, 0 },
};

static void test_offsets(void **state)
{
	size_t i;

	(void)state;
	NEED_TZDATA();
	for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		const tz_zone *z;
		errinfo err = ERRINFO_INIT;
		int dst = -1;

		assert_int_equal(tz_zone_get(&z, offsets[i].zone, &err), 0);
		if (tz_zone_offset(z, offsets[i].utc, &dst) != offsets[i].off || dst != offsets[i].dst)
			fail_msg("%s at %lld: got %d dst %d, want %d dst %d", offsets[i].zone,
				 (long long)offsets[i].utc, tz_zone_offset(z, offsets[i].utc, NULL),
				 dst, offsets[i].off, offsets[i].dst);
	}
}

/* Rows: zone, naive local text, expected UTC (fold=0 rule). */
static const struct {
	const char *zone, *local;
	int64_t utc;
} walls[] = {
	{ "Europe/Berlin", "2025-12-15T11:00:00", 1765792800 },
	{ "Europe/Berlin", "2025-03-30T01:59:59", 1743296399 },
	{ "Europe/Berlin", "2025-03-30T02:30:00", 1743298200 }, /* gap -> 03:30 CEST */
	{ "Europe/Berlin", "2025-03-30T03:30:00", 1743298200 },
	{ "Europe/Berlin", "2025-10-26T02:30:00", 1761438600 }, /* overlap -> first (CEST) */
	{ "Europe/Berlin", "2025-10-26T03:00:00", 1761444000 },
	{ "America/New_York", "2025-03-09T02:30:00", 1741505400 }, /* gap */
	{ "America/New_York", "2025-11-02T01:30:00", 1762061400 }, /* overlap: EDT */
	{ "America/New_York", "2025-11-02T02:30:00", 1762068600 },
	{ "Asia/Jerusalem", "2050-03-25T02:30:00", 2531781000 },   /* gap via footer */
	{ "Asia/Jerusalem", "2050-03-25T12:00:00", 2531811600 },
	{ "America/Nuuk", "2050-03-26T22:30:00", 2531953800 },
	{ "Europe/Amsterdam", "1900-01-01T00:00:00", -2208989972 },
	{ "Asia/Kolkata", "2025-12-15T15:30:00", 1765792800 },
	{ "UTC", "2025-12-15T10:00:00", 1765792800 },
};

static void test_wall_to_utc(void **state)
{
	size_t i;

	(void)state;
	NEED_TZDATA();
	for (i = 0; i < sizeof(walls) / sizeof(walls[0]); i++) {
		const tz_zone *z;
		tz_datetime dt;
		errinfo err = ERRINFO_INIT;
		int64_t got;

		assert_int_equal(tz_zone_get(&z, walls[i].zone, &err), 0);
		assert_int_equal(tz_iso_parse(&dt, walls[i].local, "t", &err), 0);
		got = tz_datetime_to_utc(&dt, z);
		if (got != walls[i].utc)
			fail_msg("%s %s: got %lld want %lld", walls[i].zone, walls[i].local,
				 (long long)got, (long long)walls[i].utc);
	}
}

static void test_aware_and_date_forms(void **state)
{
	const tz_zone *berlin;
	tz_datetime dt;
	errinfo err = ERRINFO_INIT;

	(void)state;
	NEED_TZDATA();
	assert_int_equal(tz_zone_get(&berlin, "Europe/Berlin", &err), 0);
	/* An explicit offset or Z ignores the zone. */
	assert_int_equal(tz_iso_parse(&dt, "2025-12-15T10:00:00Z", "t", &err), 0);
	assert_int_equal(tz_datetime_to_utc(&dt, berlin), 1765792800);
	assert_int_equal(tz_iso_parse(&dt, "2025-12-15T05:00:00-05:00", "t", &err), 0);
	assert_int_equal(tz_datetime_to_utc(&dt, berlin), 1765792800);
	/* A date is local midnight. */
	assert_int_equal(tz_iso_parse(&dt, "2025-12-15", "t", &err), 0);
	assert_int_equal(tz_datetime_to_utc(&dt, berlin), 1765792800 - 11 * 3600);
	assert_int_equal(tz_datetime_to_utc(&dt, NULL), 1765792800 - 10 * 3600);
}

/* ---- formatting ---- */

static const struct {
	const char *zone;
	int64_t utc;
	const char *want_utc, *want_local;
} formats[] = {
	{ "Europe/Berlin", 1765792800, "2025-12-15T10:00:00Z", "2025-12-15T11:00:00+01:00" },
	{ "Europe/Berlin", 1751364000, "2025-07-01T10:00:00Z", "2025-07-01T12:00:00+02:00" },
	{ "America/New_York", 1000000000, "2001-09-09T01:46:40Z", "2001-09-08T21:46:40-04:00" },
	{ "Asia/Kolkata", 1765792800, "2025-12-15T10:00:00Z", "2025-12-15T15:30:00+05:30" },
	{ "Europe/Amsterdam", -2208988800, "1900-01-01T00:00:00Z", "1900-01-01T00:19:32+00:19:32" },
	{ "America/Nuuk", 2540000000, "2050-06-28T03:33:20Z", "2050-06-28T02:33:20-01:00" },
	{ "UTC", -1, "1969-12-31T23:59:59Z", "1969-12-31T23:59:59+00:00" },
};

static void test_format(void **state)
{
	size_t i;

	(void)state;
	NEED_TZDATA();
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		buf a = BUF_INIT(64), b = BUF_INIT(64);
		const tz_zone *z;
		errinfo err = ERRINFO_INIT;

		assert_int_equal(tz_zone_get(&z, formats[i].zone, &err), 0);
		assert_int_equal(tz_format_utc(&a, formats[i].utc), 0);
		assert_int_equal(tz_format_local(&b, formats[i].utc, z), 0);
		assert_string_equal(buf_cstr(&a), formats[i].want_utc);
		assert_string_equal(buf_cstr(&b), formats[i].want_local);
		buf_dispose(&a);
		buf_dispose(&b);
	}
	{
		buf tiny = BUF_INIT(5);

		assert_int_equal(tz_format_utc(&tiny, 0), -1);
		buf_dispose(&tiny);
	}
}

/* ---- zone lookup errors and UTC without tzdata ---- */

static void test_unknown_and_bad_names(void **state)
{
	static const struct {
		const char *name;
		int code;
		const char *want;
	} rows[] = {
		{ "Mars/Olympus_Mons", ERR_NOTFOUND, "unknown time zone 'Mars/Olympus_Mons'" },
		{ "Europe", ERR_NOTFOUND, "unknown time zone 'Europe'" },
		{ "zone.tab", ERR_NOTFOUND, "unknown time zone 'zone.tab'" },
		{ "../../etc/passwd", ERR_INVAL, "is not a time zone name" },
		{ "Europe/../../etc/passwd", ERR_INVAL, "is not a time zone name" },
		{ "/etc/localtime", ERR_INVAL, "is not a time zone name" },
		{ "Europe/Berlin ", ERR_INVAL, "is not a time zone name" },
		{ "", ERR_INVAL, "empty time zone name" },
	};
	size_t i;

	(void)state;
	NEED_TZDATA();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const tz_zone *z = (const tz_zone *)1;
		errinfo err = ERRINFO_INIT;

		assert_int_equal(tz_zone_get(&z, rows[i].name, &err), rows[i].code);
		assert_null(z);
		if (!strstr(err.msg, rows[i].want))
			fail_msg("%s: '%s'", rows[i].name, err.msg);
	}
}

static void test_utc_without_tzdata(void **state)
{
	const char *old = getenv("TZDIR");
	char *saved = old ? strdup(old) : NULL;
	const tz_zone *z;
	errinfo err = ERRINFO_INIT;
	buf b = BUF_INIT(64);

	(void)state;
	tz_cache_clear();
	setenv("TZDIR", "/nonexistent/zoneinfo", 1);
	assert_int_equal(tz_zone_get(&z, "Etc/UTC", &err), 0);
	assert_ptr_equal(z, tz_zone_utc());
	assert_int_equal(tz_zone_get(&z, "UTC", &err), 0);
	assert_int_equal(tz_zone_offset(z, 1765792800, NULL), 0);
	tz_format_local(&b, 1765792800, z);
	assert_string_equal(buf_cstr(&b), "2025-12-15T10:00:00+00:00");
	assert_int_equal(tz_zone_get(&z, "Europe/Paris", &err), ERR_NOTFOUND);
	assert_non_null(strstr(err.msg, "install tzdata"));
	if (saved)
		setenv("TZDIR", saved, 1);
	else
		unsetenv("TZDIR");
	free(saved);
	buf_dispose(&b);
}

/* ---- TZif parsing from bytes (v1 and v2+ with footer only) ---- */

static size_t put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	return 4;
}

/* A version 1 file: +01:00 until 10^9, then +02:00 (DST). */
static size_t make_v1(unsigned char *p)
{
	size_t n = 0;

	memcpy(p, "TZif", 4);
	memset(p + 4, 0, 16);
	n = 20;
	n += put32(p + n, 0);  /* isutcnt */
	n += put32(p + n, 0);  /* isstdcnt */
	n += put32(p + n, 0);  /* leapcnt */
	n += put32(p + n, 1);  /* timecnt */
	n += put32(p + n, 2);  /* typecnt */
	n += put32(p + n, 8);  /* charcnt */
	n += put32(p + n, 1000000000);
	p[n++] = 1;
	n += put32(p + n, 3600);
	p[n++] = 0;
	p[n++] = 0;
	n += put32(p + n, 7200);
	p[n++] = 1;
	p[n++] = 4;
	memcpy(p + n, "AAA\0BBB\0", 8);
	return n + 8;
}

/* A version 2 file with no transitions, only the US Eastern footer. */
static size_t make_v2_footer(unsigned char *p, const char *footer)
{
	size_t n = 0, k;

	for (k = 0; k < 2; k++) {
		memcpy(p + n, "TZif2", 5);
		memset(p + n + 5, 0, 15);
		n += 20;
		n += put32(p + n, 0);
		n += put32(p + n, 0);
		n += put32(p + n, 0);
		n += put32(p + n, 0);
		n += put32(p + n, 1);
		n += put32(p + n, 4);
		n += put32(p + n, (uint32_t)-18000);
		p[n++] = 0;
		p[n++] = 0;
		memcpy(p + n, "EST\0", 4);
		n += 4;
	}
	n += (size_t)sprintf((char *)p + n, "\n%s\n", footer);
	return n;
}

static void test_tzif_from_bytes(void **state)
{
	unsigned char data[512];
	tz_zone *z = NULL;
	errinfo err = ERRINFO_INIT;
	size_t len;
	int dst;

	(void)state;
	len = make_v1(data);
	assert_int_equal(tz_zone_from_tzif(&z, "Test/V1", data, len, &err), 0);
	assert_string_equal(tz_zone_name(z), "Test/V1");
	assert_int_equal(tz_zone_offset(z, 999999999, &dst), 3600);
	assert_int_equal(dst, 0);
	assert_int_equal(tz_zone_offset(z, 1000000000, &dst), 7200);
	assert_int_equal(dst, 1);
	assert_int_equal(tz_zone_offset(z, -5000000000LL, NULL), 3600);
	tz_zone_free(z);

	len = make_v2_footer(data, "EST5EDT,M3.2.0,M11.1.0");
	assert_int_equal(tz_zone_from_tzif(&z, "Test/V2", data, len, &err), 0);
	assert_int_equal(tz_zone_offset(z, 1741503599, NULL), -18000);
	assert_int_equal(tz_zone_offset(z, 1741503600, NULL), -14400);
	assert_int_equal(tz_local_to_utc(z, 1741487400 /* 2025-03-09T02:30 local */), 1741505400);
	tz_zone_free(z);

	/* "EST5EDT" without rules: the US rules by default. */
	len = make_v2_footer(data, "EST5EDT");
	assert_int_equal(tz_zone_from_tzif(&z, "Test/V2b", data, len, &err), 0);
	assert_int_equal(tz_zone_offset(z, 1762063200, NULL), -18000);
	assert_int_equal(tz_zone_offset(z, 1762063199, NULL), -14400);
	tz_zone_free(z);

	/* Quoted names and a fixed zone. */
	len = make_v2_footer(data, "<+0530>-5:30");
	assert_int_equal(tz_zone_from_tzif(&z, "Test/V2c", data, len, &err), 0);
	assert_int_equal(tz_zone_offset(z, 1765792800, NULL), 19800);
	tz_zone_free(z);
}

static void test_tzif_corrupt(void **state)
{
	unsigned char data[512];
	static const char *const footers[] = { "EST5EDT,M13.1.0,M11.1.0", "5EST", "EST5EDT,M3.2.0" };
	tz_zone *z = (tz_zone *)1;
	size_t len, i;

	(void)state;
	len = make_v1(data);
	{
		errinfo err = ERRINFO_INIT;

		assert_int_equal(tz_zone_from_tzif(&z, "T", data, len - 5, &err), ERR_PARSE);
		assert_null(z);
		assert_non_null(strstr(err.msg, "time zone 'T': corrupt TZif data: version 1 data truncated"));
	}
	{
		errinfo err = ERRINFO_INIT;

		data[0] = 'X';
		assert_int_equal(tz_zone_from_tzif(&z, "T", data, len, &err), ERR_PARSE);
		assert_non_null(strstr(err.msg, "no TZif magic"));
		data[0] = 'T';
	}
	{
		errinfo err = ERRINFO_INIT;

		data[44 + 4] = 9; /* transition names type 9 of 2 */
		assert_int_equal(tz_zone_from_tzif(&z, "T", data, len, &err), ERR_PARSE);
		assert_non_null(strstr(err.msg, "missing type"));
	}
	for (i = 0; i < sizeof(footers) / sizeof(footers[0]); i++) {
		errinfo err = ERRINFO_INIT;

		len = make_v2_footer(data, footers[i]);
		assert_int_equal(tz_zone_from_tzif(&z, "T", data, len, &err), ERR_PARSE);
		assert_non_null(strstr(err.msg, "footer is not a POSIX TZ string"));
	}
}

/* Every prefix of a real file either parses or fails cleanly (ASan
 * watches for reads past the end). */
static void test_tzif_truncations(void **state)
{
	size_t len = 0, n;
	char *data;

	(void)state;
	NEED_TZDATA();
	data = testutil_read_file("/usr/share/zoneinfo/America/Nuuk", &len);
	if (!data)
		skip();
	for (n = 0; n <= len; n++) {
		/* An exact-size copy, so ASan sees any read past the end. */
		unsigned char *copy = malloc(n ? n : 1);
		tz_zone *z = NULL;
		errinfo err = ERRINFO_INIT;

		memcpy(copy, data, n);
		if (tz_zone_from_tzif(&z, "Nuuk", copy, n, &err) == 0)
			tz_zone_offset(z, 2540000000, NULL);
		else
			assert_non_null(strstr(err.msg, "corrupt TZif data"));
		tz_zone_free(z);
		free(copy);
	}
	free(data);
}

/* ---- Windows ids ---- */

static const struct {
	const char *iana, *windows;
} maps[] = {
	{ "Europe/Berlin", "W. Europe Standard Time" },
	{ "America/New_York", "Eastern Standard Time" },
	{ "UTC", "UTC" },
	{ "Etc/UTC", "UTC" },
	{ "America/Los_Angeles", "Pacific Standard Time" },
	{ "Europe/London", "GMT Standard Time" },
	{ "Asia/Tokyo", "Tokyo Standard Time" },
	{ "Asia/Kolkata", "India Standard Time" },
	{ "Asia/Calcutta", "India Standard Time" },
	{ "Australia/Sydney", "AUS Eastern Standard Time" },
	{ "Australia/Melbourne", "AUS Eastern Standard Time" },
	{ "Europe/Paris", "Romance Standard Time" },
	{ "Europe/Vienna", "W. Europe Standard Time" },
	{ "Europe/Prague", "Central Europe Standard Time" },
	{ "America/Toronto", "Eastern Standard Time" },
	{ "America/Phoenix", "US Mountain Standard Time" },
	{ "Asia/Shanghai", "China Standard Time" },
	{ "Asia/Hong_Kong", "China Standard Time" },
	{ "Europe/Kyiv", "FLE Standard Time" },
	{ "Europe/Kiev", "FLE Standard Time" },
	{ "Etc/GMT+12", "Dateline Standard Time" },
	{ "Pacific/Auckland", "New Zealand Standard Time" },
	{ "US/Eastern", "Eastern Standard Time" },
};

static void test_windows_mapping(void **state)
{
	const char *w, *i2;
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		w = tz_windows_from_iana(maps[i].iana);
		if (!w || strcmp(w, maps[i].windows) != 0)
			fail_msg("%s -> %s, want %s", maps[i].iana, w ? w : "NULL", maps[i].windows);
	}
	assert_string_equal(tz_iana_from_windows("W. Europe Standard Time"), "Europe/Berlin");
	assert_string_equal(tz_iana_from_windows("eastern standard time"), "America/New_York");
	assert_string_equal(tz_iana_from_windows("UTC"), "Etc/UTC");
	assert_string_equal(tz_iana_from_windows("Tokyo Standard Time"), "Asia/Tokyo");
	assert_null(tz_iana_from_windows("Mars Standard Time"));
	assert_null(tz_windows_from_iana("Mars/Olympus"));
	assert_null(tz_windows_from_iana(NULL));

	/* Every primary pair round-trips and ids are unique. */
	while (tz_windows_entry(&w, &i2, n) == 0) {
		const char *w2, *i3;
		size_t k;

		assert_string_equal(tz_windows_from_iana(i2), w);
		assert_string_equal(tz_iana_from_windows(w), i2);
		for (k = 0; k < n; k++) {
			assert_int_equal(tz_windows_entry(&w2, &i3, k), 0);
			assert_string_not_equal(w2, w);
		}
		n++;
	}
	assert_true(n >= 135);
}

/* Every IANA name in the table exists in the installed tz database. */
static void test_windows_mapping_zones_load(void **state)
{
	const char *w, *iana;
	size_t n;

	(void)state;
	NEED_TZDATA();
	for (n = 0; tz_windows_entry(&w, &iana, n) == 0; n++) {
		const tz_zone *z;
		errinfo err = ERRINFO_INIT;

		if (tz_zone_get(&z, iana, &err) != 0)
			fail_msg("%s (%s): %s", iana, w, err.msg);
	}
}

/* ---- threads ---- */

static void *convert_many(void *arg)
{
	const char *const names[] = { "Europe/Berlin", "America/New_York", "Asia/Tokyo",
				      "Australia/Sydney", "America/Sao_Paulo" };
	intptr_t k = (intptr_t)arg;
	int i, bad = 0;

	for (i = 0; i < 2000; i++) {
		const tz_zone *z;
		errinfo err = ERRINFO_INIT;
		int64_t t = 1700000000 + (int64_t)i * 7919;

		if (tz_zone_get(&z, names[(i + k) % 5], &err) != 0) {
			bad++;
			continue;
		}
		/* The wall time of t maps back to t, or to the first
		 * occurrence of that wall time when t is in a repeated hour;
		 * either way to an instant that shows the same wall time. */
		{
			int64_t local = t + tz_zone_offset(z, t, NULL);
			int64_t back = tz_local_to_utc(z, local);

			if (back > t || back + tz_zone_offset(z, back, NULL) != local)
				bad++;
		}
	}
	return (void *)(intptr_t)bad;
}

static void test_threads(void **state)
{
	pthread_t th[4];
	intptr_t i;

	(void)state;
	NEED_TZDATA();
	tz_cache_clear();
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, convert_many, (void *)i), 0);
	for (i = 0; i < 4; i++) {
		void *bad;

		pthread_join(th[i], &bad);
		assert_int_equal((intptr_t)bad, 0);
	}
}

static int teardown(void **state)
{
	(void)state;
	tz_cache_clear();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_invalid),
		cmocka_unit_test(test_civil_round_trip),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_wall_to_utc),
		cmocka_unit_test(test_aware_and_date_forms),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_unknown_and_bad_names),
		cmocka_unit_test(test_utc_without_tzdata),
		cmocka_unit_test(test_tzif_from_bytes),
		cmocka_unit_test(test_tzif_corrupt),
		cmocka_unit_test(test_tzif_truncations),
		cmocka_unit_test(test_windows_mapping),
		cmocka_unit_test(test_windows_mapping_zones_load),
		cmocka_unit_test(test_threads),
	};

	/* The code under test must not depend on the process's zone. */
	setenv("TZ", "Pacific/Chatham", 1);
	return cmocka_run_group_tests(tests, NULL, teardown);
}
