/* test_args.c - the argument helpers of the tools (src/tools/args.c,
 * fingerprint.c) with arguments as assistants really write them: null for
 * "not given", whole numbers written 5.0, display names on addresses, dates
 * that are not dates. Each row is an input and the exact result or
 * message. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "ews/address.h"
#include "tools/args.h"
#include "tools/fingerprint.h"

/* ---- addresses ---- */

static const struct {
	const char *text;
	const char *want;  /* the address, or the whole error message */
	int ok;
} address_rows[] = {
	{ "bob@contoso.test", "bob@contoso.test", 1 },
	{ "  Bob@Contoso.TEST ", "bob@contoso.test", 1 },
	{ "Bob Brennan <bob@contoso.test>", "bob@contoso.test", 1 },
	{ "\"Brennan, Bob\" <bob@contoso.test>", "bob@contoso.test", 1 },
	{ "\"Bob \\\"the boss\\\" Brennan\" <bob@contoso.test>", "bob@contoso.test", 1 },
	{ "\"<Bob>\" <bob@contoso.test>", "bob@contoso.test", 1 },
	{ "O'Brien, Pat's team <pat@contoso.test>", "pat@contoso.test", 1 },
	{ "<bob@contoso.test>", "bob@contoso.test", 1 },
	{ "Bob\t< bob@contoso.test >", "bob@contoso.test", 1 },
	/* header injection, anywhere */
	{ "Bob <bob@contoso.test>\r\nBcc: eve@evil.test",
	  "to 'Bob <bob@contoso.test>\\x0d\\x0aBcc: eve@evil.test': is not a valid SMTP address (contains a line break)", 0 },
	{ "\"Bob\nBcc: eve@evil.test\" <bob@contoso.test>",
	  "to '\"Bob\\x0aBcc: eve@evil.test\" <bob@contoso.test>': is not a valid SMTP address (contains a line break)", 0 },
	{ "bob@contoso.test\x01", "to 'bob@contoso.test\\x01': is not a valid SMTP address (contains a control character)", 0 },
	/* malformed */
	{ "Bob <bob>", "to 'bob': is not a valid SMTP address (no '@')", 0 },
	{ "Bob <bob@contoso.test", "to 'Bob <bob@contoso.test': is not a valid SMTP address (write a display name and address as Name <user@contoso.com>)", 0 },
	{ "Bob bob@contoso.test>", "to 'Bob bob@contoso.test>': is not a valid SMTP address (write a display name and address as Name <user@contoso.com>)", 0 },
	{ "Bob <bob@contoso.test> <eve@evil.test>", "to 'Bob <bob@contoso.test> <eve@evil.test>': is not a valid SMTP address (write a display name and address as Name <user@contoso.com>)", 0 },
	{ "\"Bob <bob@contoso.test>", "to '\"Bob <bob@contoso.test>': is not a valid SMTP address (write a display name and address as Name <user@contoso.com>)", 0 },
	{ "Bob \"B\" <bob@contoso.test>", "to 'Bob \"B\" <bob@contoso.test>': is not a valid SMTP address (put a display name with quotes or angle brackets in double quotes)", 0 },
	{ "\"Bob\"\"B\" <bob@contoso.test>", "to '\"Bob\"\"B\" <bob@contoso.test>': is not a valid SMTP address (a quote inside the display name's quotes must be written \\\")", 0 },
	{ "\"Bob\" Brennan\" <bob@contoso.test>", "to '\"Bob\" Brennan\" <bob@contoso.test>': is not a valid SMTP address (write a display name and address as Name <user@contoso.com>)", 0 },
	{ "Bob <>", "to: is empty; give an SMTP address such as user@contoso.com", 0 },
	{ "Bob <bob&co@contoso.test>", "to 'bob&co@contoso.test': is not a valid SMTP address (contains one of < > & \" ' which an address must not hold)", 0 },
};

static void test_address(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(address_rows) / sizeof(address_rows[0]); i++) {
		char out[EWS_ADDRESS_MAX + 1] = "";
		errinfo err = ERRINFO_INIT;
		int rc = tools_address(out, sizeof(out), address_rows[i].text, "to", &err);

		if (address_rows[i].ok) {
			if (rc != 0)
				fail_msg("row %zu: %s", i, err.msg);
			assert_string_equal(out, address_rows[i].want);
		} else {
			assert_int_equal(rc, ERR_INVAL);
			if (strcmp(err.msg, address_rows[i].want) != 0)
				fail_msg("row %zu:\n got  %s\n want %s", i, err.msg, address_rows[i].want);
		}
	}
}

/* Lists: commas inside quotes or angle brackets do not split, errors name
 * the field and the index, repeats go. */
static void test_address_lists(void **state)
{
	static const struct { const char *args, *want; } rows[] = {
		{ "{\"to\":\"\\\"Brennan, Bob\\\" <bob@contoso.test>; carol@contoso.test\"}",
		  "[\"bob@contoso.test\",\"carol@contoso.test\"]" },
		{ "{\"to\":[\"Bob Brennan <bob@contoso.test>\",\"\\\"Brennan, Bob\\\" <BOB@contoso.test>\","
		  "\"Carol <carol@contoso.test>, dave@contoso.test\"]}",
		  "[\"bob@contoso.test\",\"carol@contoso.test\",\"dave@contoso.test\"]" },
		{ "{\"to\":null}", "[]" },
		{ "{\"to\":[\"bob@contoso.test\",\"Bob <bob>\"]}",
		  "to[1] 'bob': is not a valid SMTP address (no '@')" },
		{ "{\"to\":[\"bob@contoso.test\",\"Eve <eve@evil.test>\\r\\nBcc: x@evil.test\"]}",
		  "to[1] 'Eve <eve@evil.test>\\x0d\\x0aBcc: x@evil.test': is not a valid SMTP address (contains a line break)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *args = json_loads(rows[i].args, 0, NULL), *list = NULL;
		errinfo err = ERRINFO_INIT;

		assert_non_null(args);
		if (tools_arg_addresses(&list, args, "to", 0, &err) == 0) {
			char *text = json_dumps(list, JSON_COMPACT);

			if (strcmp(text, rows[i].want) != 0)
				fail_msg("row %zu: got %s", i, text);
			free(text);
		} else if (strcmp(err.msg, rows[i].want) != 0) {
			fail_msg("row %zu:\n got  %s\n want %s", i, err.msg, rows[i].want);
		}
		json_decref(list);
		json_decref(args);
	}
}

/* ---- integers ---- */

/* 5.0 passes the schema (JSON Schema 2020-12: an integer), so the tool
 * must take it too; a fraction is refused by both. */
static void test_integers(void **state)
{
	static const struct { const char *args; int rc; long want; } rows[] = {
		{ "{\"n\":5}", 0, 5 },
		{ "{\"n\":5.0}", 0, 5 },
		{ "{\"n\":-0.0}", 0, 0 },
		{ "{\"n\":1e2}", 0, 100 },
		{ "{\"n\":null}", 0, 7 },
		{ "{}", 0, 7 },
		{ "{\"n\":2.5}", ERR_INVAL, 7 },
		{ "{\"n\":1001.0}", ERR_INVAL, 7 },
		{ "{\"n\":1e300}", ERR_INVAL, 7 },
		{ "{\"n\":\"5\"}", ERR_INVAL, 7 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *args = json_loads(rows[i].args, 0, NULL);
		errinfo err = ERRINFO_INIT;
		long n = -1;

		assert_non_null(args);
		if (tools_arg_long(&n, args, "n", 7, 0, 1000, &err) != rows[i].rc)
			fail_msg("row %zu (%s): %s", i, rows[i].args, err.msg);
		if (rows[i].rc == 0)
			assert_int_equal(n, rows[i].want);
		json_decref(args);
	}
	{
		json_t *args = json_pack("{s:f}", "n", 1001.0);
		errinfo err = ERRINFO_INIT;
		long n;

		assert_int_equal(tools_arg_long(&n, args, "n", 7, 0, 1000, &err), ERR_INVAL);
		assert_string_equal(err.msg, "n: must be between 0 and 1000, got 1001");
		json_decref(args);
	}
}

/* ---- dates ---- */

#define FORMS(zone) "; accepted forms: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (local time in " \
	zone ", the server's TIMEZONE), or YYYY-MM-DDTHH:MM[:SS] with Z or +HH:MM (e.g. " \
	"2025-12-15, 2025-12-15T10:00, 2025-12-15T10:00:00+01:00)"

/* Every bad value, whatever it is, is answered with the accepted forms. */
static void test_times(void **state)
{
	static const struct { const char *args, *want; int required; } rows[] = {
		{ "{\"t\":\"tomorrow\"}", "t: 'tomorrow' is not an ISO-8601 date-time: the date "
		  "must be YYYY-MM-DD" FORMS("UTC"), 0 },
		{ "{\"t\":\"\"}", "t: is empty" FORMS("UTC"), 0 },
		{ "{\"t\":\"  \"}", "t: is empty" FORMS("UTC"), 1 },
		{ "{\"t\":12345}", "t: expected a string" FORMS("UTC"), 0 },
		{ "{}", "t: is required" FORMS("UTC"), 1 },
		{ "{\"t\":null}", "t: is required" FORMS("UTC"), 1 },
		{ "{\"t\":\"2025-02-30\"}", "t: '2025-02-30' is not a valid date: February 2025 "
		  "has 28 days" FORMS("UTC"), 0 },
		{ "{\"t\":\"2025-12-15 10am\"}", "t: '2025-12-15 10am' is not an ISO-8601 "
		  "date-time: the time must be HH:MM or HH:MM:SS" FORMS("UTC"), 0 },
		{ "{\"t\":\"2025-12-15T25:00\"}", "t: '2025-12-15T25:00' has hour 25 (must be "
		  "00..23)" FORMS("UTC"), 0 },
		{ "{\"t\":\"2025-12-15T10:00+1\"}", "t: '2025-12-15T10:00+1' is not an ISO-8601 "
		  "date-time: the UTC offset must look like +01:00" FORMS("UTC"), 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *args = json_loads(rows[i].args, 0, NULL);
		errinfo err = ERRINFO_INIT;
		int64_t t;
		int present = 9;

		assert_non_null(args);
		assert_int_equal(tools_arg_time(&t, &present, args, "t", NULL, 0, rows[i].required,
						&err), ERR_INVAL);
		if (strcmp(err.msg, rows[i].want) != 0)
			fail_msg("row %zu:\n got  %s\n want %s", i, err.msg, rows[i].want);
		assert_int_equal(present, 0);
		json_decref(args);
	}
}

static void test_times_good(void **state)
{
	static const struct { const char *text; int end_of_day; int64_t want; } rows[] = {
		{ "2025-12-15", 0, 1765756800 },
		{ "2025-12-15", 1, 1765843200 },
		{ "2025-12-15T10:00", 0, 1765792800 },
		{ "2025-12-15T10:00:00Z", 0, 1765792800 },
		{ "2025-12-15T11:00:00+01:00", 0, 1765792800 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *args = json_pack("{s:s}", "t", rows[i].text);
		errinfo err = ERRINFO_INIT;
		int64_t t = 0;
		int present = 0;

		if (tools_arg_time(&t, &present, args, "t", "UTC", rows[i].end_of_day, 1, &err) != 0)
			fail_msg("row %zu: %s", i, err.msg);
		assert_int_equal(present, 1);
		assert_int_equal(t, rows[i].want);
		json_decref(args);
	}
	{
		/* Optional and absent (or null): no time, no error. */
		json_t *args = json_pack("{s:n}", "t");
		errinfo err = ERRINFO_INIT;
		int64_t t = 1;
		int present = 1;

		assert_int_equal(tools_arg_time(&t, &present, args, "t", "UTC", 0, 0, &err), 0);
		assert_int_equal(present, 0);
		json_decref(args);
	}
}

/* ---- idempotency fingerprints ---- */

/* A retry that writes null for "not given" or 5.0 for 5 is the same call. */
static void test_fingerprint_reads_like_the_tools(void **state)
{
	static const char *const skip[] = { "idempotency_key", NULL };
	static const char *const same[] = {
		"{\"to\":[\"a@contoso.test\"],\"n\":5,\"o\":{\"k\":1}}",
		"{\"n\":5.0,\"to\":[\"a@contoso.test\"],\"cc\":null,\"o\":{\"k\":1.0,\"z\":null}}",
		"{\"to\":[\"a@contoso.test\"],\"n\":5,\"o\":{\"k\":1},\"idempotency_key\":\"x\"}",
	};
	static const char *const other[] = {
		"{\"to\":[\"a@contoso.test\"],\"n\":5.5,\"o\":{\"k\":1}}",
		"{\"to\":[\"a@contoso.test\",null],\"n\":5,\"o\":{\"k\":1}}",
		"{\"to\":[\"a@contoso.test\"],\"n\":5,\"o\":{\"k\":1},\"cc\":[]}",
	};
	char first[17], fp[17];
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		json_t *args = json_loads(same[i], 0, NULL);

		assert_non_null(args);
		tools_fingerprint(i ? fp : first, args, skip);
		if (i)
			assert_string_equal(fp, first);
		json_decref(args);
	}
	for (i = 0; i < 3; i++) {
		json_t *args = json_loads(other[i], 0, NULL);

		assert_non_null(args);
		tools_fingerprint(fp, args, skip);
		assert_string_not_equal(fp, first);
		json_decref(args);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_address_lists),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_times_good),
		cmocka_unit_test(test_fingerprint_reads_like_the_tools),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
