/* mailbox.h - which mailbox a call works on, and how (DESIGN.md
 * "Mailbox targeting", the seed's contract).
 *
 * ews_mailbox_resolve() turns a tool's optional target_mailbox into a
 * mailbox context:
 *   - no target, or EWS_EMAIL itself (case and surrounding blanks
 *     ignored): the primary mailbox;
 *   - else, with EWS_IMPERSONATION_ENABLED false: the seed's error,
 *     verbatim;
 *   - else the target must be a plain SMTP address and pass
 *     EWS_IMPERSONATION_ALLOWED; the context is then served by
 *     impersonation (SOAP ExchangeImpersonation header + X-AnchorMailbox)
 *     or delegate access (no header; the mailbox named in every
 *     distinguished folder id; sends as draft + SendItem with From =
 *     target). App-only OAuth always impersonates, the primary mailbox
 *     included, since its token names no user.
 * Contexts are cached (LRU + TTL) by lower-cased address. Creating one
 * costs no request: the first real operation is the probe. If Exchange
 * refuses the target (ErrorImpersonateUserDenied, ErrorNonExistentMailbox,
 * or ErrorAccessDenied on that first request) the call fails with
 * "Failed to access mailbox <target>: <Exchange's text>" and the refusal
 * is cached for a short time, so repeated calls for a bad target cost
 * nothing.
 */
#ifndef INCLUDE_ews_mailbox_h__
#define INCLUDE_ews_mailbox_h__

#include "core/errinfo.h"
#include "ews/client.h"

typedef enum ews_access {
	EWS_ACCESS_SELF = 0,       /* the service account's own mailbox */
	EWS_ACCESS_IMPERSONATION,
	EWS_ACCESS_DELEGATE
} ews_access;

/**
 * Resolves target (NULL or "" = primary) to a context.
 * @param[out] out a reference the caller releases with ews_mailbox_free().
 * @return 0, or ERR_CONFIG (impersonation disabled: the seed's text),
 *         ERR_INVAL (not an SMTP address; names target_mailbox),
 *         ERR_ACCESS (not in EWS_IMPERSONATION_ALLOWED, or a cached
 *         refusal), ERR_NOTFOUND (cached "no such mailbox"), ERR_NOMEM.
 */
int ews_mailbox_resolve(ews_mailbox **out, ews_client *c, const char *target,
			errinfo *err);

/** Releases the caller's reference. NULL-safe. */
void ews_mailbox_free(ews_mailbox *mb);

/** The mailbox's SMTP address: EWS_EMAIL for the primary, the
 *  lower-cased trimmed target otherwise (borrowed). This is the
 *  "mailbox" field of tool results. */
const char *ews_mailbox_address(const ews_mailbox *mb);

/** How the mailbox is reached (self / impersonation / delegate). */
ews_access ews_mailbox_access(const ews_mailbox *mb);

/** "self", "impersonation" or "delegate" (audit log wording). */
const char *ews_access_name(ews_access access);

/** Non-zero for the primary mailbox. */
int ews_mailbox_is_primary(const ews_mailbox *mb);

/** Non-zero once a request for this context succeeded. */
int ews_mailbox_is_verified(const ews_mailbox *mb);

/* EWS_IMPERSONATION_TYPE=auto: 1 when err is Exchange's refusal to let us
 * impersonate mb's owner and mb has therefore moved to delegate access.
 * The refused request executed nothing, so the caller may make its call
 * again, once, now as a delegate. */
int ews_mailbox_moved_to_delegate(ews_mailbox *mb, const errinfo *err);

#endif
