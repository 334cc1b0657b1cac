/* store_schema.c - the SQLite schema of the ews-sim store and the set of
 * distinguished folders every mailbox gets.
 *
 * Indexes exist for the access paths the operations use: a folder's items
 * by received time (FindItem's default order), by subject, by start time
 * (CalendarView, free/busy) and by change sequence (SyncFolderItems), so
 * the cost of a page does not grow with the folder.
 *
 * folder_counts keeps each folder's number of items and of unread items,
 * maintained by triggers on items (insert, delete, a move to another
 * folder, a change of is_read), so an unrestricted FindItem page reports
 * TotalItemsInView, and GetFolder TotalCount/UnreadCount, with one key
 * lookup instead of a count(*) over the folder, which grew with the
 * mailbox (a FindItem page took 4x as long at 100,000 messages as at 100;
 * bench/sim_paging.sh measures it). Triggers rather than code in
 * store.c, so that every statement touching items (bulk deletes of a
 * folder tree, a wipe) keeps the counts right by construction.
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
	"CREATE TABLE IF NOT EXISTS folder_counts("
	"  folder INTEGER PRIMARY KEY,"
	"  total INTEGER NOT NULL DEFAULT 0,"
	"  unread INTEGER NOT NULL DEFAULT 0);"
	/* A store file written before the counters existed is counted once,
	 * when it is first opened by this version. */
	"INSERT INTO folder_counts(folder, total, unread)"
	"  SELECT folder, count(*), sum(is_read = 0) FROM items"
	"  WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'folder_counts')"
	"  GROUP BY folder;"
	"INSERT OR IGNORE INTO meta(key, value) VALUES('folder_counts', 1);"
	"CREATE TRIGGER IF NOT EXISTS items_count_insert AFTER INSERT ON items"
	" BEGIN"
	"  INSERT INTO folder_counts(folder, total, unread)"
	"  VALUES(new.folder, 1, new.is_read = 0)"
	"  ON CONFLICT(folder) DO UPDATE SET total = total + excluded.total,"
	"  unread = unread + excluded.unread;"
	" END;"
	"CREATE TRIGGER IF NOT EXISTS items_count_delete AFTER DELETE ON items"
	" BEGIN"
	"  UPDATE folder_counts SET total = total - 1,"
	"  unread = unread - (old.is_read = 0) WHERE folder = old.folder;"
	" END;"
	"CREATE TRIGGER IF NOT EXISTS items_count_update"
	" AFTER UPDATE OF folder, is_read ON items"
	" WHEN old.folder <> new.folder OR old.is_read <> new.is_read"
	" BEGIN"
	"  UPDATE folder_counts SET total = total - 1,"
	"  unread = unread - (old.is_read = 0) WHERE folder = old.folder;"
	"  INSERT INTO folder_counts(folder, total, unread)"
	"  VALUES(new.folder, 1, new.is_read = 0)"
	"  ON CONFLICT(folder) DO UPDATE SET total = total + excluded.total,"
	"  unread = unread + excluded.unread;"
	" END;"
	"CREATE TRIGGER IF NOT EXISTS folders_count_delete AFTER DELETE ON folders"
	" BEGIN DELETE FROM folder_counts WHERE folder = old.id; END;"
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
