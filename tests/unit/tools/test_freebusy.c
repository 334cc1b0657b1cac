/* test_freebusy.c - merged free/busy strings (src/tools/freebusy.c):
 * interval counts, merging by availability, digits from events, and the
 * free periods check_availability reports. */
#include "testutil.h"

#include <string.h>

#include "tools/freebusy.h"

#define H 3600

static void test_intervals(void **state)
{
	static const struct {
		int64_t start, end, interval;
		size_t want;
	} rows[] = {
		{ 0, 8 * H, 1800, 16 },     /* exact */
		{ 0, 8 * H + 60, 1800, 17 },/* a partial last slot counts */
		{ 0, 1, 1800, 1 },
		{ 100, 100, 1800, 0 },      /* empty window */
		{ 100, 50, 1800, 0 },       /* reversed */
		{ 0, H, 0, 0 },             /* no interval */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(tools_freebusy_intervals(rows[i].start, rows[i].end,
							  rows[i].interval), rows[i].want);
}

static void test_digit(void **state)
{
	static const struct { const char *type; char want; } rows[] = {
		{ "Free", '0' }, { "Tentative", '1' }, { "Busy", '2' }, { "OOF", '3' },
		{ "NoData", '4' }, { "WorkingElsewhere", '5' },
		{ "busy", '2' },        /* unknown spelling: never free */
		{ "Elsewhere", '2' }, { NULL, '2' },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(tools_freebusy_digit(rows[i].type), rows[i].want);
}

static void test_merge(void **state)
{
	static const struct { const char *acc, *digits, *want; } rows[] = {
		{ "0000", "0000", "0000" },
		{ "0000", "0120", "0120" },
		{ "0120", "0000", "0120" },      /* order does not matter */
		{ "2222", "3100", "3222" },      /* OOF beats busy, busy beats tentative */
		{ "0000", "5", "5444" },         /* short string: no data past its end */
		{ "1111", "4444", "1111" },      /* tentative is worse than no data */
		{ "5555", "4040", "4545" },      /* no data is worse than working elsewhere */
		{ "0000", "x0?0", "2020" },      /* garbage is busy */
		{ "0000", NULL, "4444" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char acc[8];

		strcpy(acc, rows[i].acc);
		tools_freebusy_merge(acc, rows[i].digits, strlen(acc));
		assert_string_equal(acc, rows[i].want);
	}
}

static void test_from_events(void **state)
{
	/* Four hourly slots from 09:00 (as offsets from 0). */
	static const tools_fb_event events[] = {
		{ 1 * H, 2 * H, "Busy" },              /* exactly slot 1 */
		{ 1 * H + 1800, 3 * H + 60, "Tentative" }, /* slots 1..3, partly */
		{ 3 * H + 60, 3 * H + 120, "OOF" },    /* inside slot 3 */
		{ 4 * H, 5 * H, "Busy" },              /* after the window */
		{ 0, 0, "Busy" },                      /* empty, touches slot 0 only at its start */
	};
	char out[5];

	(void)state;
	tools_freebusy_from_events(out, 4, 0, H, events, sizeof(events) / sizeof(events[0]));
	assert_string_equal(out, "0213");
	tools_freebusy_from_events(out, 4, 0, H, NULL, 0);
	assert_string_equal(out, "0000");
}

static void test_free_runs(void **state)
{
	static const struct {
		const char *digits;
		int64_t end;            /* window end, start is 0, interval 1 h */
		size_t runs;
		int64_t a0, b0, a1, b1;
	} rows[] = {
		{ "0000", 4 * H, 1, 0, 4 * H, 0, 0 },
		{ "0220", 4 * H, 2, 0, H, 3 * H, 4 * H },
		{ "2222", 4 * H, 0, 0, 0, 0, 0 },
		{ "4004", 4 * H, 1, H, 3 * H, 0, 0 },     /* no data is not free */
		{ "2000", 3 * H + 1800, 1, H, 3 * H + 1800, 0, 0 }, /* last slot cut at end */
		{ "", 4 * H, 0, 0, 0, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		tools_fb_range r[4];
		size_t n = tools_freebusy_free_runs(r, 4, rows[i].digits, 0, H, rows[i].end);

		assert_int_equal(n, rows[i].runs);
		if (n > 0) {
			assert_int_equal(r[0].start, rows[i].a0);
			assert_int_equal(r[0].end, rows[i].b0);
		}
		if (n > 1) {
			assert_int_equal(r[1].start, rows[i].a1);
			assert_int_equal(r[1].end, rows[i].b1);
		}
	}
}

static void test_free_runs_counts_past_cap(void **state)
{
	tools_fb_range r[1];

	(void)state;
	/* Three runs, room for one: the count still says three. */
	assert_int_equal(tools_freebusy_free_runs(r, 1, "02020", 100, 10, 150), 3);
	assert_int_equal(r[0].start, 100);
	assert_int_equal(r[0].end, 110);
	assert_int_equal(tools_freebusy_free_runs(NULL, 0, "02020", 100, 10, 150), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intervals),
		cmocka_unit_test(test_digit),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_from_events),
		cmocka_unit_test(test_free_runs),
		cmocka_unit_test(test_free_runs_counts_past_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
