/* errinfo.h - the one error type of the project.
 *
 * Fallible functions return int: 0 on success or a negative ERR_* code, and
 * fill an errinfo passed as their last argument. The first message set is
 * kept (curl's failf): the innermost cause survives, outer layers cannot
 * overwrite it. The struct is plain data, safe to keep on the stack and to
 * pass across threads; no thread-local state is involved.
 */
#ifndef INCLUDE_errinfo_h__
#define INCLUDE_errinfo_h__

/* Error categories. Each maps to one stable name (errinfo_code_name) that
 * tools report as "error_code" and the audit log records. */
enum {
	ERR_OK = 0,
	ERR_GENERIC = -1,         /* anything not listed below */
	ERR_NOMEM = -2,           /* allocation failed or a size cap was hit */
	ERR_INVAL = -3,           /* bad input from the caller */
	ERR_NOTFOUND = -4,        /* item/folder/mailbox not there (or not visible) */
	ERR_ACCESS = -5,          /* authenticated, but not allowed */
	ERR_AUTH = -6,            /* credentials rejected */
	ERR_CONFIG = -7,          /* configuration is missing or wrong */
	ERR_THROTTLED = -8,       /* server asked us to back off */
	ERR_TRANSIENT = -9,       /* temporary failure, safe to try later */
	ERR_PARSE = -10,          /* a peer sent something we cannot read */
	ERR_IO = -11,             /* file or network I/O failed */
	ERR_TIMEOUT = -12,        /* no answer in time */
	ERR_OUTCOME_UNKNOWN = -13,/* a write may or may not have happened */
	ERR_CANCELLED = -14,      /* the caller cancelled the call */
	ERR_LIMIT = -15,          /* a local limit (size, rate, concurrency) */
	ERR_PROTOCOL = -16,       /* a peer broke its protocol */
	ERR_CONFLICT = -17        /* stale change key, duplicate, state conflict */
};

#define ERRINFO_MSG_MAX 1024

typedef struct errinfo {
	int code;                  /* ERR_*, 0 = none */
	long http_status;          /* 0 if no HTTP exchange happened */
	long backoff_ms;           /* server's back-off hint, 0 if none */
	char ews_code[64];         /* EWS ResponseCode, e.g. ErrorItemNotFound */
	char msg[ERRINFO_MSG_MAX]; /* one line, innermost cause */
} errinfo;

#define ERRINFO_INIT { 0, 0, 0, { 0 }, { 0 } }

/* Records code and message unless a message is already set; returns code
 * either way, so `return errinfo_set(err, ERR_INVAL, "...")` reads well.
 * err may be NULL. Newlines in the message become spaces. */
int errinfo_set(errinfo *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sets the EWS response code (if none is set yet). */
void errinfo_set_ews_code(errinfo *err, const char *ews_code);

/* Empties err for reuse. */
void errinfo_clear(errinfo *err);

/* Stable snake_case name of a code: "not_found", "access_denied", ... */
const char *errinfo_code_name(int code);

#endif
