/* test_folders.c - folder addressing (src/ews/folders.c): well-known
 * names map to distinguished ids without a request; display-name paths
 * are resolved one Shallow FindFolder per missing level, under the right
 * parent and mailbox, and remembered per mailbox context; bad paths get
 * messages naming the folder. Answers come from the scripted fake. */
#include "testutil.h"

#include <string.h>

#include "core/log.h"
#include "ews/client.h"
#include "ews/folders.h"
#include "ews/mailbox.h"
#include "fake_ews.h"

#define FOLDER(id, name) \
	"<t:Folder><t:FolderId Id=\"" id "\" ChangeKey=\"ck\"/><t:DisplayName>" \
	name "</t:DisplayName></t:Folder>"
#define FIND_FOLDER(folders) FAKE_ENV( \
	"<m:FindFolderResponse xmlns:m=\"" FAKE_NS_M "\" xmlns:t=\"" FAKE_NS_T \
	"\"><m:ResponseMessages><m:FindFolderResponseMessage ResponseClass=" \
	"\"Success\"><m:ResponseCode>NoError</m:ResponseCode><m:RootFolder " \
	"TotalItemsInView=\"2\" IncludesLastItemInRange=\"true\"><t:Folders>" \
	folders "</t:Folders></m:RootFolder></m:FindFolderResponseMessage>" \
	"</m:ResponseMessages></m:FindFolderResponse>")

static void test_well_known_names(void **state)
{
	static const struct {
		const char *in, *want;
	} names[] = {
		{ "inbox", "inbox" }, { "Inbox", "inbox" }, { "sent", "sentitems" },
		{ "Sent Items", "sentitems" }, { "drafts", "drafts" },
		{ "deleted", "deleteditems" }, { "junk", "junkemail" },
		{ "calendar", "calendar" }, { "contacts", "contacts" },
		{ "tasks", "tasks" }, { "root", "root" },
		{ "msgfolderroot", "msgfolderroot" },
		{ "archive", "archivemsgfolderroot" },
		{ "SentItems", "sentitems" }, { "JunkEmail", "junkemail" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *got = ews_folder_distinguished_name(names[i].in);

		if (!got || strcmp(got, names[i].want) != 0)
			fail_msg("%s -> %s, want %s", names[i].in,
				 got ? got : "NULL", names[i].want);
	}
	assert_null(ews_folder_distinguished_name("Projects"));
}

static void test_paths(void **state)
{
	ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
	fake_ews *f = fake_start();
	ews_client *c = NULL;
	ews_mailbox *mb = NULL;
	errinfo err = ERRINFO_INIT;
	ews_folder fo;
	soap_folder_ref r;
	ews_ctx ctx;

	(void)state;
	log_set_level(LOG_LEVEL_ERROR);
	assert_non_null(f);
	o.url = f->url;
	o.primary_smtp = "svc-mcp@contoso.test";
	o.auth_type = EWS_AUTH_BASIC;
	o.username = "u";
	o.password = "p";
	o.impersonation_enabled = 1;
	o.impersonation_type = EWS_TARGET_DELEGATE;
	assert_int_equal(ews_client_new(&c, &o, &err), 0);
	assert_int_equal(ews_mailbox_resolve(&mb, c, "carol@contoso.test", &err), 0);
	ctx.client = c;
	ctx.mailbox = mb;
	ctx.cancel = NULL;

	/* a well-known name: no request, the mailbox named */
	assert_int_equal(ews_folder_resolve(&fo, &ctx, " sent ", &err), 0);
	r = ews_folder_ref(&fo);
	assert_string_equal(r.distinguished, "sentitems");
	assert_string_equal(r.mailbox, "carol@contoso.test");
	assert_int_equal(fake_requests(f), 0);

	/* two levels under Inbox: two Shallow FindFolders */
	fake_push(f, 200, FIND_FOLDER(FOLDER("F-PROJ", "Projects")
				      FOLDER("F-ARCH", "Old Stuff")), NULL, 0);
	fake_push(f, 200, FIND_FOLDER(FOLDER("F-2026", "2026")
				      FOLDER("F-2025", "2025")), NULL, 0);
	assert_int_equal(ews_folder_resolve(&fo, &ctx, "Inbox/Projects/2026",
					    &err), 0);
	r = ews_folder_ref(&fo);
	assert_string_equal(r.id, "F-2026");
	assert_null(r.distinguished);
	assert_int_equal(fake_requests(f), 2);
	assert_non_null(strstr(f->bodies[0], "Traversal=\"Shallow\""));
	assert_non_null(strstr(f->bodies[0], "<t:DistinguishedFolderId Id=\"inbox\">"
				       "<t:Mailbox><t:EmailAddress>carol@contoso.test"));
	assert_non_null(strstr(f->bodies[1], "<t:FolderId Id=\"F-PROJ\""));

	/* remembered, case and blanks ignored; siblings came for free */
	assert_int_equal(ews_folder_resolve(&fo, &ctx, "inbox / PROJECTS / 2026",
					    &err), 0);
	assert_string_equal(fo.id, "F-2026");
	assert_int_equal(ews_folder_resolve(&fo, &ctx, "Inbox/Old Stuff", &err), 0);
	assert_string_equal(fo.id, "F-ARCH");
	assert_int_equal(ews_folder_resolve(&fo, &ctx, "Inbox/Projects/2025",
					    &err), 0);
	assert_string_equal(fo.id, "F-2025");
	assert_int_equal(fake_requests(f), 2);

	/* missing: the parent is listed again (it may be new), then a clear
	 * message */
	fake_push(f, 200, FIND_FOLDER(FOLDER("F-PROJ", "Projects")), NULL, 0);
	assert_int_equal(ews_folder_resolve(&fo, &ctx, "Inbox/Projekts", &err),
			 ERR_NOTFOUND);
	assert_string_equal(err.msg, "folder 'Inbox/Projekts': no folder "
			    "'Projekts' in 'inbox'");
	assert_int_equal(fake_requests(f), 3);

	/* a top-level name is looked up under msgfolderroot */
	fake_push(f, 200, FIND_FOLDER(FOLDER("F-TOP", "Clients")), NULL, 0);
	assert_int_equal(ews_folder_resolve(&fo, &ctx, "Clients", &err), 0);
	assert_string_equal(fo.id, "F-TOP");
	assert_non_null(strstr(f->bodies[3], "Id=\"msgfolderroot\""));

	/* bad paths */
	errinfo_clear(&err);
	assert_int_equal(ews_folder_resolve(&fo, &ctx, "  ", &err), ERR_INVAL);
	assert_non_null(strstr(err.msg, "is empty"));
	errinfo_clear(&err);
	assert_int_equal(ews_folder_resolve(&fo, &ctx, "Inbox//x", &err),
			 ERR_INVAL);
	assert_non_null(strstr(err.msg, "empty segment"));
	errinfo_clear(&err);
	assert_int_equal(ews_folder_resolve(&fo, &ctx, "Inbox/", &err), ERR_INVAL);
	assert_non_null(strstr(err.msg, "ends with '/'"));

	/* a folder id passes through */
	assert_int_equal(ews_folder_from_id(&fo, "AAMkF=", "ck", &err), 0);
	r = ews_folder_ref(&fo);
	assert_string_equal(r.id, "AAMkF=");
	assert_string_equal(r.change_key, "ck");
	errinfo_clear(&err);
	assert_int_equal(ews_folder_from_id(&fo, "", NULL, &err), ERR_INVAL);

	ews_mailbox_free(mb);
	ews_client_free(c);
	fake_stop(f);
}

/* Which folder arguments are ids: Exchange's long ids (with '/' and '+'),
 * short ids like the sim's, and names or paths that only look similar. */
static void test_spec_is_id(void **state)
{
	static const struct { const char *spec; int id; } rows[] = {
		{ "AAMkAGI2TG93AAA=", 0 },   /* too short to be an id */
		{ "AAMkAgAAAAIAAAAAAAAAgkE=", 1 },
		{ "AAMkADk0N2I3NjJjLTI5ZjEtNGE5ZC04MzQ3LTY1NWFhZjk3ODNhZABGAAAAAAB/ab+cdEF=", 1 },
		{ "AQMkADAwATM0MDAAMS1iNjY4LTg5OTYtMDACLTAwCgAuAAADv2NVUkw=", 1 },
		{ "inbox", 0 },
		{ "Inbox/Projects/2026", 0 },
		{ "AAMk folder with spaces in it!", 0 },
		{ "Archive 2024 AAMkAgAAAAIAAAAAA", 0 },
		{ "", 0 },
		{ NULL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (ews_folder_spec_is_id(rows[i].spec) != rows[i].id)
			fail_msg("row %zu (%s): want %d", i, rows[i].spec ? rows[i].spec : "NULL",
				 rows[i].id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_well_known_names),
		cmocka_unit_test(test_spec_is_id),
		cmocka_unit_test(test_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
