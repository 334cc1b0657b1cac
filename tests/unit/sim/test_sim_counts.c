/* test_sim_counts.c - the sim's per-folder item counters stay right.
 *
 * An unrestricted FindItem page takes TotalItemsInView, and GetFolder its
 * TotalCount/UnreadCount, from counters the store keeps with triggers
 * (sim/store_schema.c) rather than from a count(*) per request. These
 * tests check the counters against two independent answers after every
 * kind of change (create, delete hard and to Deleted Items, move, copy,
 * read-flag update, a folder deleted with its items, generation, reset):
 *   - the number of items an unbounded page actually lists, and
 *   - the total of a restricted query that matches everything, which the
 *     sim computes by filtering the folder (no counter involved);
 * a restriction matching a subset must still report the restricted total.
 * A store file written before the counters existed is counted when
 * opened. Every SOAP answer is schema-validated (simtest.h). */
#include "simtest.h"

#include <sqlite3.h>
#include <unistd.h>

#include "sim/store.h"

/* Never equal to a subject, so Not(IsEqualTo) matches every item: a
 * restriction forces the filtering path, whose total is counted by hand. */
#define ALL_RESTRICTION \
	"<m:Restriction><t:Not><t:IsEqualTo><t:FieldURI FieldURI=\"item:Subject\"/>" \
	"<t:FieldURIOrConstant><t:Constant Value=\"no item has this subject 7f3a\"/>" \
	"</t:FieldURIOrConstant></t:IsEqualTo></t:Not></m:Restriction>"

#define SUBJECT_RESTRICTION(s) \
	"<m:Restriction><t:IsEqualTo><t:FieldURI FieldURI=\"item:Subject\"/>" \
	"<t:FieldURIOrConstant><t:Constant Value=\"" s "\"/>" \
	"</t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>"

#define UNREAD_RESTRICTION \
	"<m:Restriction><t:IsEqualTo><t:FieldURI FieldURI=\"message:IsRead\"/>" \
	"<t:FieldURIOrConstant><t:Constant Value=\"false\"/>" \
	"</t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>"

static const char *g_user = "alice@contoso.test";
static const char *g_pass = "Alice-Pass-2026!";

static char *call(const ews_sim *sim, const char *body)
{
	st_resp r = st_ews(sim, ST_BASIC, g_user, g_pass, NULL, body);

	assert_int_equal(r.status, 200);
	return r.body;
}

/* folder_xml is a DistinguishedFolderId or FolderId element. */
static long find_total(const ews_sim *sim, const char *folder_xml,
		       long max, const char *restriction, int *listed)
{
	char body[4096];
	char *r;
	long total;

	snprintf(body, sizeof(body),
		 "<m:FindItem Traversal=\"Shallow\"><m:ItemShape>"
		 "<t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
		 "<m:IndexedPageItemView MaxEntriesReturned=\"%ld\" Offset=\"0\""
		 " BasePoint=\"Beginning\"/>%s<m:ParentFolderIds>%s</m:ParentFolderIds>"
		 "</m:FindItem>", max, restriction ? restriction : "", folder_xml);
	r = call(sim, body);
	assert_string_equal(st_code(r), "NoError");
	total = atol(st_attr(r, "m:RootFolder", "TotalItemsInView"));
	if (listed)
		*listed = st_count(r, "<t:ItemId ");
	free(r);
	return total;
}

/* The counter's total for a folder, after checking it against the listed
 * items and the filtered total. */
static long checked_total(const ews_sim *sim, const char *folder_xml)
{
	int listed = -1;
	long fast = find_total(sim, folder_xml, 5, NULL, NULL);
	long filtered = find_total(sim, folder_xml, 100000, ALL_RESTRICTION,
				   &listed);

	assert_int_equal(fast, filtered);
	assert_int_equal(fast, listed);
	return fast;
}

/* GetFolder TotalCount and UnreadCount (Default shape). */
static void folder_counts(const ews_sim *sim, const char *folder_xml,
			  long *total, long *unread)
{
	char body[2048];
	char *r, *p;

	snprintf(body, sizeof(body),
		 "<m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape>"
		 "</m:FolderShape><m:FolderIds>%s</m:FolderIds></m:GetFolder>",
		 folder_xml);
	r = call(sim, body);
	assert_string_equal(st_code(r), "NoError");
	p = strstr(r, "<t:TotalCount>");
	assert_non_null(p);
	*total = atol(p + strlen("<t:TotalCount>"));
	p = strstr(r, "<t:UnreadCount>");
	assert_non_null(p);
	*unread = atol(p + strlen("<t:UnreadCount>"));
	free(r);
}

#define INBOX "<t:DistinguishedFolderId Id=\"inbox\"/>"
#define DRAFTS "<t:DistinguishedFolderId Id=\"drafts\"/>"
#define DELETED "<t:DistinguishedFolderId Id=\"deleteditems\"/>"

/* Saves a message in the Inbox (SaveOnly: a read draft, as Exchange
 * does); returns its id (heap). */
static char *create_in_inbox(const ews_sim *sim, const char *subject)
{
	char body[2048];
	char *r, *id;

	snprintf(body, sizeof(body),
		 "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId>"
		 INBOX "</m:SavedItemFolderId><m:Items><t:Message><t:Subject>%s"
		 "</t:Subject></t:Message></m:Items></m:CreateItem>", subject);
	r = call(sim, body);
	assert_string_equal(st_code(r), "NoError");
	id = strdup(st_attr(r, "t:ItemId", "Id"));
	assert_true(id[0] != '\0');
	free(r);
	return id;
}

/* MoveItem or CopyItem (op) of id to folder_xml; returns the new id. */
static char *move_or_copy(const ews_sim *sim, const char *op, const char *id,
			  const char *folder_xml)
{
	char body[2048];
	char *r, *nid;

	snprintf(body, sizeof(body),
		 "<m:%s><m:ToFolderId>%s</m:ToFolderId><m:ItemIds>"
		 "<t:ItemId Id=\"%s\"/></m:ItemIds></m:%s>", op, folder_xml, id, op);
	r = call(sim, body);
	assert_string_equal(st_code(r), "NoError");
	nid = strdup(st_attr(r, "t:ItemId", "Id"));
	free(r);
	return nid;
}

static void delete_item(const ews_sim *sim, const char *id, const char *type)
{
	char body[1024];
	char *r;

	snprintf(body, sizeof(body),
		 "<m:DeleteItem DeleteType=\"%s\"><m:ItemIds><t:ItemId Id=\"%s\"/>"
		 "</m:ItemIds></m:DeleteItem>", type, id);
	r = call(sim, body);
	assert_string_equal(st_code(r), "NoError");
	free(r);
}

static void set_read(const ews_sim *sim, const char *id, int is_read)
{
	char body[2048];
	char *r;

	snprintf(body, sizeof(body),
		 "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\""
		 " MessageDisposition=\"SaveOnly\"><m:ItemChanges><t:ItemChange>"
		 "<t:ItemId Id=\"%s\"/><t:Updates><t:SetItemField>"
		 "<t:FieldURI FieldURI=\"message:IsRead\"/><t:Message><t:IsRead>%s"
		 "</t:IsRead></t:Message></t:SetItemField></t:Updates></t:ItemChange>"
		 "</m:ItemChanges></m:UpdateItem>", id, is_read ? "true" : "false");
	r = call(sim, body);
	assert_string_equal(st_code(r), "NoError");
	free(r);
}

static void test_counts_follow_changes(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	long inbox0, drafts0, deleted0, t, u, unread0;
	char *a1, *a2, *b, *moved, *copied;

	(void)state;
	assert_non_null(sim);
	inbox0 = checked_total(sim, INBOX);
	drafts0 = checked_total(sim, DRAFTS);
	deleted0 = checked_total(sim, DELETED);
	folder_counts(sim, INBOX, &t, &unread0);
	assert_int_equal(t, inbox0);
	assert_int_equal(unread0, find_total(sim, INBOX, 5, UNREAD_RESTRICTION, NULL));

	/* create */
	a1 = create_in_inbox(sim, "Counted A");
	a2 = create_in_inbox(sim, "Counted A");
	b = create_in_inbox(sim, "Counted B");
	assert_int_equal(checked_total(sim, INBOX), inbox0 + 3);
	folder_counts(sim, INBOX, &t, &u);
	assert_int_equal(t, inbox0 + 3);
	assert_int_equal(u, unread0);
	/* a restricted query reports the restricted total, not the folder's */
	assert_int_equal(find_total(sim, INBOX, 1, SUBJECT_RESTRICTION("Counted A"),
				    NULL), 2);
	assert_int_equal(find_total(sim, INBOX, 50, SUBJECT_RESTRICTION("Counted B"),
				    NULL), 1);

	/* the read flag moves the unread count only */
	set_read(sim, b, 0);
	set_read(sim, a2, 0);
	folder_counts(sim, INBOX, &t, &u);
	assert_int_equal(t, inbox0 + 3);
	assert_int_equal(u, unread0 + 2);
	set_read(sim, b, 1);
	folder_counts(sim, INBOX, &t, &u);
	assert_int_equal(u, unread0 + 1);
	assert_int_equal(u, find_total(sim, INBOX, 5, UNREAD_RESTRICTION, NULL));
	set_read(sim, b, 0);
	folder_counts(sim, INBOX, &t, &u);
	assert_int_equal(u, unread0 + 2);

	/* move: out of the Inbox, into Drafts, unread count travels along */
	moved = move_or_copy(sim, "MoveItem", a2, DRAFTS);
	assert_true(moved[0] != '\0');
	assert_int_equal(checked_total(sim, INBOX), inbox0 + 2);
	assert_int_equal(checked_total(sim, DRAFTS), drafts0 + 1);
	folder_counts(sim, INBOX, &t, &u);
	assert_int_equal(u, unread0 + 1);
	folder_counts(sim, DRAFTS, &t, &u);
	assert_int_equal(t, drafts0 + 1);

	/* copy: the Inbox keeps its item, Drafts gains one */
	copied = move_or_copy(sim, "CopyItem", a1, DRAFTS);
	assert_true(copied[0] != '\0');
	assert_int_equal(checked_total(sim, INBOX), inbox0 + 2);
	assert_int_equal(checked_total(sim, DRAFTS), drafts0 + 2);
	assert_int_equal(find_total(sim, DRAFTS, 50, SUBJECT_RESTRICTION("Counted A"),
				    NULL), 2);

	/* delete: hard, and to Deleted Items (a move) */
	delete_item(sim, b, "HardDelete");
	assert_int_equal(checked_total(sim, INBOX), inbox0 + 1);
	folder_counts(sim, INBOX, &t, &u);
	assert_int_equal(u, unread0);
	delete_item(sim, a1, "MoveToDeletedItems");
	assert_int_equal(checked_total(sim, INBOX), inbox0);
	assert_int_equal(checked_total(sim, DELETED), deleted0 + 1);
	delete_item(sim, copied, "HardDelete");
	delete_item(sim, moved, "SoftDelete");
	assert_int_equal(checked_total(sim, DRAFTS), drafts0);

	free(a1);
	free(a2);
	free(b);
	free(moved);
	free(copied);
	ews_sim_stop(sim);
}

/* A folder deleted with its items leaves the other folders' counts alone,
 * and /sim/reset (wipe + reseed) starts the counts over. */
static void test_counts_folder_delete_and_reset(void **state)
{
	ews_sim *sim = st_start("demo.json", NULL);
	char fid[1024], fxml[1200];
	long inbox0, t, u;
	char *r, *id, *c1, *c2;
	st_resp rr;

	(void)state;
	assert_non_null(sim);
	inbox0 = checked_total(sim, INBOX);
	r = call(sim, "<m:CreateFolder><m:ParentFolderId>" INBOX "</m:ParentFolderId>"
		 "<m:Folders><t:Folder><t:DisplayName>Counted</t:DisplayName>"
		 "</t:Folder></m:Folders></m:CreateFolder>");
	assert_string_equal(st_code(r), "NoError");
	snprintf(fid, sizeof(fid), "%s", st_attr(r, "t:FolderId", "Id"));
	free(r);
	snprintf(fxml, sizeof(fxml), "<t:FolderId Id=\"%s\"/>", fid);
	assert_int_equal(checked_total(sim, fxml), 0);
	folder_counts(sim, fxml, &t, &u);
	assert_int_equal(t, 0);
	assert_int_equal(u, 0);

	id = create_in_inbox(sim, "Counted C");
	set_read(sim, id, 0);
	c1 = move_or_copy(sim, "CopyItem", id, fxml);
	c2 = move_or_copy(sim, "CopyItem", id, fxml);
	assert_int_equal(checked_total(sim, fxml), 2);
	folder_counts(sim, fxml, &t, &u);
	assert_int_equal(t, 2);
	assert_int_equal(u, 2);
	assert_int_equal(checked_total(sim, INBOX), inbox0 + 1);

	snprintf(fxml, sizeof(fxml), "<m:DeleteFolder DeleteType=\"HardDelete\">"
		 "<m:FolderIds><t:FolderId Id=\"%s\"/></m:FolderIds></m:DeleteFolder>", fid);
	r = call(sim, fxml);
	assert_string_equal(st_code(r), "NoError");
	free(r);
	assert_int_equal(checked_total(sim, INBOX), inbox0 + 1);

	rr = st_post(sim, "/sim/reset", ST_NONE, NULL, NULL, "");
	assert_int_equal(rr.status, 200);
	free(rr.body);
	assert_int_equal(checked_total(sim, INBOX), inbox0);

	free(id);
	free(c1);
	free(c2);
	ews_sim_stop(sim);
}

/* --generate fills through the same triggers: exact totals per folder. */
static void test_counts_generated(void **state)
{
	static const char org[] =
		"{\"domain\": \"contoso.test\", \"users\": [{\"smtp\": "
		"\"solo@contoso.test\", \"name\": \"Solo\", \"password\": \"Solo-Pass-1\"}]}";
	ews_sim_options o = EWS_SIM_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	ews_sim *sim = NULL;
	long t, u;

	(void)state;
	o.org_json = org;
	o.generate = 60;
	o.quiet = 1;
	if (ews_sim_start(&sim, &o, &err) < 0)
		fail_msg("ews_sim_start: %s", err.msg);
	g_user = "solo@contoso.test";
	g_pass = "Solo-Pass-1";
	/* 60 messages, 6 calendar items, 3 contacts and 3 tasks */
	assert_int_equal(checked_total(sim, INBOX), 60);
	assert_int_equal(checked_total(sim, "<t:DistinguishedFolderId Id=\"calendar\"/>"), 6);
	assert_int_equal(checked_total(sim, "<t:DistinguishedFolderId Id=\"contacts\"/>"), 3);
	assert_int_equal(checked_total(sim, "<t:DistinguishedFolderId Id=\"tasks\"/>"), 3);
	folder_counts(sim, INBOX, &t, &u);
	assert_int_equal(t, 60);
	assert_true(u > 0 && u < 60);
	assert_int_equal(u, find_total(sim, INBOX, 5, UNREAD_RESTRICTION, NULL));
	g_user = "alice@contoso.test";
	g_pass = "Alice-Pass-2026!";
	ews_sim_stop(sim);
}

static void insert_message(sim_store *st, int64_t folder, int is_read)
{
	errinfo err = ERRINFO_INIT;
	sim_item it;

	memset(&it, 0, sizeof(it));
	snprintf(it.kind, sizeof(it.kind), "Message");
	it.mailbox = 1;
	it.folder = folder;
	it.props = json_pack("{s:s, s:I, s:b}", "Subject", "Old store",
			     "DateTimeReceived", (json_int_t)1700000000,
			     "IsRead", is_read);
	assert_non_null(it.props);
	assert_int_equal(sim_store_item_insert(st, &it, &err), 0);
	sim_item_dispose(&it);
}

/* A store file from before the counters (no folder_counts table, no
 * triggers) gets its counts when this version first opens it. */
static void test_counts_backfilled_for_old_store(void **state)
{
	char dir[] = "/tmp/ews-sim-counts-XXXXXX", path[256];
	errinfo err = ERRINFO_INIT;
	sim_store *st = NULL;
	sim_folder inbox;
	sim_item_list page;
	int64_t total, unread, children;
	sqlite3 *db = NULL;
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/store.db", dir);
	assert_int_equal(sim_store_open(&st, path, &err), 0);
	assert_int_equal(sim_store_mailbox_ensure(st, 1, "old@contoso.test", &err), 0);
	assert_int_equal(sim_store_folder_dist(&inbox, st, 1, "inbox", &err), 0);
	for (i = 0; i < 7; i++)
		insert_message(st, inbox.id, i % 2);
	sim_store_close(st);

	/* make it look like a store written by the previous version */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		"DROP TRIGGER items_count_insert; DROP TRIGGER items_count_delete;"
		"DROP TRIGGER items_count_update; DROP TRIGGER folders_count_delete;"
		"DROP TABLE folder_counts; DELETE FROM meta WHERE key = 'folder_counts';",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	assert_int_equal(sim_store_open(&st, path, &err), 0);
	assert_int_equal(sim_store_item_page(&page, st, inbox.id, SIM_SORT_RECEIVED,
					     1, 0, 2, &err), 0);
	assert_int_equal(page.total, 7);
	assert_int_equal(page.n, 2);
	sim_item_list_dispose(&page);
	assert_int_equal(sim_store_folder_counts(&total, &unread, &children, st,
						 inbox.id, &err), 0);
	assert_int_equal(total, 7);
	assert_int_equal(unread, 4);
	/* and counts on from there, once only */
	insert_message(st, inbox.id, 0);
	sim_store_close(st);
	assert_int_equal(sim_store_open(&st, path, &err), 0);
	assert_int_equal(sim_store_folder_counts(&total, &unread, &children, st,
						 inbox.id, &err), 0);
	assert_int_equal(total, 8);
	assert_int_equal(unread, 5);
	sim_store_close(st);
	sim_folder_dispose(&inbox);
	unlink(path);
	snprintf(path, sizeof(path), "%s/store.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/store.db-shm", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_follow_changes),
		cmocka_unit_test(test_counts_folder_delete_and_reset),
		cmocka_unit_test(test_counts_generated),
		cmocka_unit_test(test_counts_backfilled_for_old_store),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	st_schema_free();
	curl_global_cleanup();
	xmlCleanupParser();
	return rc;
}
