/* internal.h - what the files of src/ews share and nobody else sees: the
 * client and mailbox-context structs and the helpers between client.c,
 * mailbox.c, call.c and folders.c. Not to be included outside src/ews.
 */
#ifndef INCLUDE_ews_internal_h__
#define INCLUDE_ews_internal_h__

#include <pthread.h>
#include <stdatomic.h>

#include "core/errinfo.h"
#include "ews/address.h"
#include "ews/cache.h"
#include "ews/client.h"
#include "ews/gate.h"
#include "ews/mailbox.h"
#include "ews/oauth.h"
#include "ews/transport.h"

struct ews_client {
	ews_client_options o;        /* strings below replace the caller's */
	char *url;                   /* normalised endpoint */
	char *primary;               /* EWS_EMAIL trimmed, as configured */
	char *primary_key;           /* lower-cased */
	char *server_version;
	const char *tz_windows;      /* static string from core/tz, or NULL */
	ews_transport *transport;
	ews_oauth *oauth;            /* oauth2 only */
	ews_cache *cache;            /* target contexts */
	ews_allowlist *allow;
	ews_gate *mailbox_gate;      /* per mailbox address */
	ews_gate *identity_gate;     /* per throttling identity, + back-off */
	ews_mailbox *primary_mb;
	atomic_int no_impersonation; /* auto: Exchange said this account may
				      * impersonate nobody */
};

typedef struct ews_folder_entry {
	char *path;                  /* canonical path, e.g. "inbox/projects" */
	char *id;
	char *change_key;
} ews_folder_entry;

#define EWS_FOLDER_CACHE_MAX 512

struct ews_mailbox {
	atomic_int refs;
	char *address;               /* canonical (lower-case) or EWS_EMAIL */
	atomic_int access;           /* ews_access; auto mode may move it
				      * from impersonation to delegate once */
	atomic_int impersonate;      /* send ExchangeImpersonation */
	int primary;
	atomic_int verified;         /* a request succeeded */
	pthread_mutex_t lock;        /* guards what follows */
	int auto_pending;            /* auto mode, nothing decided yet */
	char auto_refusal[300];      /* why impersonation was not used */
	int failed;                  /* a cached refusal: failure holds it */
	errinfo failure;
	ews_folder_entry *folders;
	size_t nfolders;
};

/* Takes another reference. */
void ews_mailbox__retain(ews_mailbox *mb);

/* Auto mode: Exchange refused to let us impersonate mb's owner (code,
 * text). If mb was still undecided it now uses delegate access (and, for
 * ErrorImpersonationDenied, so will every new context of c): 1, with err
 * saying so; the refused request executed nothing and may be made again
 * as a delegate. 0 when mb was not waiting for that decision. */
int ews_mailbox__auto_to_delegate(ews_client *c, ews_mailbox *mb,
				  const char *code, const char *text,
				  errinfo *err);

/* Auto mode: why impersonation was not used for mb ("" if it was), for
 * error messages about delegate access; into out. */
void ews_mailbox__auto_refusal(ews_mailbox *mb, char *out, size_t cap);

/* A request for mb succeeded: logs "Successfully connected to mailbox"
 * the first time. */
void ews_mailbox__succeeded(ews_mailbox *mb);

/* Exchange refused the target: fills err with "Failed to access mailbox
 * <addr>: <text>" (category from the code, ews_code kept) and, when
 * cache_it, remembers the refusal for the negative TTL. Returns the
 * category. */
int ews_mailbox__refused(ews_client *c, ews_mailbox *mb, const char *code,
			 const char *text, int cache_it, errinfo *err);

/* Copies a cached refusal into err; 0 when mb has none. */
int ews_mailbox__cached_failure(ews_mailbox *mb, errinfo *err);

/* Folder-id cache of a context (thread-safe). get copies the id into the
 * caller's buffers; 0 if found, ERR_NOTFOUND if not. */
int ews_mailbox__folder_get(ews_mailbox *mb, const char *path, char *id,
			    size_t id_cap, char *ck, size_t ck_cap);
void ews_mailbox__folder_put(ews_mailbox *mb, const char *path,
			     const char *id, const char *change_key);
void ews_mailbox__folders_clear(ews_mailbox *mb);

/* The cache's reference functions for contexts. */
void ews_mailbox__cache_retain(void *mb);
void ews_mailbox__cache_release(void *mb);

/* Builds a context (refs = 1). */
int ews_mailbox__new(ews_mailbox **out, const char *address, ews_access access,
		     int impersonate, int primary, errinfo *err);


/* ---- shared by the ops_*.c wrappers (ops_util.c) ----------------------- */

#include <jansson.h>

#include "core/buf.h"
#include "ews/call.h"
#include "soap/types.h"

typedef int (*ews_reader_fn)(json_t **out, const soap_response *r,
			     errinfo *err);

typedef enum ews_check {
	EWS_CHECK_NONE = 0,      /* the reader handles every message */
	EWS_CHECK_FIRST,         /* the first message must not be an Error */
	EWS_CHECK_ALL_FAILED     /* fail only when every message failed */
} ews_check;

/* Posts req for ctx, checks the messages as asked and reads the answer
 * with read. built is what the soap builder returned for req: when it is
 * negative nothing is sent and it is returned. Disposes req either way, so
 * a wrapper is one line: ews__run(..., soap_X_request(&req, ...), ...). */
int ews__run(json_t **out, const ews_ctx *ctx, const ews_call *call,
	     buf *req, int built, ews_check check, ews_reader_fn read, errinfo *err);

/* Under delegate access, completes a refusal in err with the folder, the
 * permission level call needs there and who grants it, and in auto mode
 * why impersonation was not used (delegate_hint.c). req is the request
 * that was refused. */
void ews__delegate_hint(errinfo *err, const ews_ctx *ctx, const ews_call *call,
			const buf *req, int error);

/* src with the context's mailbox added to a distinguished folder id that
 * names none (folder ids carry their mailbox already). */
soap_folder_ref ews__folder_for(const soap_folder_ref *src, const ews_ctx *ctx);

/* The same for n refs into dst (n <= SOAP_BATCH_MAX, else ERR_INVAL
 * naming field). */
int ews__folders_for(soap_folder_ref *dst, const soap_folder_ref *src,
		     size_t n, const ews_ctx *ctx, const char *field,
		     errinfo *err);

/* A distinguished folder of the context's mailbox. */
soap_folder_ref ews__distinguished(const ews_ctx *ctx, const char *name);

#endif
