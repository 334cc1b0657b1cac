/* folders.h - naming folders the way users do.
 *
 * Tools accept a folder as a well-known name ("inbox", "sent", "drafts",
 * "deleted", "junk", "calendar", "contacts", "tasks", "root",
 * "msgfolderroot", "archive", or any EWS distinguished name itself), as a
 * display-name path ("Inbox/Projects/2026", "Projects/2026" = under the
 * top of the mailbox), or as a folder id from an earlier answer. This
 * module turns those into a soap_folder_ref for a mailbox context.
 *
 * Paths are resolved one level at a time with a Shallow FindFolder of the
 * parent (DisplayName only), and every child seen is remembered in the
 * context's folder cache under its full path. Chosen over one Deep
 * FindFolder under the first segment because (a) a Deep traversal of a
 * large Inbox returns thousands of folders to find one, (b) a delegate
 * with rights on one folder may be refused a Deep traversal of its
 * parent, and (c) the siblings cached along the way make the next path
 * under the same parent free. A typical 2-3 level path costs 1-2 requests
 * the first time and none afterwards (until CACHE_TTL or a folder write).
 */
#ifndef INCLUDE_ews_folders_h__
#define INCLUDE_ews_folders_h__

#include "core/errinfo.h"
#include "ews/address.h"
#include "ews/client.h"
#include "soap/types.h"

#define EWS_FOLDER_ID_MAX 512

/* A resolved folder; owns the strings its ref points to, so use it
 * through ews_folder_ref() rather than copying ref members around. */
typedef struct ews_folder {
	char distinguished[40];
	char id[EWS_FOLDER_ID_MAX];
	char change_key[256];
	char mailbox[EWS_ADDRESS_MAX + 1];
} ews_folder;

/** The EWS distinguished name of a user-facing folder name ("sent" ->
 *  "sentitems", "Inbox" -> "inbox"), or NULL when name is none. */
const char *ews_folder_distinguished_name(const char *name);

/**
 * Resolves spec for ctx's mailbox: a well-known name, or a display-name
 * path ('/'-separated, case ignored, blanks around segments trimmed).
 * @return 0, ERR_INVAL (empty spec or segment: names "folder"),
 *         ERR_NOTFOUND ("folder 'Inbox/Projekts': no folder 'Projekts'
 *         in 'Inbox'"), or the error of the FindFolder request.
 */
int ews_folder_resolve(ews_folder *out, const ews_ctx *ctx, const char *spec,
		       errinfo *err);

/** A folder given by id (change_key may be NULL). ERR_INVAL if the id is
 *  empty or too long. */
int ews_folder_from_id(ews_folder *out, const char *id, const char *change_key,
		       errinfo *err);

/** Non-zero when a user's folder argument is a folder id rather than a
 *  name or path: EWS ids are base64 text that starts with the marker of
 *  an Exchange store id ("AAMk", "AQMk", "AAE") — no folder name users
 *  type looks like that, while ids may contain '/' like a path does. */
int ews_folder_spec_is_id(const char *spec);

/** The soap reference of f (pointers into f). */
soap_folder_ref ews_folder_ref(const ews_folder *f);

#endif
