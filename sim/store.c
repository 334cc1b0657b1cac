/* store.c - the SQLite store of ews-sim (see store.h). Every statement
 * binds its values; nothing from a request is ever pasted into SQL. */
#include "sim/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "sim/store_schema.h"

struct sim_store {
	sqlite3 *db;
	int depth;           /* transaction nesting */
};

#define ITEM_COLS "id, mailbox, folder, kind, received, start, end, " \
		  "is_read, ck, modseq, props"


/* The error code to return; callers may pass err = NULL when they only
 * care whether a store call failed. */
static int code_of(const errinfo *err)
{
	return err && err->code ? err->code : ERR_GENERIC;
}

static int db_err(sim_store *st, errinfo *err, const char *what)
{
	return errinfo_set(err, ERR_IO, "store: %s: %s", what,
			   sqlite3_errmsg(st->db));
}

static int prep(sqlite3_stmt **s, sim_store *st, const char *sql,
		errinfo *err)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK)
		return db_err(st, err, "prepare");
	return 0;
}

/* Runs a statement without result rows; finalizes it. */
static int run(sqlite3_stmt *s, sim_store *st, errinfo *err)
{
	int rc = sqlite3_step(s);

	sqlite3_finalize(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_err(st, err, "step");
	return 0;
}

static char *col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return strdup(t ? (const char *)t : "");
}

int sim_store_open(sim_store **out, const char *path, errinfo *err)
{
	sim_store *st;
	char *msg = NULL;

	*out = NULL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return errinfo_set(err, ERR_NOMEM, "store: out of memory");
	if (!path || !*path)
		path = ":memory:";
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
			    NULL) != SQLITE_OK) {
		errinfo_set(err, ERR_IO, "store: cannot open %s: %s", path,
			    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		sim_store_close(st);
		return ERR_IO;
	}
	sqlite3_busy_timeout(st->db, 5000);
	if (strcmp(path, ":memory:") != 0 &&
	    sqlite3_exec(st->db, "PRAGMA journal_mode=WAL;"
			 "PRAGMA synchronous=NORMAL;", NULL, NULL, &msg) != SQLITE_OK)
		goto fail;
	if (sqlite3_exec(st->db, sim_store_ddl, NULL, NULL, &msg) != SQLITE_OK)
		goto fail;
	*out = st;
	return 0;
fail:
	errinfo_set(err, ERR_IO, "store: %s: %s", path, msg ? msg : "error");
	sqlite3_free(msg);
	sim_store_close(st);
	return ERR_IO;
}

void sim_store_close(sim_store *st)
{
	if (!st)
		return;
	sqlite3_close(st->db);
	free(st);
}

int sim_store_begin(sim_store *st, errinfo *err)
{
	if (st->depth++ > 0)
		return 0;
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		st->depth--;
		return db_err(st, err, "begin");
	}
	return 0;
}

int sim_store_commit(sim_store *st, errinfo *err)
{
	if (st->depth <= 0 || --st->depth > 0)
		return 0;
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return db_err(st, err, "commit");
	}
	return 0;
}

long long sim_store_changes(sim_store *st)
{
	return (long long)sqlite3_total_changes(st->db);
}

void sim_store_rollback(sim_store *st)
{
	if (st->depth <= 0)
		return;
	st->depth = 0;
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int sim_store_wipe(sim_store *st, errinfo *err)
{
	if (sqlite3_exec(st->db, "DELETE FROM attachments; DELETE FROM items;"
			 "DELETE FROM tombstones; DELETE FROM folders;"
			 "DELETE FROM folder_counts;"
			 "DELETE FROM mailboxes; UPDATE meta SET value = 0;",
			 NULL, NULL, NULL) != SQLITE_OK)
		return db_err(st, err, "wipe");
	return 0;
}

static int64_t next_modseq(sim_store *st)
{
	sqlite3_stmt *s = NULL;
	int64_t v = 0;

	if (sqlite3_prepare_v2(st->db, "UPDATE meta SET value = value + 1 "
			       "WHERE key = 'modseq' RETURNING value", -1, &s,
			       NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

int64_t sim_store_modseq(sim_store *st)
{
	sqlite3_stmt *s = NULL;
	int64_t v = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = 'modseq'",
			       -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

int sim_store_mailbox_ensure(sim_store *st, int mailbox, const char *smtp,
			     errinfo *err)
{
	int64_t ids[32] = { 0 };
	sqlite3_stmt *s;
	sim_folder f;
	int i, rc;

	if (prep(&s, st, "INSERT OR IGNORE INTO mailboxes(id, smtp) VALUES(?, ?)",
		 err) < 0)
		return code_of(err);
	sqlite3_bind_int(s, 1, mailbox);
	sqlite3_bind_text(s, 2, smtp, -1, SQLITE_TRANSIENT);
	if (run(s, st, err) < 0)
		return code_of(err);
	for (i = 0; sim_dist_folders[i].dist; i++) {
		const sim_dist_folder *d = &sim_dist_folders[i];

		rc = sim_store_folder_dist(&f, st, mailbox, d->dist, err);
		if (rc == 0) {
			ids[i] = f.id;
			sim_folder_dispose(&f);
			continue;
		}
		if (rc != ERR_NOTFOUND)
			return rc;
		if (sim_store_folder_create(&ids[i], st, mailbox,
					    d->parent >= 0 ? ids[d->parent] : 0,
					    d->dist, d->name, d->folder_class,
					    err) < 0)
			return code_of(err);
	}
	return 0;
}

int sim_store_mailbox_get(char **out, sim_store *st, int mailbox,
			  const char *column, errinfo *err)
{
	sqlite3_stmt *s;
	const char *sql = strcmp(column, "oof") == 0
		? "SELECT oof FROM mailboxes WHERE id = ?"
		: "SELECT rules FROM mailboxes WHERE id = ?";

	*out = NULL;
	if (prep(&s, st, sql, err) < 0)
		return code_of(err);
	sqlite3_bind_int(s, 1, mailbox);
	if (sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_type(s, 0) != SQLITE_NULL)
		*out = col_dup(s, 0);
	sqlite3_finalize(s);
	return 0;
}

int sim_store_mailbox_set(sim_store *st, int mailbox, const char *column,
			  const char *value, errinfo *err)
{
	sqlite3_stmt *s;
	const char *sql = strcmp(column, "oof") == 0
		? "UPDATE mailboxes SET oof = ? WHERE id = ?"
		: "UPDATE mailboxes SET rules = ? WHERE id = ?";

	if (prep(&s, st, sql, err) < 0)
		return code_of(err);
	sqlite3_bind_text(s, 1, value, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 2, mailbox);
	return run(s, st, err);
}

/* ---- folders ---- */

void sim_folder_dispose(sim_folder *f)
{
	if (!f)
		return;
	free(f->name);
	free(f->folder_class);
	f->name = f->folder_class = NULL;
}

void sim_folder_list_free(sim_folder *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		sim_folder_dispose(&v[i]);
	free(v);
}

#define FOLDER_COLS "id, mailbox, parent, dist, name, class, ck"

static void read_folder(sim_folder *f, sqlite3_stmt *s)
{
	const unsigned char *d;

	memset(f, 0, sizeof(*f));
	f->id = sqlite3_column_int64(s, 0);
	f->mailbox = sqlite3_column_int(s, 1);
	f->parent = sqlite3_column_int64(s, 2);
	d = sqlite3_column_text(s, 3);
	if (d)
		snprintf(f->dist, sizeof(f->dist), "%s", (const char *)d);
	f->name = col_dup(s, 4);
	f->folder_class = col_dup(s, 5);
	f->ck = sqlite3_column_int64(s, 6);
}

static int one_folder(sim_folder *out, sqlite3_stmt *s, sim_store *st,
		      errinfo *err)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		read_folder(out, s);
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return out->name && out->folder_class ? 0 :
			errinfo_set(err, ERR_NOMEM, "store: out of memory");
	if (rc == SQLITE_DONE)
		return ERR_NOTFOUND;
	return db_err(st, err, "folder");
}

int sim_store_folder_get(sim_folder *out, sim_store *st, int64_t id,
			 errinfo *err)
{
	sqlite3_stmt *s;

	memset(out, 0, sizeof(*out));
	if (prep(&s, st, "SELECT " FOLDER_COLS " FROM folders WHERE id = ?",
		 err) < 0)
		return code_of(err);
	sqlite3_bind_int64(s, 1, id);
	return one_folder(out, s, st, err);
}

int sim_store_folder_dist(sim_folder *out, sim_store *st, int mailbox,
			  const char *dist, errinfo *err)
{
	sqlite3_stmt *s;

	memset(out, 0, sizeof(*out));
	if (prep(&s, st, "SELECT " FOLDER_COLS " FROM folders "
		 "WHERE mailbox = ? AND dist = ?", err) < 0)
		return code_of(err);
	sqlite3_bind_int(s, 1, mailbox);
	sqlite3_bind_text(s, 2, dist, -1, SQLITE_TRANSIENT);
	return one_folder(out, s, st, err);
}

int sim_store_folder_children(sim_folder **out, size_t *n, sim_store *st,
			      int64_t parent, int deep, errinfo *err)
{
	static const char *shallow_sql = "SELECT " FOLDER_COLS
		" FROM folders WHERE parent = ? ORDER BY name COLLATE NOCASE";
	static const char *deep_sql =
		"WITH RECURSIVE sub(id, path) AS ("
		"  SELECT id, name FROM folders WHERE parent = ?1"
		"  UNION ALL SELECT f.id, sub.path || '/' || f.name"
		"  FROM folders f JOIN sub ON f.parent = sub.id)"
		" SELECT f.id, f.mailbox, f.parent, f.dist, f.name, f.class, f.ck"
		" FROM folders f JOIN sub ON f.id = sub.id"
		" ORDER BY sub.path COLLATE NOCASE";
	sqlite3_stmt *s;
	size_t cap = 16;
	int rc;

	*out = NULL;
	*n = 0;
	if (prep(&s, st, deep ? deep_sql : shallow_sql, err) < 0)
		return code_of(err);
	sqlite3_bind_int64(s, 1, parent);
	*out = calloc(cap, sizeof(sim_folder));
	while (*out && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			sim_folder *nv = realloc(*out, 2 * cap * sizeof(*nv));

			if (!nv)
				break;
			*out = nv;
			cap *= 2;
		}
		read_folder(&(*out)[(*n)++], s);
	}
	sqlite3_finalize(s);
	if (!*out)
		return errinfo_set(err, ERR_NOMEM, "store: out of memory");
	return 0;
}

int sim_store_folder_name_exists(sim_store *st, int64_t parent,
				 const char *name, errinfo *err)
{
	sqlite3_stmt *s;
	int found;

	if (prep(&s, st, "SELECT 1 FROM folders WHERE parent = ? AND "
		 "name = ? COLLATE NOCASE", err) < 0)
		return code_of(err);
	sqlite3_bind_int64(s, 1, parent);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_TRANSIENT);
	found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return found;
}

int sim_store_folder_create(int64_t *id_out, sim_store *st, int mailbox,
			    int64_t parent, const char *dist, const char *name,
			    const char *folder_class, errinfo *err)
{
	sqlite3_stmt *s;

	if (prep(&s, st, "INSERT INTO folders(mailbox, parent, dist, name, class)"
		 " VALUES(?, ?, ?, ?, ?)", err) < 0)
		return code_of(err);
	sqlite3_bind_int(s, 1, mailbox);
	sqlite3_bind_int64(s, 2, parent);
	if (dist)
		sqlite3_bind_text(s, 3, dist, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, 3);
	sqlite3_bind_text(s, 4, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 5, folder_class ? folder_class : "IPF.Note", -1,
			  SQLITE_TRANSIENT);
	if (run(s, st, err) < 0)
		return code_of(err);
	*id_out = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int sim_store_folder_update(sim_store *st, sim_folder *f, errinfo *err)
{
	sqlite3_stmt *s;

	if (prep(&s, st, "UPDATE folders SET name = ?, parent = ?, class = ?,"
		 " ck = ck + 1 WHERE id = ?", err) < 0)
		return code_of(err);
	sqlite3_bind_text(s, 1, f->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, f->parent);
	sqlite3_bind_text(s, 3, f->folder_class, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, f->id);
	if (run(s, st, err) < 0)
		return code_of(err);
	f->ck++;
	return 0;
}

int sim_store_folder_delete(sim_store *st, int64_t id, errinfo *err)
{
	static const char *sqls[] = {
		"WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL SELECT f.id"
		" FROM folders f JOIN sub ON f.parent = sub.id)"
		" DELETE FROM attachments WHERE item IN (SELECT id FROM items"
		" WHERE folder IN (SELECT id FROM sub))",
		"WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL SELECT f.id"
		" FROM folders f JOIN sub ON f.parent = sub.id)"
		" DELETE FROM items WHERE folder IN (SELECT id FROM sub)",
		"WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL SELECT f.id"
		" FROM folders f JOIN sub ON f.parent = sub.id)"
		" DELETE FROM folders WHERE id IN (SELECT id FROM sub)",
	};
	sqlite3_stmt *s;
	size_t i;

	for (i = 0; i < sizeof(sqls) / sizeof(sqls[0]); i++) {
		if (prep(&s, st, sqls[i], err) < 0)
			return code_of(err);
		sqlite3_bind_int64(s, 1, id);
		if (run(s, st, err) < 0)
			return code_of(err);
	}
	return 0;
}

int sim_store_folder_counts(int64_t *total, int64_t *unread, int64_t *children,
			    sim_store *st, int64_t id, errinfo *err)
{
	sqlite3_stmt *s;

	/* Item counts come from the trigger-kept counters (store_schema.c);
	 * a folder that never held an item has no row and counts 0. */
	*total = *unread = *children = 0;
	if (prep(&s, st, "SELECT"
		 " coalesce((SELECT total FROM folder_counts WHERE folder = ?1), 0),"
		 " coalesce((SELECT unread FROM folder_counts WHERE folder = ?1), 0),"
		 " (SELECT count(*) FROM folders WHERE parent = ?1)", err) < 0)
		return code_of(err);
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		*total = sqlite3_column_int64(s, 0);
		*unread = sqlite3_column_int64(s, 1);
		*children = sqlite3_column_int64(s, 2);
	}
	sqlite3_finalize(s);
	return 0;
}

/* ---- items ---- */

void sim_item_dispose(sim_item *it)
{
	if (!it)
		return;
	json_decref(it->props);
	it->props = NULL;
}

void sim_item_list_dispose(sim_item_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		sim_item_dispose(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int read_item(sim_item *it, sqlite3_stmt *s)
{
	const unsigned char *k;

	memset(it, 0, sizeof(*it));
	it->id = sqlite3_column_int64(s, 0);
	it->mailbox = sqlite3_column_int(s, 1);
	it->folder = sqlite3_column_int64(s, 2);
	k = sqlite3_column_text(s, 3);
	snprintf(it->kind, sizeof(it->kind), "%s", k ? (const char *)k : "");
	it->received = sqlite3_column_int64(s, 4);
	it->start = sqlite3_column_int64(s, 5);
	it->end = sqlite3_column_int64(s, 6);
	it->is_read = sqlite3_column_int(s, 7);
	it->ck = sqlite3_column_int64(s, 8);
	it->modseq = sqlite3_column_int64(s, 9);
	it->props = json_loads((const char *)sqlite3_column_text(s, 10), 0, NULL);
	if (!it->props)
		it->props = json_object();
	return it->props ? 0 : -1;
}

/* Collects all rows of s into out (appending); finalizes s. */
static int collect(sim_item_list *out, sqlite3_stmt *s, sim_store *st,
		   errinfo *err)
{
	size_t cap = out->n;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			sim_item *nv = realloc(out->v, ncap * sizeof(*nv));

			if (!nv) {
				sqlite3_finalize(s);
				return errinfo_set(err, ERR_NOMEM,
						   "store: out of memory");
			}
			out->v = nv;
			cap = ncap;
		}
		if (read_item(&out->v[out->n], s) < 0) {
			sqlite3_finalize(s);
			return errinfo_set(err, ERR_NOMEM, "store: out of memory");
		}
		out->n++;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_err(st, err, "items");
	return 0;
}

int sim_store_item_get(sim_item *out, sim_store *st, int64_t id,
		       errinfo *err)
{
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	if (prep(&s, st, "SELECT " ITEM_COLS " FROM items WHERE id = ?", err) < 0)
		return code_of(err);
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && read_item(out, s) < 0)
		rc = SQLITE_NOMEM;
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return ERR_NOTFOUND;
	return db_err(st, err, "item");
}

/* Derives the typed columns from the properties (props are the truth),
 * then binds them. */
static void bind_item(sqlite3_stmt *s, sim_item *it, char *text)
{
	const char *subj = json_string_value(json_object_get(it->props, "Subject"));
	json_t *v;

	if ((v = json_object_get(it->props, "DateTimeReceived")) && json_is_integer(v))
		it->received = json_integer_value(v);
	else if ((v = json_object_get(it->props, "DateTimeCreated")) && json_is_integer(v))
		it->received = json_integer_value(v);
	if ((v = json_object_get(it->props, "Start")) && json_is_integer(v))
		it->start = json_integer_value(v);
	if ((v = json_object_get(it->props, "End")) && json_is_integer(v))
		it->end = json_integer_value(v);
	v = json_object_get(it->props, "IsRead");
	it->is_read = v ? json_is_true(v) : 1;

	sqlite3_bind_int(s, 1, it->mailbox);
	sqlite3_bind_int64(s, 2, it->folder);
	sqlite3_bind_text(s, 3, it->kind, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, subj ? subj : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 5, it->received);
	sqlite3_bind_int64(s, 6, it->start);
	sqlite3_bind_int64(s, 7, it->end);
	sqlite3_bind_int(s, 8, it->is_read);
	sqlite3_bind_int64(s, 9, it->modseq);
	sqlite3_bind_text(s, 10, text, -1, SQLITE_TRANSIENT);
}

int sim_store_item_insert(sim_store *st, sim_item *it, errinfo *err)
{
	sqlite3_stmt *s;
	char *text;
	int rc;

	text = json_dumps(it->props, JSON_COMPACT);
	if (!text)
		return errinfo_set(err, ERR_NOMEM, "store: cannot serialise item");
	it->modseq = next_modseq(st);
	it->ck = 1;
	rc = prep(&s, st, "INSERT INTO items(mailbox, folder, kind, subject,"
		  " received, start, end, is_read, modseq, props)"
		  " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", err);
	if (rc == 0) {
		bind_item(s, it, text);
		rc = run(s, st, err);
	}
	free(text);
	if (rc < 0)
		return rc;
	it->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int sim_store_item_update(sim_store *st, sim_item *it, errinfo *err)
{
	sqlite3_stmt *s;
	char *text;
	int64_t old_folder = 0;
	int rc;

	text = json_dumps(it->props, JSON_COMPACT);
	if (!text)
		return errinfo_set(err, ERR_NOMEM, "store: cannot serialise item");
	/* A move leaves a tombstone in the old folder for SyncFolderItems. */
	if (prep(&s, st, "SELECT folder FROM items WHERE id = ?", err) == 0) {
		sqlite3_bind_int64(s, 1, it->id);
		if (sqlite3_step(s) == SQLITE_ROW)
			old_folder = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	it->modseq = next_modseq(st);
	rc = prep(&s, st, "UPDATE items SET mailbox = ?, folder = ?, kind = ?,"
		  " subject = ?, received = ?, start = ?, end = ?, is_read = ?,"
		  " modseq = ?, props = ?, ck = ck + 1 WHERE id = ?", err);
	if (rc == 0) {
		bind_item(s, it, text);
		sqlite3_bind_int64(s, 11, it->id);
		rc = run(s, st, err);
	}
	free(text);
	if (rc < 0)
		return rc;
	it->ck++;
	if (old_folder && old_folder != it->folder &&
	    prep(&s, st, "INSERT INTO tombstones(folder, item, modseq)"
		 " VALUES(?, ?, ?)", err) == 0) {
		sqlite3_bind_int64(s, 1, old_folder);
		sqlite3_bind_int64(s, 2, it->id);
		sqlite3_bind_int64(s, 3, it->modseq);
		return run(s, st, err);
	}
	return 0;
}

int sim_store_item_delete(sim_store *st, int64_t id, errinfo *err)
{
	sqlite3_stmt *s;
	int64_t ms = next_modseq(st);

	if (prep(&s, st, "INSERT INTO tombstones(folder, item, modseq)"
		 " SELECT folder, id, ? FROM items WHERE id = ?", err) < 0)
		return code_of(err);
	sqlite3_bind_int64(s, 1, ms);
	sqlite3_bind_int64(s, 2, id);
	if (run(s, st, err) < 0)
		return code_of(err);
	if (prep(&s, st, "DELETE FROM attachments WHERE item = ?", err) < 0)
		return code_of(err);
	sqlite3_bind_int64(s, 1, id);
	if (run(s, st, err) < 0)
		return code_of(err);
	if (prep(&s, st, "DELETE FROM items WHERE id = ?", err) < 0)
		return code_of(err);
	sqlite3_bind_int64(s, 1, id);
	return run(s, st, err);
}

static const char *page_sql(sim_sort_col col, int desc)
{
	static const char *const sqls[4][2] = {
		{ "SELECT " ITEM_COLS " FROM items WHERE folder = ?"
		  " ORDER BY received, id LIMIT ? OFFSET ?",
		  "SELECT " ITEM_COLS " FROM items WHERE folder = ?"
		  " ORDER BY received DESC, id DESC LIMIT ? OFFSET ?" },
		{ "SELECT " ITEM_COLS " FROM items WHERE folder = ?"
		  " ORDER BY subject, id LIMIT ? OFFSET ?",
		  "SELECT " ITEM_COLS " FROM items WHERE folder = ?"
		  " ORDER BY subject DESC, id DESC LIMIT ? OFFSET ?" },
		{ "SELECT " ITEM_COLS " FROM items WHERE folder = ?"
		  " ORDER BY start, id LIMIT ? OFFSET ?",
		  "SELECT " ITEM_COLS " FROM items WHERE folder = ?"
		  " ORDER BY start DESC, id DESC LIMIT ? OFFSET ?" },
		{ "SELECT " ITEM_COLS " FROM items WHERE folder = ?"
		  " ORDER BY id LIMIT ? OFFSET ?",
		  "SELECT " ITEM_COLS " FROM items WHERE folder = ?"
		  " ORDER BY id DESC LIMIT ? OFFSET ?" },
	};

	return sqls[col][desc ? 1 : 0];
}

int sim_store_item_page(sim_item_list *out, sim_store *st, int64_t folder,
			sim_sort_col col, int descending, long offset,
			long limit, errinfo *err)
{
	sqlite3_stmt *s;

	memset(out, 0, sizeof(*out));
	/* The folder's item count from its counter: O(1) whatever the folder
	 * size, where count(*) walked the whole folder on every page. */
	if (prep(&s, st, "SELECT total FROM folder_counts WHERE folder = ?",
		 err) < 0)
		return code_of(err);
	sqlite3_bind_int64(s, 1, folder);
	if (sqlite3_step(s) == SQLITE_ROW)
		out->total = (size_t)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (prep(&s, st, page_sql(col, descending), err) < 0)
		return code_of(err);
	sqlite3_bind_int64(s, 1, folder);
	sqlite3_bind_int64(s, 2, limit);
	sqlite3_bind_int64(s, 3, offset);
	return collect(out, s, st, err);
}

int sim_store_item_all(sim_item_list *out, sim_store *st, int64_t folder,
		       errinfo *err)
{
	sqlite3_stmt *s;

	memset(out, 0, sizeof(*out));
	if (prep(&s, st, "SELECT " ITEM_COLS " FROM items WHERE folder = ?"
		 " ORDER BY received DESC, id DESC", err) < 0)
		return code_of(err);
	sqlite3_bind_int64(s, 1, folder);
	if (collect(out, s, st, err) < 0)
		return code_of(err);
	out->total = out->n;
	return 0;
}

int sim_store_item_range(sim_item_list *out, sim_store *st, int64_t folder,
			 int64_t start, int64_t end, errinfo *err)
{
	sqlite3_stmt *s;

	memset(out, 0, sizeof(*out));
	if (prep(&s, st, "SELECT " ITEM_COLS " FROM items WHERE folder = ?"
		 " AND start < ? AND end > ? ORDER BY start, id", err) < 0)
		return code_of(err);
	sqlite3_bind_int64(s, 1, folder);
	sqlite3_bind_int64(s, 2, end);
	sqlite3_bind_int64(s, 3, start);
	if (collect(out, s, st, err) < 0)
		return code_of(err);
	out->total = out->n;
	return 0;
}

int sim_store_item_changes(sim_item_list *out, sim_tombstone **tomb,
			   size_t *ntomb, sim_store *st, int64_t folder,
			   int64_t after, errinfo *err)
{
	sqlite3_stmt *s;
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	*tomb = NULL;
	*ntomb = 0;
	if (prep(&s, st, "SELECT " ITEM_COLS " FROM items WHERE folder = ?"
		 " AND modseq > ? ORDER BY modseq", err) < 0)
		return code_of(err);
	sqlite3_bind_int64(s, 1, folder);
	sqlite3_bind_int64(s, 2, after);
	if (collect(out, s, st, err) < 0)
		return code_of(err);
	if (prep(&s, st, "SELECT item, modseq FROM tombstones WHERE folder = ?"
		 " AND modseq > ? ORDER BY modseq", err) < 0)
		return code_of(err);
	sqlite3_bind_int64(s, 1, folder);
	sqlite3_bind_int64(s, 2, after);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (*ntomb == cap) {
			size_t ncap = cap ? 2 * cap : 32;
			sim_tombstone *nv = realloc(*tomb, ncap * sizeof(*nv));

			if (!nv)
				break;
			*tomb = nv;
			cap = ncap;
		}
		(*tomb)[*ntomb].item = sqlite3_column_int64(s, 0);
		(*tomb)[*ntomb].modseq = sqlite3_column_int64(s, 1);
		(*ntomb)++;
	}
	sqlite3_finalize(s);
	return 0;
}

int sim_store_explain_page(char **out, sim_store *st, errinfo *err)
{
	sqlite3_stmt *s;
	char sql[512];
	size_t len = 0, cap = 1024;

	*out = NULL;
	snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s",
		 page_sql(SIM_SORT_RECEIVED, 1));
	if (prep(&s, st, sql, err) < 0)
		return code_of(err);
	*out = calloc(1, cap);
	while (*out && sqlite3_step(s) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(s, 3);
		size_t dl = d ? strlen(d) : 0;

		if (len + dl + 2 >= cap)
			break;
		memcpy(*out + len, d, dl);
		len += dl;
		(*out)[len++] = '\n';
	}
	sqlite3_finalize(s);
	return *out ? 0 : errinfo_set(err, ERR_NOMEM, "store: out of memory");
}

/* ---- attachments ---- */

void sim_attachment_dispose(sim_attachment *a)
{
	if (!a)
		return;
	free(a->name);
	free(a->content_type);
	free(a->content_id);
	free(a->data);
	json_decref(a->item_props);
	memset(a, 0, sizeof(*a));
}

void sim_attachment_list_free(sim_attachment *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		sim_attachment_dispose(&v[i]);
	free(v);
}

#define ATT_COLS "id, item, name, content_type, content_id, is_inline, " \
		 "content, item_kind, item_props"

static int read_att(sim_attachment *a, sqlite3_stmt *s)
{
	const void *blob;
	const unsigned char *t;

	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(s, 0);
	a->item = sqlite3_column_int64(s, 1);
	a->name = col_dup(s, 2);
	a->content_type = sqlite3_column_type(s, 3) == SQLITE_NULL ? NULL
			  : col_dup(s, 3);
	a->content_id = sqlite3_column_type(s, 4) == SQLITE_NULL ? NULL
			: col_dup(s, 4);
	a->is_inline = sqlite3_column_int(s, 5);
	blob = sqlite3_column_blob(s, 6);
	a->size = (size_t)sqlite3_column_bytes(s, 6);
	a->data = malloc(a->size + 1);
	if (a->data && a->size)
		memcpy(a->data, blob, a->size);
	t = sqlite3_column_text(s, 7);
	if (t)
		snprintf(a->item_kind, sizeof(a->item_kind), "%s",
			 (const char *)t);
	t = sqlite3_column_text(s, 8);
	if (t)
		a->item_props = json_loads((const char *)t, 0, NULL);
	return a->name && a->data ? 0 : -1;
}

int sim_store_att_insert(sim_store *st, sim_attachment *a, errinfo *err)
{
	sqlite3_stmt *s;
	char *props = NULL;
	int rc;

	if (a->item_props)
		props = json_dumps(a->item_props, JSON_COMPACT);
	if (prep(&s, st, "INSERT INTO attachments(item, name, content_type,"
		 " content_id, is_inline, content, item_kind, item_props)"
		 " VALUES(?, ?, ?, ?, ?, ?, ?, ?)", err) < 0) {
		free(props);
		return code_of(err);
	}
	sqlite3_bind_int64(s, 1, a->item);
	sqlite3_bind_text(s, 2, a->name ? a->name : "", -1, SQLITE_TRANSIENT);
	if (a->content_type)
		sqlite3_bind_text(s, 3, a->content_type, -1, SQLITE_TRANSIENT);
	if (a->content_id)
		sqlite3_bind_text(s, 4, a->content_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 5, a->is_inline);
	sqlite3_bind_blob(s, 6, a->data ? a->data : "", (int)a->size,
			  SQLITE_TRANSIENT);
	if (a->item_kind[0])
		sqlite3_bind_text(s, 7, a->item_kind, -1, SQLITE_TRANSIENT);
	if (props)
		sqlite3_bind_text(s, 8, props, -1, SQLITE_TRANSIENT);
	rc = run(s, st, err);
	free(props);
	if (rc < 0)
		return rc;
	a->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int sim_store_att_get(sim_attachment *out, sim_store *st, int64_t id,
		      errinfo *err)
{
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	if (prep(&s, st, "SELECT " ATT_COLS " FROM attachments WHERE id = ?",
		 err) < 0)
		return code_of(err);
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && read_att(out, s) < 0)
		rc = SQLITE_NOMEM;
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return ERR_NOTFOUND;
	return db_err(st, err, "attachment");
}

int sim_store_att_list(sim_attachment **out, size_t *n, sim_store *st,
		       int64_t item, errinfo *err)
{
	sqlite3_stmt *s;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	if (prep(&s, st, "SELECT " ATT_COLS " FROM attachments WHERE item = ?"
		 " ORDER BY id", err) < 0)
		return code_of(err);
	sqlite3_bind_int64(s, 1, item);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (*n == cap) {
			size_t ncap = cap ? 2 * cap : 4;
			sim_attachment *nv = realloc(*out, ncap * sizeof(*nv));

			if (!nv)
				break;
			*out = nv;
			cap = ncap;
		}
		if (read_att(&(*out)[*n], s) < 0) {
			sim_attachment_dispose(&(*out)[*n]);
			break;
		}
		(*n)++;
	}
	sqlite3_finalize(s);
	return 0;
}

int sim_store_att_delete(sim_store *st, int64_t id, errinfo *err)
{
	sqlite3_stmt *s;

	if (prep(&s, st, "DELETE FROM attachments WHERE id = ?", err) < 0)
		return code_of(err);
	sqlite3_bind_int64(s, 1, id);
	return run(s, st, err);
}
