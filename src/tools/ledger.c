/* ledger.c - the idempotency ledger in SQLite (see ledger.h). */
#include "tools/ledger.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KEY_LIFETIME_S (24 * 3600)

struct tools_ledger {
	sqlite3 *db;
	pthread_mutex_t lock;
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS idempotency ("
	" key TEXT NOT NULL, mailbox TEXT NOT NULL, tool TEXT NOT NULL,"
	" fingerprint TEXT NOT NULL, state TEXT NOT NULL," /* pending|done|unknown */
	" result TEXT, created INTEGER NOT NULL,"
	" PRIMARY KEY (key, mailbox));";

int tools_ledger_open(tools_ledger **out, const char *path, errinfo *err)
{
	tools_ledger *l;
	char *msg = NULL;

	*out = NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	if (sqlite3_open_v2(path ? path : ":memory:", &l->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(l->db, "PRAGMA journal_mode=WAL;", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(l->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
		errinfo_set(err, ERR_IO, "idempotency ledger %s: %s", path ? path : ":memory:",
			    msg ? msg : sqlite3_errmsg(l->db));
		sqlite3_free(msg);
		sqlite3_close(l->db);
		free(l);
		return ERR_IO;
	}
	sqlite3_busy_timeout(l->db, 5000);
	pthread_mutex_init(&l->lock, NULL);
	*out = l;
	return 0;
}

void tools_ledger_close(tools_ledger *l)
{
	if (!l)
		return;
	sqlite3_close(l->db);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

static int exec_bound(sqlite3 *db, const char *sql, const char *const *texts,
		      int ntexts, long long num)
{
	sqlite3_stmt *st = NULL;
	int i, rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	for (i = 0; i < ntexts; i++)
		sqlite3_bind_text(st, i + 1, texts[i], -1, SQLITE_TRANSIENT);
	if (num >= 0)
		sqlite3_bind_int64(st, ntexts + 1, num);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int tools_ledger_claim(tools_ledger *l, const char *key, const char *mailbox,
		       const char *tool, const char *fingerprint,
		       tools_claim *state, json_t **previous, errinfo *err)
{
	sqlite3_stmt *st = NULL;
	long long now = (long long)time(NULL);
	const char *texts[4] = { key, mailbox, tool, fingerprint };
	int rc, error = 0;

	*previous = NULL;
	*state = TOOLS_CLAIM_NEW;
	pthread_mutex_lock(&l->lock);
	exec_bound(l->db, "DELETE FROM idempotency WHERE created < ?1", NULL, 0,
		   now - KEY_LIFETIME_S);
	if (sqlite3_prepare_v2(l->db, "SELECT state, result, fingerprint FROM idempotency "
			       "WHERE key = ?1 AND mailbox = ?2", -1, &st, NULL) != SQLITE_OK) {
		error = errinfo_set(err, ERR_IO, "idempotency ledger: %s", sqlite3_errmsg(l->db));
		goto done;
	}
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, mailbox, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		const char *res = (const char *)sqlite3_column_text(st, 1);
		const char *fp = (const char *)sqlite3_column_text(st, 2);

		if (fp && strcmp(fp, fingerprint) != 0)
			*state = TOOLS_CLAIM_MISMATCH;
		else if (strcmp(s, "done") == 0) {
			*state = TOOLS_CLAIM_DONE;
			*previous = res ? json_loads(res, 0, NULL) : NULL;
		} else if (strcmp(s, "unknown") == 0)
			*state = TOOLS_CLAIM_UNKNOWN;
		else
			*state = TOOLS_CLAIM_BUSY;
		goto done;
	}
	if (exec_bound(l->db, "INSERT INTO idempotency (key, mailbox, tool, fingerprint, "
		       "state, created) VALUES (?1, ?2, ?3, ?4, 'pending', ?5)",
		       texts, 4, now) < 0)
		error = errinfo_set(err, ERR_IO, "idempotency ledger: %s", sqlite3_errmsg(l->db));
done:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&l->lock);
	return error;
}

void tools_ledger_settle(tools_ledger *l, const char *key, const char *mailbox,
			 const json_t *result, int unknown)
{
	const char *texts[3];
	char *text = NULL;

	pthread_mutex_lock(&l->lock);
	if (result) {
		text = json_dumps(result, JSON_COMPACT);
		texts[0] = text;
		texts[1] = key;
		texts[2] = mailbox;
		exec_bound(l->db, "UPDATE idempotency SET state = 'done', result = ?1 "
			   "WHERE key = ?2 AND mailbox = ?3", texts, 3, -1);
	} else if (unknown) {
		texts[0] = key;
		texts[1] = mailbox;
		exec_bound(l->db, "UPDATE idempotency SET state = 'unknown' "
			   "WHERE key = ?1 AND mailbox = ?2", texts, 2, -1);
	} else {
		texts[0] = key;
		texts[1] = mailbox;
		exec_bound(l->db, "DELETE FROM idempotency WHERE key = ?1 AND mailbox = ?2",
			   texts, 2, -1);
	}
	pthread_mutex_unlock(&l->lock);
	free(text);
}
