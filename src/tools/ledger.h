/* ledger.h - idempotency keys for sends: a repeated key returns the first
 * outcome instead of sending again.
 *
 * A key is claimed before the send (so two concurrent calls with one key
 * cannot both send), then settled with the outcome. A send that provably
 * did not happen releases the key so it may be retried; a send whose
 * outcome is unknown keeps it, and repeats are told to check Sent Items.
 * Stored in SQLite (DATA_DIR/ews-mcp.sqlite) so a restart does not forget;
 * keys expire after a day. All SQL uses bound parameters.
 */
#ifndef INCLUDE_tools_ledger_h__
#define INCLUDE_tools_ledger_h__

#include <jansson.h>

#include "core/errinfo.h"

typedef struct tools_ledger tools_ledger;

typedef enum tools_claim {
	TOOLS_CLAIM_NEW = 0,      /* ours: go ahead and send */
	TOOLS_CLAIM_DONE,         /* already sent: *previous holds the result */
	TOOLS_CLAIM_BUSY,         /* another call with this key is sending now */
	TOOLS_CLAIM_UNKNOWN,      /* an earlier attempt's outcome is unknown */
	TOOLS_CLAIM_MISMATCH      /* key reused with different arguments */
} tools_claim;

/* path NULL or ":memory:" keeps the ledger in memory. */
int tools_ledger_open(tools_ledger **out, const char *path, errinfo *err);
void tools_ledger_close(tools_ledger *l);

/* Claims key for (mailbox, tool, fingerprint of the arguments). On
 * TOOLS_CLAIM_DONE *previous is the stored result (caller decrefs). */
int tools_ledger_claim(tools_ledger *l, const char *key, const char *mailbox,
		       const char *tool, const char *fingerprint,
		       tools_claim *state, json_t **previous, errinfo *err);

/* Settles a claimed key: result non-NULL = sent (stored for repeats);
 * result NULL and unknown = outcome unknown (kept); result NULL and
 * !unknown = not sent (released). */
void tools_ledger_settle(tools_ledger *l, const char *key, const char *mailbox,
			 const json_t *result, int unknown);

#endif
