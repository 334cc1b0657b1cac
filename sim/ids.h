/* ids.h - opaque EWS ids and change keys of ews-sim.
 *
 * An id is the base64 of a small binary record: a fixed prefix (so ids
 * look like Exchange's "AAMk..." ids), the kind of object, the mailbox it
 * belongs to, the store row id and a check byte. Clients send no mailbox
 * with an ItemId, so the mailbox must travel inside the id (implicit
 * delegate access, ews-protocol.md §4.1). The check byte lets the sim tell
 * a malformed or edited id (ErrorInvalidIdMalformed) from a well-formed id
 * of a deleted object (ErrorItemNotFound).
 */
#ifndef INCLUDE_sim_ids_h__
#define INCLUDE_sim_ids_h__

#include <stdint.h>

#include "core/buf.h"

typedef enum sim_id_kind {
	SIM_ID_ITEM = 1,
	SIM_ID_FOLDER = 2,
	SIM_ID_ATTACHMENT = 3
} sim_id_kind;

#define SIM_ID_MAX 64   /* bytes of an encoded id incl. NUL */

typedef struct sim_id {
	sim_id_kind kind;
	int mailbox;        /* store mailbox id (user index + 1) */
	int64_t row;        /* store row id */
} sim_id;

/* Writes the id text into out (SIM_ID_MAX bytes). */
void sim_id_encode(char out[SIM_ID_MAX], sim_id_kind kind, int mailbox,
		   int64_t row);

/* 0 and *out, or -1 when text is not an id this sim issued (malformed). */
int sim_id_decode(sim_id *out, const char *text);

/* Change key text of a version counter (out: SIM_ID_MAX bytes), and back:
 * 0 and *version, or -1 when malformed. */
void sim_ck_encode(char out[SIM_ID_MAX], int64_t version);
int sim_ck_decode(int64_t *version, const char *text);

#endif
