/* store_schema.c - the SQLite schema of the ews-sim store and the set of
 * distinguished folders every mailbox gets.
 *
 * Indexes exist for the access paths the operations use: a folder's items
 * by received time (FindItem's default order), by subject, by start time
 * (CalendarView, free/busy) and by change sequence (SyncFolderItems), so
 * the cost of a page does not grow with the folder.
 */
#include "sim/store_schema.h"

#include <stddef.h>

const char sim_store_ddl[] =
	"PRAGMA foreign_keys=ON;"
	"CREATE TABLE IF NOT EXISTS meta("
	"  key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
	"INSERT OR IGNORE INTO meta(key, value) VALUES('modseq', 0);"
	"CREATE TABLE IF NOT EXISTS mailboxes("
	"  id INTEGER PRIMARY KEY, smtp TEXT NOT NULL UNIQUE,"
	"  oof TEXT, rules TEXT);"
	"CREATE TABLE IF NOT EXISTS folders("
	"  id INTEGER PRIMARY KEY,"
	"  mailbox INTEGER NOT NULL REFERENCES mailboxes(id),"
	"  parent INTEGER NOT NULL DEFAULT 0,"
	"  dist TEXT,"
	"  name TEXT NOT NULL,"
	"  class TEXT NOT NULL,"
	"  ck INTEGER NOT NULL DEFAULT 1);"
	"CREATE UNIQUE INDEX IF NOT EXISTS folders_dist"
	"  ON folders(mailbox, dist) WHERE dist IS NOT NULL;"
	"CREATE INDEX IF NOT EXISTS folders_parent ON folders(parent, name);"
	"CREATE TABLE IF NOT EXISTS items("
	"  id INTEGER PRIMARY KEY,"
	"  mailbox INTEGER NOT NULL,"
	"  folder INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  subject TEXT NOT NULL DEFAULT '',"
	"  received INTEGER NOT NULL,"
	"  start INTEGER NOT NULL DEFAULT 0,"
	"  end INTEGER NOT NULL DEFAULT 0,"
	"  is_read INTEGER NOT NULL DEFAULT 0,"
	"  ck INTEGER NOT NULL DEFAULT 1,"
	"  modseq INTEGER NOT NULL,"
	"  props TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS items_received ON items(folder, received, id);"
	"CREATE INDEX IF NOT EXISTS items_subject ON items(folder, subject, id);"
	"CREATE INDEX IF NOT EXISTS items_start ON items(folder, start, id);"
	"CREATE INDEX IF NOT EXISTS items_modseq ON items(folder, modseq);"
	"CREATE INDEX IF NOT EXISTS items_unread ON items(folder, is_read);"
	"CREATE TABLE IF NOT EXISTS attachments("
	"  id INTEGER PRIMARY KEY,"
	"  item INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  content_type TEXT,"
	"  content_id TEXT,"
	"  is_inline INTEGER NOT NULL DEFAULT 0,"
	"  content BLOB,"
	"  item_kind TEXT,"
	"  item_props TEXT);"
	"CREATE INDEX IF NOT EXISTS attachments_item ON attachments(item);"
	"CREATE TABLE IF NOT EXISTS tombstones("
	"  folder INTEGER NOT NULL, item INTEGER NOT NULL,"
	"  modseq INTEGER NOT NULL);"
	"CREATE INDEX IF NOT EXISTS tombstones_folder ON tombstones(folder, modseq);";

/* Parent is an index into this table (-1 = none); order = creation order. */
const sim_dist_folder sim_dist_folders[] = {
	{ "root", "Root", "", -1 },
	{ "msgfolderroot", "Top of Information Store", "IPF.Note", 0 },
	{ "inbox", "Inbox", "IPF.Note", 1 },
	{ "drafts", "Drafts", "IPF.Note", 1 },
	{ "sentitems", "Sent Items", "IPF.Note", 1 },
	{ "deleteditems", "Deleted Items", "IPF.Note", 1 },
	{ "outbox", "Outbox", "IPF.Note", 1 },
	{ "junkemail", "Junk Email", "IPF.Note", 1 },
	{ "archive", "Archive", "IPF.Note", 1 },
	{ "calendar", "Calendar", "IPF.Appointment", 1 },
	{ "contacts", "Contacts", "IPF.Contact", 1 },
	{ "tasks", "Tasks", "IPF.Task", 1 },
	{ "notes", "Notes", "IPF.StickyNote", 1 },
	{ "journal", "Journal", "IPF.Journal", 1 },
	{ "recoverableitemsroot", "Recoverable Items", "", 0 },
	{ "recoverableitemsdeletions", "Deletions", "", 14 },
	{ NULL, NULL, NULL, -1 }
};
