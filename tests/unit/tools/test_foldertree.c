/* test_foldertree.c - building list_folders' tree from one flat FindFolder
 * answer (src/tools/foldertree.c): parents, depth, hidden folders,
 * counts, folders whose parent is missing, and the hidden-folder rule. */
#include "testutil.h"

#include <jansson.h>
#include <string.h>

#include "tools/foldertree.h"

/* A FindFolder answer as the soap reader gives it, in no useful order:
 *   root
 *   +- Inbox (3 items, 2 unread)
 *   |  +- Projects
 *   |  |  +- 2026
 *   |  |     +- Q1
 *   |  +- Sync Issues            (system folder, IPF.Note)
 *   |     +- Conflicts
 *   +- Calendar (IPF.Appointment)
 *   +- Notes (IPF.StickyNote)
 *   |  +- Mail under notes (IPF.Note: hidden with its parent)
 *   +- {06967759-274D-40B2-A3EB-D7F9E73727D7} (IPF.Contact)
 * plus "Orphan", whose parent is not in the answer. */
static const char folders_json[] =
	"["
	"{\"folder_id\":\"q1\",\"parent_folder_id\":\"y2026\",\"display_name\":\"Q1\","
	"\"folder_class\":\"IPF.Note\",\"child_folder_count\":0,\"total_count\":1,\"unread_count\":1},"
	"{\"folder_id\":\"inbox\",\"parent_folder_id\":\"root\",\"display_name\":\"Inbox\","
	"\"folder_class\":\"IPF.Note\",\"child_folder_count\":2,\"total_count\":3,\"unread_count\":2},"
	"{\"folder_id\":\"y2026\",\"parent_folder_id\":\"projects\",\"display_name\":\"2026\","
	"\"folder_class\":\"IPF.Note\",\"child_folder_count\":1},"
	"{\"folder_id\":\"projects\",\"parent_folder_id\":\"inbox\",\"display_name\":\"Projects\","
	"\"folder_class\":\"IPF.Note\",\"child_folder_count\":1,\"total_count\":0,\"unread_count\":0},"
	"{\"folder_id\":\"sync\",\"parent_folder_id\":\"inbox\",\"display_name\":\"Sync Issues\","
	"\"folder_class\":\"IPF.Note\",\"child_folder_count\":1},"
	"{\"folder_id\":\"conflicts\",\"parent_folder_id\":\"sync\",\"display_name\":\"Conflicts\","
	"\"folder_class\":\"IPF.Note\",\"child_folder_count\":0},"
	"{\"folder_id\":\"cal\",\"parent_folder_id\":\"root\",\"display_name\":\"Calendar\","
	"\"folder_class\":\"IPF.Appointment\",\"child_folder_count\":0,\"total_count\":6},"
	"{\"folder_id\":\"notes\",\"parent_folder_id\":\"root\",\"display_name\":\"Notes\","
	"\"folder_class\":\"IPF.StickyNote\",\"child_folder_count\":1},"
	"{\"folder_id\":\"undernotes\",\"parent_folder_id\":\"notes\","
	"\"display_name\":\"Mail under notes\",\"folder_class\":\"IPF.Note\"},"
	"{\"folder_id\":\"guid\",\"parent_folder_id\":\"root\","
	"\"display_name\":\"{06967759-274D-40B2-A3EB-D7F9E73727D7}\",\"folder_class\":\"IPF.Contact\"},"
	"{\"folder_id\":\"orphan\",\"parent_folder_id\":\"elsewhere\",\"display_name\":\"Orphan\"}"
	"]";

static const char root_json[] =
	"{\"folder_id\":\"root\",\"display_name\":\"Top of Information Store\","
	"\"folder_class\":\"IPF.Note\",\"child_folder_count\":5,\"total_count\":0,"
	"\"unread_count\":0}";

/* The tree as "name(child,child(...))" for compact comparison. */
static void render(char *out, size_t cap, const json_t *node)
{
	const json_t *kids = json_object_get(node, "children"), *k;
	size_t i, len;

	len = strlen(out);
	snprintf(out + len, cap - len, "%s", json_string_value(json_object_get(node, "name")));
	if (!json_array_size(kids))
		return;
	len = strlen(out);
	snprintf(out + len, cap - len, "(");
	json_array_foreach(kids, i, k) {
		if (i) {
			len = strlen(out);
			snprintf(out + len, cap - len, ",");
		}
		render(out, cap, k);
	}
	len = strlen(out);
	snprintf(out + len, cap - len, ")");
}

static void test_shapes(void **state)
{
	static const struct {
		int depth, hidden;
		size_t count;
		const char *want;
	} rows[] = {
		{ 1, 0, 3, "Top of Information Store(Inbox,Calendar,Orphan)" },
		{ 2, 0, 4, "Top of Information Store(Inbox(Projects),Calendar,Orphan)" },
		{ 10, 0, 6, "Top of Information Store(Inbox(Projects(2026(Q1))),Calendar,Orphan)" },
		{ 1, 1, 5, "Top of Information Store(Inbox,Calendar,Notes,"
			   "{06967759-274D-40B2-A3EB-D7F9E73727D7},Orphan)" },
		{ 10, 1, 11, "Top of Information Store(Inbox(Projects(2026(Q1)),Sync Issues(Conflicts)),"
			    "Calendar,Notes(Mail under notes),{06967759-274D-40B2-A3EB-D7F9E73727D7},"
			    "Orphan)" },
	};
	json_t *folders = json_loads(folders_json, 0, NULL);
	json_t *root = json_loads(root_json, 0, NULL);
	size_t i;

	(void)state;
	assert_non_null(folders);
	assert_non_null(root);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		tools_foldertree_opts o = { rows[i].depth, rows[i].hidden, 1 };
		json_t *tree = NULL;
		size_t count = 99;
		char got[1024] = "";

		assert_int_equal(tools_foldertree_build(&tree, &count, root, folders, &o), 0);
		render(got, sizeof(got), tree);
		assert_string_equal(got, rows[i].want);
		assert_int_equal(count, rows[i].count);
		json_decref(tree);
	}
	json_decref(folders);
	json_decref(root);
}

static void test_node_fields(void **state)
{
	json_t *folders = json_loads(folders_json, 0, NULL);
	json_t *root = json_loads(root_json, 0, NULL);
	tools_foldertree_opts with = { 2, 0, 1 }, without = { 2, 0, 0 };
	json_t *tree = NULL, *inbox, *projects;
	size_t count;

	(void)state;
	assert_int_equal(tools_foldertree_build(&tree, &count, root, folders, &with), 0);
	assert_string_equal(json_string_value(json_object_get(tree, "folder_id")), "root");
	inbox = json_array_get(json_object_get(tree, "children"), 0);
	assert_string_equal(json_string_value(json_object_get(inbox, "folder_id")), "inbox");
	assert_string_equal(json_string_value(json_object_get(inbox, "folder_class")), "IPF.Note");
	assert_int_equal(json_integer_value(json_object_get(inbox, "total_count")), 3);
	assert_int_equal(json_integer_value(json_object_get(inbox, "unread_count")), 2);
	/* Exchange's own count, hidden children included. */
	assert_int_equal(json_integer_value(json_object_get(inbox, "child_folder_count")), 2);
	/* At the depth limit a node has no children listed, but says it has some. */
	projects = json_array_get(json_object_get(inbox, "children"), 0);
	assert_int_equal(json_array_size(json_object_get(projects, "children")), 0);
	assert_int_equal(json_integer_value(json_object_get(projects, "child_folder_count")), 1);
	/* A folder without a class is a plain folder with an empty class. */
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(tree, "children"), 2), "folder_class")), "");
	json_decref(tree);

	assert_int_equal(tools_foldertree_build(&tree, &count, root, folders, &without), 0);
	inbox = json_array_get(json_object_get(tree, "children"), 0);
	assert_null(json_object_get(inbox, "total_count"));
	assert_null(json_object_get(inbox, "unread_count"));
	assert_non_null(json_object_get(inbox, "child_folder_count"));
	json_decref(tree);
	json_decref(folders);
	json_decref(root);
}

static void test_root_without_id(void **state)
{
	/* A parent whose id is unknown: its children are the folders whose
	 * parent is not in the answer. */
	json_t *folders = json_loads("[{\"folder_id\":\"a\",\"parent_folder_id\":\"p\","
				     "\"display_name\":\"A\",\"folder_class\":\"IPF.Note\"},"
				     "{\"folder_id\":\"b\",\"parent_folder_id\":\"a\","
				     "\"display_name\":\"B\",\"folder_class\":\"IPF.Note\"}]", 0, NULL);
	json_t *root = json_object(), *tree = NULL;
	tools_foldertree_opts o = { 5, 0, 0 };
	size_t count;
	char got[256] = "";

	(void)state;
	assert_int_equal(tools_foldertree_build(&tree, &count, root, folders, &o), 0);
	render(got, sizeof(got), tree);
	assert_string_equal(got, "(A(B))");
	assert_int_equal(count, 2);
	assert_true(json_is_null(json_object_get(tree, "folder_id")));
	json_decref(tree);

	/* An empty answer is a root without children. */
	json_decref(folders);
	folders = json_array();
	assert_int_equal(tools_foldertree_build(&tree, &count, root, folders, &o), 0);
	assert_int_equal(count, 0);
	assert_int_equal(json_array_size(json_object_get(tree, "children")), 0);
	json_decref(tree);
	json_decref(folders);
	json_decref(root);
}

static void test_hidden_rule(void **state)
{
	static const struct { const char *cls, *name; int hidden; } rows[] = {
		{ "IPF.Note", "Inbox", 0 },
		{ "IPF.Appointment", "Calendar", 0 },
		{ "IPF.Contact", "Contacts", 0 },
		{ "IPF.Task", "Tasks", 0 },
		{ NULL, "Plain", 0 },
		{ "", "Plain", 0 },
		{ "IPF.StickyNote", "Notes", 1 },
		{ "IPF.Journal", "Journal", 1 },
		{ "IPF.Configuration", "Conversation Action Settings", 1 },
		{ "IPF.Contact.RecipientCache", "Recipient Cache", 1 },
		{ "IPF.Note", "Sync Issues", 1 },
		{ "IPF.Note", "Sync Issues (This computer only)", 1 },
		{ "IPF.Note", "yammer root", 1 },
		{ "IPF.Contact", "ExternalContacts", 1 },
		{ "IPF.Contact", "PersonMetadata", 1 },
		{ "IPF.Contact", "{A9E2BC46-B3A0-4243-B315-60D991004455}", 1 },
		{ "IPF.Note", "Syncing notes", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *f = json_object();

		if (rows[i].cls)
			json_object_set_new(f, "folder_class", json_string(rows[i].cls));
		json_object_set_new(f, "display_name", json_string(rows[i].name));
		assert_int_equal(tools_foldertree_hidden(f), rows[i].hidden);
		json_decref(f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_node_fields),
		cmocka_unit_test(test_root_without_id),
		cmocka_unit_test(test_hidden_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
