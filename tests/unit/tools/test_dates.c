/* test_dates.c - the date arithmetic of the calendar, task and OOF tools
 * (src/tools/dates.c): Exchange's times, local midnights across clock
 * changes, wall-clock day steps and local ISO output. Expected instants
 * were computed with GNU date. */
#include "testutil.h"

#include <string.h>

#include "tools/dates.h"

static const tz_zone *berlin(void)
{
	const tz_zone *z = NULL;
	errinfo err = ERRINFO_INIT;

	if (tz_zone_get(&z, "Europe/Berlin", &err) < 0) {
		print_message("tzdata missing: skipped\n");
		skip();
	}
	return z;
}

static void test_from_exchange(void **state)
{
	static const struct { const char *text; int rc; int64_t want; } rows[] = {
		{ "2025-12-15T09:00:00Z", 0, 1765789200 },
		{ "2025-12-15T09:00:00", 0, 1765789200 },        /* no offset: UTC */
		{ "2025-12-15T10:00:00+01:00", 0, 1765789200 },
		{ "2025-12-15T09:00:00.123Z", 0, 1765789200 },   /* fraction dropped */
		{ "2025-12-15", -1, 0 },                         /* a day, not an instant */
		{ "nonsense", -1, 0 },
		{ NULL, -1, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int64_t t = 42;

		assert_int_equal(tools_date_from_exchange(&t, rows[i].text), rows[i].rc);
		assert_int_equal(t, rows[i].want);
	}
}

static void test_midnight(void **state)
{
	static const struct { int64_t utc; int up; int64_t want; } rows[] = {
		{ 1765789200, 0, 1765753200 },   /* 2025-12-15 10:00 CET -> 00:00 CET */
		{ 1765789200, 1, 1765839600 },   /* -> 2025-12-16 00:00 CET */
		{ 1765753200, 0, 1765753200 },   /* midnight stays */
		{ 1765753200, 1, 1765753200 },
		{ 1743328800, 0, 1743289200 },   /* 2025-03-30 12:00 CEST -> 00:00 CET */
		{ 1743328800, 1, 1743372000 },   /* -> 2025-03-31 00:00 CEST (23 h day) */
	};
	const tz_zone *z = berlin();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(tools_date_midnight(rows[i].utc, z, rows[i].up), rows[i].want);
	assert_int_equal(tools_date_midnight(1765789200, tz_zone_utc(), 0), 1765756800);
}

static void test_add_days(void **state)
{
	const tz_zone *z = berlin();

	(void)state;
	/* 2025-03-29 12:00 CET + 1 day = 2025-03-30 12:00 CEST: 23 hours. */
	assert_int_equal(tools_date_add_days(1743246000, z, 1), 1743328800);
	/* and back */
	assert_int_equal(tools_date_add_days(1743328800, z, -1), 1743246000);
	assert_int_equal(tools_date_add_days(1765789200, z, 7), 1765789200 + 7 * 86400);
	assert_int_equal(tools_date_add_days(1765789200, z, 0), 1765789200);
}

static void test_local(void **state)
{
	static const struct { int64_t utc; const char *want; } rows[] = {
		{ 1765789200, "2025-12-15T10:00:00+01:00" },
		{ 1743328800, "2025-03-30T12:00:00+02:00" },
		{ 1743289200, "2025-03-30T00:00:00+01:00" },
	};
	const tz_zone *z = berlin();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *s = tools_date_local(rows[i].utc, z);

		assert_string_equal(json_string_value(s), rows[i].want);
		json_decref(s);
	}
}

static void test_zone(void **state)
{
	const tz_zone *z = NULL;
	errinfo err = ERRINFO_INIT;
	cfg conf;

	(void)state;
	memset(&conf, 0, sizeof(conf));
	assert_int_equal(tools_date_zone(&z, NULL, &err), 0);
	assert_string_equal(tz_zone_name(z), "UTC");
	assert_int_equal(tools_date_zone(&z, &conf, &err), 0);
	assert_string_equal(tz_zone_name(z), "UTC");
	conf.timezone = (char *)"Mars/Olympus_Mons";
	assert_int_equal(tools_date_zone(&z, &conf, &err), ERR_CONFIG);
	assert_non_null(strstr(err.msg, "TIMEZONE"));
	assert_non_null(strstr(err.msg, "Mars/Olympus_Mons"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_exchange),
		cmocka_unit_test(test_midnight),
		cmocka_unit_test(test_add_days),
		cmocka_unit_test(test_local),
		cmocka_unit_test(test_zone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
