/* test_schema.c - argument validation against tool schemas: each row is an
 * instance and the exact message (or success) expected. */
#include "testutil.h"

#include <string.h>

#include "mcp/schema.h"

static const char *schema_text =
	"{\"type\":\"object\",\"additionalProperties\":false,"
	"\"$defs\":{\"addr\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
	"\"required\":[\"city\"]},\"time\":{\"type\":\"string\",\"x-error-hint\":\"a time\"}},"
	"\"properties\":{"
	"\"to\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"minLength\":3},\"minItems\":1,\"maxItems\":3,\"uniqueItems\":true},"
	"\"subject\":{\"type\":\"string\",\"maxLength\":5},"
	"\"importance\":{\"type\":\"string\",\"enum\":[\"Low\",\"Normal\",\"High\"]},"
	"\"max_results\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000},"
	"\"ratio\":{\"type\":\"number\",\"exclusiveMinimum\":0,\"exclusiveMaximum\":1},"
	"\"flag\":{\"type\":\"boolean\"},"
	"\"id\":{\"type\":\"string\",\"pattern\":\"^[A-Z]+$\"},"
	"\"either\":{\"type\":[\"string\",\"null\"]},"
	"\"addr\":{\"$ref\":\"#/$defs/addr\"},"
	"\"one\":{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]},"
	"\"name\":{\"type\":\"string\",\"minLength\":1},"
	"\"when\":{\"type\":\"string\",\"maxLength\":12,\"x-error-hint\":\"use YYYY-MM-DD\"},"
	"\"times\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/time\"}},"
	"\"slot\":{\"type\":\"object\",\"properties\":{\"at\":{\"$ref\":\"#/$defs/time\"}},"
	"\"required\":[\"at\"]}"
	"},\"required\":[\"to\"]}";

static const struct {
	const char *instance;
	const char *want; /* NULL = valid */
} rows[] = {
	{ "{\"to\":[\"a@b\"]}", NULL },
	{ "{}", "to: is required" },
	{ "{\"to\":\"a@b\"}", "to: expected array, got string" },
	{ "{\"to\":[]}", "to: must have at least 1 item(s)" },
	{ "{\"to\":[\"a@b\",\"c@d\",\"e@f\",\"g@h\"]}", "to: must have at most 3 item(s)" },
	{ "{\"to\":[\"a@b\",\"a@b\"]}", "to: item 1 repeats an earlier item" },
	{ "{\"to\":[\"a@b\",5]}", "to[1]: expected string, got integer" },
	{ "{\"to\":[\"ab\"]}", "to[0]: must be at least 3 characters long" },
	{ "{\"to\":[\"a@b\"],\"subject\":\"héllo\"}", NULL },
	{ "{\"to\":[\"a@b\"],\"subject\":\"héllo!\"}", "subject: must be at most 5 characters long" },
	{ "{\"to\":[\"a@b\"],\"importance\":\"Urgent\"}", "importance: must be one of: Low, Normal, High" },
	{ "{\"to\":[\"a@b\"],\"max_results\":0}", "max_results: must be at least 1" },
	{ "{\"to\":[\"a@b\"],\"max_results\":1001}", "max_results: must be at most 1000" },
	{ "{\"to\":[\"a@b\"],\"max_results\":2.5}", "max_results: expected integer, got number" },
	{ "{\"to\":[\"a@b\"],\"max_results\":5.0}", NULL },
	{ "{\"to\":[\"a@b\"],\"ratio\":1}", "ratio: must be less than 1" },
	{ "{\"to\":[\"a@b\"],\"ratio\":0}", "ratio: must be greater than 0" },
	{ "{\"to\":[\"a@b\"],\"flag\":\"true\"}", "flag: expected boolean, got string" },
	{ "{\"to\":[\"a@b\"],\"id\":\"abc\"}", "id: does not match the pattern ^[A-Z]+$" },
	{ "{\"to\":[\"a@b\"],\"either\":null}", NULL },
	{ "{\"to\":[\"a@b\"],\"either\":1}", "either: expected string or null, got integer" },
	{ "{\"to\":[\"a@b\"],\"addr\":{}}", "addr.city: is required" },
	{ "{\"to\":[\"a@b\"],\"addr\":{\"city\":7}}", "addr.city: expected string, got integer" },
	{ "{\"to\":[\"a@b\"],\"one\":true}", "one: does not match any allowed form" },
	{ "{\"to\":[\"a@b\"],\"name\":\"\"}", "name: must not be empty" },
	{ "{\"to\":[\"a@b\"],\"bogus\":1}", "arguments: unknown property 'bogus'" },
	/* null is "not given": fine for optional members, not for required ones */
	{ "{\"to\":[\"a@b\"],\"subject\":null,\"max_results\":null,\"flag\":null,"
	  "\"addr\":null,\"one\":null,\"name\":null}", NULL },
	{ "{\"to\":null}", "to: is required (null given)" },
	{ "{\"to\":[\"a@b\"],\"addr\":{\"city\":null}}", "addr.city: is required (null given)" },
	{ "{\"to\":[\"a@b\"],\"bogus\":null}", "arguments: unknown property 'bogus'" },
	{ "{\"to\":[null]}", "to[0]: expected string, got null" },
	/* x-error-hint follows every refusal of its value, once */
	{ "{\"to\":[\"a@b\"],\"when\":5}", "when: expected string, got integer; use YYYY-MM-DD" },
	{ "{\"to\":[\"a@b\"],\"when\":\"tomorrow, 10 o'clock\"}",
	  "when: must be at most 12 characters long; use YYYY-MM-DD" },
	{ "{\"to\":[\"a@b\"],\"when\":\"tomorrow\"}", NULL },
	{ "{\"to\":[\"a@b\"],\"times\":[\"x\",false]}", "times[1]: expected string, got boolean; a time" },
	{ "{\"to\":[\"a@b\"],\"slot\":{\"at\":null}}", "slot.at: is required (null given); a time" },
};

static void test_rows(void **state)
{
	json_t *schema = json_loads(schema_text, 0, NULL);
	errinfo err;
	size_t i;

	(void)state;
	assert_non_null(schema);
	assert_int_equal(mcp_schema_check(schema, &err), 0);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *inst = json_loads(rows[i].instance, 0, NULL);
		int rc;

		assert_non_null(inst);
		errinfo_clear(&err);
		rc = mcp_schema_validate(schema, inst, &err);
		if (!rows[i].want) {
			if (rc != 0)
				fail_msg("row %zu: unexpected error %s", i, err.msg);
		} else {
			assert_int_equal(rc, ERR_INVAL);
			if (strcmp(err.msg, rows[i].want) != 0)
				fail_msg("row %zu: got \"%s\", want \"%s\"", i, err.msg, rows[i].want);
		}
		json_decref(inst);
	}
	json_decref(schema);
}

static void test_broken_schemas(void **state)
{
	static const char *bad[] = {
		"[]",
		"{\"type\":\"array\"}",
		"{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/$defs/none\"}}}",
		"{\"type\":\"object\",\"properties\":{\"a\":{\"pattern\":\"(\"}}}",
		"{\"type\":\"object\",\"required\":\"a\"}",
	};
	errinfo err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *s = json_loads(bad[i], 0, NULL);

		errinfo_clear(&err);
		assert_int_equal(mcp_schema_check(s, &err), ERR_INVAL);
		assert_true(err.msg[0] != '\0');
		json_decref(s);
	}
}

/* A hostile instance nested thousands deep must fail cleanly. */
static void test_deep_instance(void **state)
{
	json_t *schema = json_loads("{\"type\":\"object\",\"additionalProperties\":"
				    "{\"$ref\":\"#\"}}", 0, NULL);
	json_t *inst = json_object(), *cur = inst;
	errinfo err = ERRINFO_INIT;
	int i;

	(void)state;
	for (i = 0; i < 200; i++) {
		json_t *next = json_object();

		json_object_set_new(cur, "a", next);
		cur = next;
	}
	assert_int_equal(mcp_schema_validate(schema, inst, &err), ERR_INVAL);
	assert_non_null(strstr(err.msg, "nested too deeply"));
	json_decref(inst);
	json_decref(schema);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_broken_schemas),
		cmocka_unit_test(test_deep_instance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
