/* address.h - SMTP address checks and the EWS_IMPERSONATION_ALLOWED fence.
 *
 * A target mailbox travels into an HTTP header (X-AnchorMailbox), a SOAP
 * header and the audit log, so it is checked before anything is built
 * from it: a plain addr-spec (RFC 5321 "Mailbox" without quoted local
 * parts or address literals), ASCII only, no characters with a meaning
 * in XML or HTTP. The allow-list is a comma-separated list of globs ('*'
 * any run, '?' one character, case ignored) naming the mailboxes this
 * server may touch on top of what Exchange grants.
 */
#ifndef INCLUDE_ews_address_h__
#define INCLUDE_ews_address_h__

#include <stddef.h>

#include "core/errinfo.h"

/* Longest address accepted (RFC 5321: 254 octets in a path). */
#define EWS_ADDRESS_MAX 254

/**
 * Copies s without surrounding spaces and tabs, lower-cased, into out
 * (cap bytes incl. NUL). CR, LF and other controls are not trimmed: they
 * make the address invalid. 0, or ERR_INVAL naming field when the result
 * does not fit.
 */
int ews_address_canonical(char *out, size_t cap, const char *s,
			  const char *field, errinfo *err);

/**
 * 0 if addr is a plain SMTP address, else ERR_INVAL with a message naming
 * field, showing the value (controls escaped, cut at 80 characters) and
 * the reason, e.g. "target_mailbox 'bob': is not a valid SMTP address (no
 * '@')".
 */
int ews_address_check(const char *addr, const char *field, errinfo *err);

/** Writes a printable rendering of s (controls as \xNN, at most 80
 *  characters then "...") into out. */
void ews_address_show(char *out, size_t cap, const char *s);

typedef struct ews_allowlist ews_allowlist;

/**
 * Parses "pat1, pat2, ..." (NULL or blank = no list: everything allowed).
 * Each pattern must be non-empty and may only hold address characters,
 * '*' and '?'. 0 and *out (NULL for "no list"), or ERR_CONFIG naming
 * EWS_IMPERSONATION_ALLOWED and the bad entry.
 */
int ews_allowlist_parse(ews_allowlist **out, const char *spec, errinfo *err);

/** Non-zero if addr (canonical) matches a pattern, or the list is NULL. */
int ews_allowlist_match(const ews_allowlist *list, const char *addr);

/** Non-zero if pattern (case ignored) matches text with glob rules. */
int ews_glob_match(const char *pattern, const char *text);

void ews_allowlist_free(ews_allowlist *list);

#endif
