/* test_families.c - the tool tables (src/tools/tools_*.c) keep the
 * promises the MCP layer relies on: every tool is a mailbox tool
 * (TOOL_MAILBOX: it takes target_mailbox and its app is a tools_ctx, so a
 * refusal by the schema names the mailbox), and every date or date-time
 * argument names its accepted forms whatever the bad value. */
#include "testutil.h"

#include <string.h>

#include "tools/families.h"

static const toolset *const families[] = {
	&tools_mail, &tools_calendar, &tools_contacts, &tools_tasks, &tools_folders, &tools_oof,
};

static void test_every_tool_is_a_mailbox_tool(void **state)
{
	size_t i, j, n = 0;

	(void)state;
	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		for (j = 0; j < families[i]->count; j++) {
			const tool_def *t = &families[i]->tools[j];
			json_t *schema = json_loads(t->input_schema, 0, NULL);

			assert_non_null(schema);
			if (!(t->flags & TOOL_MAILBOX))
				fail_msg("%s lacks TOOL_MAILBOX", t->name);
			if (!json_object_get(json_object_get(schema, "properties"), "target_mailbox"))
				fail_msg("%s takes no target_mailbox", t->name);
			json_decref(schema);
			n++;
		}
	}
	assert_true(n >= 15);
}

/* A property whose name says it is a date or a time has the shared date
 * type, hint included. */
static void test_dates_name_their_forms(void **state)
{
	size_t i, j, n = 0;

	(void)state;
	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		for (j = 0; j < families[i]->count; j++) {
			const tool_def *t = &families[i]->tools[j];
			json_t *schema = json_loads(t->input_schema, 0, NULL);
			const char *key;
			json_t *prop;

			json_object_foreach(json_object_get(schema, "properties"), key, prop) {
				const char *hint = json_string_value(json_object_get(prop, "x-error-hint"));

				if (!strstr(key, "_date") && !strstr(key, "_time"))
					continue;
				n++;
				if (!hint || strcmp(hint, "accepted forms: " TOOLS_DATE_FORMS) != 0 ||
				    json_object_get(prop, "minLength"))
					fail_msg("%s.%s does not use TOOLS_DATE_TYPE", t->name, key);
			}
			json_decref(schema);
		}
	}
	assert_true(n >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_tool_is_a_mailbox_tool),
		cmocka_unit_test(test_dates_name_their_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
