/* audit.c - the JSON Lines audit log (see audit.h).
 *
 * One line per tool call, written with a single write(2) on an O_APPEND
 * descriptor under one mutex, so lines from concurrent calls never
 * interleave and a reader never sees half a line except after a crash.
 * The file and its rotations are created 0600: the log names mailboxes
 * and subjects. Rotation renames path.N-1 -> path.N ... path -> path.1
 * and opens a fresh path; with no backups the file is truncated instead.
 * Another process writing the same file is not coordinated with.
 */
#include "core/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"

#define AUDIT_STRING_MAX 200      /* characters kept of a long string */
#define AUDIT_DEPTH_MAX 32        /* deeper values are replaced */

struct audit_log {
	pthread_mutex_t lock;
	char *path;
	int fd;
	long max_bytes;
	long backups;
	long size;          /* bytes in the current file */
	int error_logged;   /* the first failure is logged, later ones not */
};

/* ---- redaction ---- */

/* The argument names whose values never reach the file: secrets, and
 * message or attachment content. Matched whole (lower-cased, '-' read as
 * '_'), not as substrings: a substring match hid body_format and
 * include_body, which say how a call read or wrote, not what. The names
 * are the tools' own (body, file_content, internal_reply, ...), the
 * Python server's (html_body, text_body, mime_content, content_base64)
 * and the usual credential fields, should a client send one. */
static const char *const sensitive[] = {
	/* credentials */
	"password", "passwd", "ews_password", "secret", "client_secret",
	"ews_client_secret", "token", "access_token", "refresh_token", "id_token",
	"api_key", "apikey", "x_api_key", "mcp_api_key", "authorization",
	"proxy_authorization", "cookie",
	/* message text */
	"body", "html_body", "text_body", "body_html", "body_text", "unique_body",
	"internal_reply", "external_reply",
	/* attachment and MIME content */
	"content", "file_content", "content_base64", "mime", "mime_content",
	"mime_content_base64",
};

static int is_sensitive(const char *key)
{
	char norm[128];
	size_t i;

	for (i = 0; key[i]; i++) {
		char c = key[i];

		if (i == sizeof(norm) - 1)
			return 0; /* longer than any name in the table */
		norm[i] = c == '-' ? '_' : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	norm[i] = '\0';
	for (i = 0; i < sizeof(sensitive) / sizeof(sensitive[0]); i++)
		if (strcmp(norm, sensitive[i]) == 0)
			return 1;
	return 0;
}

/* A copy of s cut to AUDIT_STRING_MAX characters (UTF-8 code points). */
static json_t *cut_string(const char *s, size_t len)
{
	size_t i = 0, chars = 0;
	buf b = BUF_INIT(AUDIT_STRING_MAX * 4 + 32);
	json_t *out;

	while (i < len && chars < AUDIT_STRING_MAX) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	if (i >= len)
		return json_stringn(s, len);
	buf_put(&b, s, i);
	buf_puts(&b, "\xE2\x80\xA6[truncated]");
	out = json_stringn(buf_cstr(&b), b.len);
	buf_dispose(&b);
	return out;
}

static json_t *redact(const json_t *v, int depth)
{
	json_t *out;

	if (depth > AUDIT_DEPTH_MAX)
		return json_string("[TOO DEEP]");
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *val;

		out = json_object();
		json_object_foreach((json_t *)v, key, val) {
			json_t *copy = is_sensitive(key) ? json_string("[REDACTED]")
							 : redact(val, depth + 1);

			if (!out || !copy || json_object_set_new(out, key, copy) < 0) {
				json_decref(out);
				return NULL;
			}
		}
		return out;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *val;

		out = json_array();
		json_array_foreach(v, i, val) {
			json_t *copy = redact(val, depth + 1);

			if (!out || !copy || json_array_append_new(out, copy) < 0) {
				json_decref(out);
				return NULL;
			}
		}
		return out;
	}
	case JSON_STRING:
		return cut_string(json_string_value(v), json_string_length(v));
	default:
		return json_deep_copy(v);
	}
}

json_t *audit_redact(const json_t *args)
{
	if (!args)
		return NULL;
	return redact(args, 0);
}

/* ---- the file ---- */

/* mkdir -p of the folders above path (0700: they hold audit data). */
static int make_parents(const char *path, errinfo *err)
{
	char *copy = strdup(path), *p;
	int error = 0;

	if (!copy)
		return errinfo_set(err, ERR_NOMEM, "audit log: out of memory");
	for (p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
			error = errinfo_set(err, ERR_IO, "audit log: cannot create folder %s: %s",
					    copy, strerror(errno));
			break;
		}
		*p = '/';
	}
	free(copy);
	return error;
}

static int open_file(audit_log *log, errinfo *err)
{
	struct stat st;

	log->fd = open(log->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (log->fd < 0)
		return errinfo_set(err, ERR_IO, "audit log: cannot open %s: %s", log->path,
				   strerror(errno));
	log->size = fstat(log->fd, &st) == 0 ? (long)st.st_size : 0;
	return 0;
}

int audit_open(audit_log **out, const char *path, long max_bytes,
	       long backups, errinfo *err)
{
	audit_log *log;
	int error;

	*out = NULL;
	if (!path || !*path)
		return errinfo_set(err, ERR_CONFIG,
				   "AUDIT_LOG_PATH: empty path (example: AUDIT_LOG_PATH=logs/audit.log)");
	if (backups < 0)
		return errinfo_set(err, ERR_CONFIG, "AUDIT_LOG_BACKUPS: %ld is negative", backups);
	log = calloc(1, sizeof(*log));
	if (!log || !(log->path = strdup(path))) {
		free(log);
		return errinfo_set(err, ERR_NOMEM, "audit log: out of memory");
	}
	pthread_mutex_init(&log->lock, NULL);
	log->fd = -1;
	log->max_bytes = max_bytes;
	log->backups = backups;
	error = make_parents(path, err);
	if (error == 0)
		error = open_file(log, err);
	if (error < 0) {
		audit_close(log);
		return error;
	}
	*out = log;
	return 0;
}

static void report_once(audit_log *log, const char *what)
{
	if (!log->error_logged)
		log_error("Audit", "audit log %s: %s failed: %s", log->path, what,
			  strerror(errno));
	log->error_logged = 1;
}

/* Called with the lock held. */
static int rotate(audit_log *log)
{
	buf from = BUF_INIT(4096), to = BUF_INIT(4096);
	long i;
	int error = 0;

	if (log->backups == 0) {
		if (ftruncate(log->fd, 0) != 0) {
			report_once(log, "truncate");
			return ERR_IO;
		}
		log->size = 0;
		return 0;
	}
	close(log->fd);
	log->fd = -1;
	for (i = log->backups - 1; i >= 1; i--) {
		buf_clear(&from);
		buf_clear(&to);
		buf_printf(&from, "%s.%ld", log->path, i);
		buf_printf(&to, "%s.%ld", log->path, i + 1);
		if (rename(buf_cstr(&from), buf_cstr(&to)) != 0 && errno != ENOENT)
			report_once(log, "rotate");
	}
	buf_clear(&to);
	buf_printf(&to, "%s.1", log->path);
	if (rename(log->path, buf_cstr(&to)) != 0)
		report_once(log, "rotate");
	if (open_file(log, NULL) < 0) {
		report_once(log, "reopen");
		error = ERR_IO;
	}
	buf_dispose(&from);
	buf_dispose(&to);
	return error;
}

/* NULL becomes null; text that is not UTF-8 (json_string refuses it) is
 * replaced rather than silently dropping the field. */
static void put_str(json_t *obj, const char *key, const char *value)
{
	json_t *v = value ? json_string(value) : json_null();

	json_object_set_new(obj, key, v ? v : json_string("[invalid UTF-8]"));
}

/* Builds the line (with its newline) for rec; NULL on out-of-memory. */
static char *format_line(const audit_record *rec)
{
	char stamp[96];
	struct timespec ts;
	struct tm tm;
	json_t *obj = json_object(), *args;
	char *text, *line = NULL;
	size_t len;

	if (!obj)
		return NULL;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		 tm.tm_sec, (long)(ts.tv_nsec / 1000000) % 1000);
	put_str(obj, "timestamp", stamp);
	put_str(obj, "tool", rec->tool);
	put_str(obj, "service_account", rec->service_account);
	put_str(obj, "target_mailbox", rec->target_mailbox);
	put_str(obj, "access_type", rec->access_type);
	put_str(obj, "outcome", rec->success ? "success" : "error");
	put_str(obj, "error_code", rec->success ? NULL : rec->error_code);
	put_str(obj, "ews_code", rec->ews_code);
	json_object_set_new(obj, "duration_ms", json_real(round(rec->duration_ms * 10) / 10));
	put_str(obj, "request_id", rec->request_id);
	json_object_set_new(obj, "item_ids",
			    rec->item_ids ? json_deep_copy(rec->item_ids) : json_array());
	args = rec->arguments ? audit_redact(rec->arguments) : json_null();
	json_object_set_new(obj, "arguments", args ? args : json_null());

	/* jansson escapes control characters, so the text has no newline. */
	text = json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(12));
	json_decref(obj);
	if (!text)
		return NULL;
	len = strlen(text);
	line = realloc(text, len + 2);
	if (!line) {
		free(text);
		return NULL;
	}
	line[len] = '\n';
	line[len + 1] = '\0';
	return line;
}

int audit_write(audit_log *log, const audit_record *rec)
{
	char *line;
	size_t len;
	ssize_t n;
	int error = 0;

	if (!log || !rec)
		return 0;
	line = format_line(rec);
	if (!line) {
		log_error("Audit", "audit log %s: out of memory, line for %s lost", log->path,
			  rec->tool ? rec->tool : "?");
		return ERR_NOMEM;
	}
	len = strlen(line);

	pthread_mutex_lock(&log->lock);
	if (log->fd < 0 && open_file(log, NULL) < 0) {
		report_once(log, "open");
		error = ERR_IO;
		goto unlock;
	}
	if (log->max_bytes > 0 && log->size > 0 &&
	    (long)len > log->max_bytes - log->size) {
		error = rotate(log);
		if (log->fd < 0)
			goto unlock;
	}
	n = write(log->fd, line, len);
	if (n < 0 || (size_t)n != len) {
		report_once(log, "write");
		error = ERR_IO;
	}
	if (n > 0)
		log->size += (long)n;
unlock:
	pthread_mutex_unlock(&log->lock);
	free(line);
	return error;
}

void audit_close(audit_log *log)
{
	if (!log)
		return;
	if (log->fd >= 0)
		close(log->fd);
	pthread_mutex_destroy(&log->lock);
	free(log->path);
	free(log);
}
