/* test_behaviour.c - what a user of the tools expects beyond the seed's
 * examples, checked in ews-sim: meetings invite their attendees and say
 * so, OOF changes keep what was not given, folders by path and by id,
 * availability merges busy times, reply-all leaves our own address out. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define SVC "service-account@domain.com"

typedef struct fixture {
	ews_sim *sim;
	e2e_server srv;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	f->sim = e2e_sim_start("tests/e2e/seed-org.json");
	if (!f->sim || e2e_server_start(&f->srv, f->sim, SVC, NULL) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	assert_int_equal(e2e_server_stop(&f->srv), 0);
	ews_sim_stop(f->sim);
	free(f);
	return 0;
}

static json_t *ok_call(fixture *f, const char *tool, const char *args)
{
	json_t *r = e2e_call(&f->srv, tool, args);

	assert_non_null(r);
	if (e2e_is_error(r))
		fail_msg("%s: %s", tool, e2e_str(r, "error"));
	return r;
}

static const json_t *sc(const json_t *r, const char *key)
{
	return json_object_get(json_object_get(r, "structuredContent"), key);
}

static int has_subject(fixture *f, const char *user, const char *folder, const char *subject)
{
	json_t *subjects = e2e_folder_subjects(f->sim, user, folder), *v;
	size_t i;
	int found = 0;

	json_array_foreach(subjects, i, v)
		if (strstr(json_string_value(v), subject))
			found = 1;
	json_decref(subjects);
	return found;
}

static void test_meeting_invites(void **state)
{
	fixture *f = *state;
	json_t *r = ok_call(f, "create_appointment",
		"{\"subject\":\"Budget sync\",\"start_time\":\"2025-12-17T10:00:00\","
		"\"end_time\":\"2025-12-17T11:00:00\",\"location\":\"Room 4\","
		"\"attendees\":[\"user1@domain.com\",\"user2@domain.com\"],"
		"\"target_mailbox\":\"organizer@domain.com\"}");

	assert_true(json_is_true(sc(r, "invitations_sent")));
	assert_non_null(strstr(e2e_str(r, "message"), "invitations sent to 2"));
	/* Berlin in December: 10:00 local is 09:00 UTC, reported with its offset */
	assert_string_equal(e2e_str(r, "start_time"), "2025-12-17T10:00:00+01:00");
	json_decref(r);
	assert_true(has_subject(f, "organizer@domain.com", "calendar", "Budget sync"));
	assert_true(has_subject(f, "user1@domain.com", "calendar", "Budget sync"));
	assert_true(has_subject(f, "user1@domain.com", "inbox", "Budget sync"));
	assert_true(has_subject(f, "user2@domain.com", "calendar", "Budget sync"));

	/* the attendees are now busy then */
	r = ok_call(f, "check_availability",
		    "{\"attendees\":[\"user1@domain.com\",\"user2@domain.com\",\"recipient@domain.com\"],"
		    "\"start_time\":\"2025-12-17T09:00:00\",\"end_time\":\"2025-12-17T12:00:00\","
		    "\"interval_minutes\":60}");
	{
		const json_t *a = sc(r, "availability");
		const char *merged = json_string_value(sc(r, "merged_free_busy"));

		assert_int_equal(json_array_size(a), 3);
		/* 09-10 free, 10-11 busy (tentative or busy), 11-12 free */
		assert_non_null(merged);
		assert_int_equal(strlen(merged), 3);
		assert_true(merged[0] == '0' && merged[1] != '0' && merged[2] == '0');
		assert_true(json_array_size(json_object_get(json_array_get(a, 0), "busy_slots")) >= 1);
		assert_int_equal(json_array_size(sc(r, "free_slots")), 2);
	}
	json_decref(r);
}

static void test_oof_keeps_unchanged_fields(void **state)
{
	fixture *f = *state;
	json_t *r;

	json_decref(ok_call(f, "set_oof_settings",
		"{\"state\":\"Enabled\",\"internal_reply\":\"Back Monday\","
		"\"external_reply\":\"Away\",\"external_audience\":\"All\","
		"\"target_mailbox\":\"user1@domain.com\"}"));
	json_decref(ok_call(f, "set_oof_settings",
		"{\"state\":\"Disabled\",\"target_mailbox\":\"user1@domain.com\"}"));
	r = ok_call(f, "get_oof_settings", "{\"target_mailbox\":\"user1@domain.com\"}");
	{
		const json_t *s = sc(r, "settings");

		assert_string_equal(json_string_value(json_object_get(s, "state")), "Disabled");
		assert_non_null(strstr(json_string_value(json_object_get(s, "internal_reply")),
				       "Back Monday"));
		assert_string_equal(json_string_value(json_object_get(s, "external_audience")), "All");
		assert_true(json_is_false(json_object_get(s, "currently_active")));
	}
	json_decref(r);
	/* Scheduled without any window is refused, naming the field */
	r = e2e_call(&f->srv, "set_oof_settings",
		     "{\"state\":\"Scheduled\",\"target_mailbox\":\"user1@domain.com\"}");
	assert_true(e2e_is_error(r));
	assert_non_null(strstr(e2e_str(r, "error"), "start_time"));
	json_decref(r);
}

static void test_folders_by_path_and_id(void **state)
{
	fixture *f = *state;
	json_t *r, *tree;
	char args[1024];
	const char *id = NULL;
	size_t i;
	json_t *child;

	json_decref(ok_call(f, "send_email", "{\"to\":[\"user@domain.com\"],\"subject\":\"Filed\","
			    "\"body\":\"x\"}"));
	r = ok_call(f, "read_emails", "{\"folder\":\"Inbox/Projects/2026\","
		    "\"target_mailbox\":\"user@domain.com\"}");
	assert_string_equal(e2e_str(r, "message"), "Retrieved 0 emails");
	json_decref(r);

	/* the same folder by the id list_folders gives */
	r = ok_call(f, "list_folders", "{\"parent_folder\":\"Inbox/Projects\",\"depth\":1,"
		    "\"target_mailbox\":\"user@domain.com\"}");
	tree = (json_t *)sc(r, "folder_tree");
	json_array_foreach(json_object_get(tree, "children"), i, child)
		if (strcmp(json_string_value(json_object_get(child, "name")), "2026") == 0)
			id = json_string_value(json_object_get(child, "folder_id"));
	assert_non_null(id);
	snprintf(args, sizeof(args), "{\"folder\":\"%s\",\"target_mailbox\":\"user@domain.com\"}", id);
	json_decref(ok_call(f, "read_emails", args));
	json_decref(r);
}

static void test_reply_all_leaves_us_out(void **state)
{
	fixture *f = *state;
	json_t *r, *e;
	char args[2048];
	const char *id = NULL;
	size_t i;

	/* user1 writes to user@ and user2, copying user@ again in another case */
	r = ok_call(f, "send_email", "{\"to\":[\"user@domain.com\",\"user2@domain.com\"],"
		    "\"cc\":[\"recipient@domain.com\"],\"subject\":\"Plan for Q1\",\"body\":\"x\","
		    "\"target_mailbox\":\"user1@domain.com\"}");
	json_decref(r);
	r = ok_call(f, "read_emails", "{\"target_mailbox\":\"user@domain.com\"}");
	json_array_foreach(sc(r, "emails"), i, e)
		if (strcmp(json_string_value(json_object_get(e, "subject")), "Plan for Q1") == 0)
			id = json_string_value(json_object_get(e, "message_id"));
	assert_non_null(id);
	snprintf(args, sizeof(args), "{\"message_id\":\"%s\",\"body\":\"Agreed\",\"reply_all\":true,"
		 "\"target_mailbox\":\"USER@domain.com\"}", id);
	json_decref(r);
	r = ok_call(f, "reply_email", args);
	{
		char *to = json_dumps(sc(r, "reply_to"), JSON_COMPACT);
		char *cc = json_dumps(sc(r, "reply_cc"), JSON_COMPACT);

		assert_string_equal(to, "[\"user1@domain.com\",\"user2@domain.com\"]");
		assert_string_equal(cc, "[\"recipient@domain.com\"]");
		free(to);
		free(cc);
	}
	json_decref(r);
	assert_true(has_subject(f, "user1@domain.com", "inbox", "RE: Plan for Q1"));
	assert_true(has_subject(f, "user2@domain.com", "inbox", "RE: Plan for Q1"));
	assert_true(has_subject(f, "recipient@domain.com", "inbox", "RE: Plan for Q1"));
	/* not to ourselves */
	assert_false(has_subject(f, "user@domain.com", "inbox", "RE: Plan for Q1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meeting_invites),
		cmocka_unit_test(test_oof_keeps_unchanged_fields),
		cmocka_unit_test(test_folders_by_path_and_id),
		cmocka_unit_test(test_reply_all_leaves_us_out),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
