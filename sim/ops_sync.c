/* ops_sync.c - SyncFolderItems: changes of a folder since a sync state.
 * The state is opaque base64 of "modseq:maxid": the store's change
 * sequence at the last sync and the highest item id reported then (items
 * above it are Creates, others Updates; tombstones are Deletes). */
#include "sim/sim_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/b64.h"
#include "sim/ids.h"

static int parse_state(const char *s, int64_t *seq, int64_t *maxid)
{
	buf raw = BUF_INIT(128);
	long long a, b;
	char tail;
	int ok;

	ok = b64_decode(&raw, s, strlen(s), B64_STRICT, NULL) == 0 &&
	     raw.len > 0 && raw.len < 100 &&
	     sscanf(buf_cstr(&raw), "sim1:%lld:%lld%c", &a, &b, &tail) == 2 &&
	     a >= 0 && b >= 0;
	buf_dispose(&raw);
	if (ok) {
		*seq = a;
		*maxid = b;
	}
	return ok ? 0 : -1;
}

int sim_op_sync_folder_items(sim_req *r, const xmlNode *op)
{
	sim_shape sh;
	sim_status st = { 0 };
	sim_folder f;
	sim_item_list l = { 0 };
	sim_tombstone *tomb = NULL;
	size_t ntomb = 0, i = 0, j = 0, shown = 0;
	char *state = sim_x_child_text(op, "SyncState");
	char *maxs = sim_x_child_text(op, "MaxChangesReturned");
	long max = maxs ? strtol(maxs, NULL, 10) : 512;
	int64_t seq = 0, maxid = 0, last = 0, newmax;
	char text[64], id[SIM_ID_MAX];
	buf enc = BUF_INIT(256);
	buf changes = BUF_INIT(SIM_REPLY_MAX);
	buf *save = r->out;
	int have_f = 0;

	buf_puts(r->out, "<m:SyncFolderItemsResponse><m:ResponseMessages>");
	if (sim_shape_parse(&sh, sim_x_child(op, "ItemShape"), 0, &st) < 0)
		goto error;
	if (max < 1 || max > 512) {
		sim_failf(&st, "ErrorInvalidRequest",
			  "MaxChangesReturned must be between 1 and 512.");
		goto error;
	}
	if (state && *state && parse_state(state, &seq, &maxid) < 0) {
		sim_fail(&st, "ErrorInvalidSyncStateData");
		goto error;
	}
	if (sim_folder_resolve(&f, r, sim_folder_id_child(sim_x_child(op, "SyncFolderId")),
			       SIM_ACT_READ, &st) < 0)
		goto error;
	have_f = 1;
	if (sim_store_item_changes(&l, &tomb, &ntomb, r->ctx->store, f.id, seq,
				   NULL) < 0) {
		sim_fail(&st, "ErrorInternalServerError");
		goto error;
	}
	newmax = maxid;
	last = seq;
	r->out = &changes;
	while ((i < l.n || j < ntomb) && (long)shown < max) {
		int take_item = j >= ntomb || (i < l.n && l.v[i].modseq <= tomb[j].modseq);

		if (take_item) {
			const sim_item *it = &l.v[i++];
			const char *kind = it->id > maxid ? "Create" : "Update";

			buf_printf(&changes, "<t:%s>", kind);
			sim_item_emit(r, it, &sh);
			buf_printf(&changes, "</t:%s>", kind);
			if (it->id > newmax)
				newmax = it->id;
			last = it->modseq;
		} else {
			if (tomb[j].item <= maxid) {
				sim_id_encode(id, SIM_ID_ITEM, f.mailbox, tomb[j].item);
				buf_printf(&changes, "<t:Delete><t:ItemId Id=\"%s\"/></t:Delete>", id);
			}
			last = tomb[j++].modseq;
		}
		shown++;
	}
	r->out = save;
	if (i >= l.n && j >= ntomb) {
		int64_t cur = sim_store_modseq(r->ctx->store);

		if (cur > last)
			last = cur;
	}
	snprintf(text, sizeof(text), "sim1:%" PRId64 ":%" PRId64, last, newmax);
	b64_encode(&enc, text, strlen(text), NULL);
	sim_rm_open(r->out, "SyncFolderItemsResponseMessage", NULL);
	buf_printf(r->out, "<m:SyncState>%s</m:SyncState><m:IncludesLastItemInRange>%s"
		   "</m:IncludesLastItemInRange><m:Changes>", buf_cstr(&enc),
		   i >= l.n && j >= ntomb ? "true" : "false");
	buf_put(r->out, changes.ptr ? changes.ptr : "", changes.len);
	buf_puts(r->out, "</m:Changes>");
	sim_rm_close(r->out, "SyncFolderItemsResponseMessage");
	goto done;
error:
	sim_rm_open(r->out, "SyncFolderItemsResponseMessage", &st);
	sim_rm_close(r->out, "SyncFolderItemsResponseMessage");
done:
	buf_puts(r->out, "</m:ResponseMessages></m:SyncFolderItemsResponse>");
	if (have_f)
		sim_folder_dispose(&f);
	sim_item_list_dispose(&l);
	free(tomb);
	free(state);
	free(maxs);
	buf_dispose(&enc);
	buf_dispose(&changes);
	sim_shape_dispose(&sh);
	return 0;
}
