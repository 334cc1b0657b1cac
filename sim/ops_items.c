/* ops_items.c - GetItem, UpdateItem, DeleteItem, MoveItem, CopyItem and
 * SendItem on items reached by id (implicit access: the mailbox comes
 * from the id, rights from the owner's folder permissions). */
#include "sim/sim_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/ids.h"
#include "sim/tzdef.h"

/* Writes <t:KIND><t:ItemId .../></t:KIND> for a changed or new item. */
static void write_item_id(buf *b, const sim_item *it)
{
	char id[SIM_ID_MAX], ck[SIM_ID_MAX];

	sim_id_encode(id, SIM_ID_ITEM, it->mailbox, it->id);
	sim_ck_encode(ck, it->ck);
	buf_printf(b, "<t:%s><t:ItemId Id=\"%s\" ChangeKey=\"%s\"/></t:%s>",
		   sim_kind_valid(it->kind) ? it->kind : "Item", id, ck,
		   sim_kind_valid(it->kind) ? it->kind : "Item");
}

static void item_error(sim_req *r, const char *msg, const sim_status *st,
		       int with_items)
{
	sim_rm_open(r->out, msg, st);
	if (with_items)
		buf_puts(r->out, "<m:Items/>");
	sim_rm_close(r->out, msg);
}

int sim_op_get_item(sim_req *r, const xmlNode *op)
{
	sim_shape shape;
	sim_status st = { 0 };
	xmlNode *ids, *c;

	buf_puts(r->out, "<m:GetItemResponse><m:ResponseMessages>");
	if (sim_shape_parse(&shape, sim_x_child(op, "ItemShape"), 0, &st) < 0) {
		item_error(r, "GetItemResponseMessage", &st, 1);
		goto done;
	}
	ids = sim_x_child(op, "ItemIds");
	for (c = ids ? ids->children : NULL; c; c = c->next) {
		sim_item it;
		sim_status ist = { 0 };

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!sim_x_is(c, "ItemId")) {
			sim_failf(&ist, "ErrorInvalidRequest",
				  "%s is not supported by ews-sim (recurring series are not modelled).",
				  (const char *)c->name);
			item_error(r, "GetItemResponseMessage", &ist, 1);
			continue;
		}
		if (sim_item_resolve(&it, r, c, SIM_ACT_READ, 0, &ist) < 0) {
			item_error(r, "GetItemResponseMessage", &ist, 1);
			continue;
		}
		sim_rm_open(r->out, "GetItemResponseMessage", NULL);
		buf_puts(r->out, "<m:Items>");
		sim_item_emit(r, &it, &shape);
		buf_puts(r->out, "</m:Items>");
		sim_rm_close(r->out, "GetItemResponseMessage");
		sim_item_dispose(&it);
	}
done:
	buf_puts(r->out, "</m:ResponseMessages></m:GetItemResponse>");
	sim_shape_dispose(&shape);
	return 0;
}

/* The property path of an update element and its table entry. */
static const sim_prop *update_prop(const sim_item *it, const xmlNode *upd,
				   char **index, sim_status *st)
{
	xmlNode *c;
	const sim_prop *p = NULL;
	char *uri = NULL;

	*index = NULL;
	for (c = upd->children; c; c = c->next) {
		if (sim_x_is(c, "FieldURI") || sim_x_is(c, "IndexedFieldURI")) {
			uri = sim_x_attr(c, "FieldURI");
			*index = sim_x_attr(c, "FieldIndex");
			break;
		}
		if (sim_x_is(c, "ExtendedFieldURI")) {
			sim_failf(st, "ErrorInvalidPropertyRequest",
				  "Extended properties are not supported by ews-sim.");
			return NULL;
		}
	}
	if (uri)
		p = sim_prop_by_uri(it->kind, uri);
	if (!p)
		sim_failf(st, "ErrorInvalidPropertyRequest",
			  "The property %s is not valid for a %s or not supported by ews-sim.",
			  uri ? uri : "(none)", it->kind);
	else if (p->flags & P_RO)
		sim_failf(st, "ErrorInvalidPropertySet",
			  "The property %s is read-only.", uri);
	free(uri);
	if (p && (p->flags & P_RO)) {
		free(*index);
		*index = NULL;
		return NULL;
	}
	if (!p) {
		free(*index);
		*index = NULL;
	}
	return p;
}

/* The value element of a SetItemField/AppendToItemField: the child named
 * like the property inside the item-type wrapper. */
static xmlNode *update_value(const xmlNode *upd, const sim_prop *p)
{
	xmlNode *c;

	for (c = upd->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !sim_x_is(c, "FieldURI") &&
		    !sim_x_is(c, "IndexedFieldURI") && !sim_x_is(c, "ExtendedFieldURI"))
			return sim_x_child(c, p->elem);
	return NULL;
}

static int apply_update(sim_item *it, const xmlNode *upd, const tz_zone *zone,
			sim_status *st)
{
	const sim_prop *p;
	char *index = NULL;
	xmlNode *v;
	json_t *tmp;
	int rc = 0;

	p = update_prop(it, upd, &index, st);
	if (!p)
		return -1;
	if (sim_x_is(upd, "DeleteItemField")) {
		if (index && json_is_object(json_object_get(it->props, p->elem)))
			json_object_del(json_object_get(it->props, p->elem), index);
		else
			json_object_del(it->props, p->elem);
		goto out;
	}
	v = update_value(upd, p);
	if (!v) {
		rc = sim_failf(st, "ErrorInvalidRequest",
			       "The update for %s has no %s value element.", p->uri, p->elem);
		goto out;
	}
	tmp = json_object();
	if (sim_prop_read_value(tmp, p, v, zone, st) < 0) {
		json_decref(tmp);
		rc = -1;
		goto out;
	}
	if (sim_x_is(upd, "AppendToItemField")) {
		json_t *old = json_object_get(it->props, p->elem);
		json_t *add = json_object_get(tmp, p->elem);

		if (p->type == PT_BODY && old) {
			buf b = BUF_INIT(64u * 1024 * 1024);

			buf_puts(&b, json_string_value(json_object_get(old, "text")));
			buf_puts(&b, json_string_value(json_object_get(add, "text")));
			json_object_set_new(old, "text", json_string(buf_cstr(&b)));
			buf_dispose(&b);
		} else if (json_is_array(old) && json_is_array(add)) {
			json_array_extend(old, add);
		} else {
			json_object_set(it->props, p->elem, add);
		}
	} else if (index && json_is_object(json_object_get(it->props, p->elem))) {
		json_object_update(json_object_get(it->props, p->elem),
				   json_object_get(tmp, p->elem));
	} else {
		json_object_set(it->props, p->elem, json_object_get(tmp, p->elem));
	}
	json_decref(tmp);
out:
	free(index);
	return rc;
}

/* 1 if one of the updates sets or deletes the property with this FieldURI. */
static int updates_touch(const xmlNode *updates, const char *uri)
{
	xmlNode *u;
	int hit = 0;

	for (u = sim_x_child(updates, NULL); u && !hit; u = sim_x_next(u, NULL)) {
		char *v = sim_x_attr(sim_x_child(u, "FieldURI"), "FieldURI");

		hit = v && strcmp(v, uri) == 0;
		free(v);
	}
	return hit;
}

/* A calendar item whose StartTimeZone (EndTimeZone) changed while its
 * Start (End) was not set keeps its wall-clock time in the new zone, so
 * its UTC time moves ("Update the time zone for an appointment by using
 * EWS in Exchange": a 1:00 PM Eastern meeting moved to Central stays at
 * 1:00 PM, Central). old_id is the zone before the update (an item
 * without one is in UTC). */
static void keep_wall_time(sim_item *it, const char *old_id, const char *zone_key,
			   const char *time_key)
{
	const char *new_id = json_string_value(json_object_get(it->props, zone_key));
	json_t *t = json_object_get(it->props, time_key);
	const tz_zone *oz, *nz;
	int64_t utc, local;

	if (!new_id || !json_is_integer(t) || strcmp(old_id, new_id) == 0 ||
	    sim_tzdef_zone(&oz, old_id) < 0 || sim_tzdef_zone(&nz, new_id) < 0)
		return;
	utc = json_integer_value(t);
	local = utc + tz_zone_offset(oz, utc, NULL);
	json_object_set_new(it->props, time_key, json_integer(tz_local_to_utc(nz, local)));
}

/* Task status keeps IsComplete/PercentComplete consistent. */
static void task_fixup(sim_item *it)
{
	const char *s = json_string_value(json_object_get(it->props, "Status"));

	if (strcmp(it->kind, "Task") != 0)
		return;
	json_object_set_new(it->props, "IsComplete",
			    json_boolean(s && strcmp(s, "Completed") == 0));
	if (s && strcmp(s, "Completed") == 0)
		json_object_set_new(it->props, "PercentComplete", json_real(100));
}

int sim_op_update_item(sim_req *r, const xmlNode *op)
{
	char *conflict = sim_x_attr(op, "ConflictResolution");
	char *disp = sim_x_attr(op, "MessageDisposition");
	char *inv = sim_x_attr(op, "SendMeetingInvitationsOrCancellations");
	int overwrite = conflict && strcmp(conflict, "AlwaysOverwrite") == 0;
	int never = conflict && strcmp(conflict, "NeverOverwrite") == 0;
	xmlNode *changes = sim_x_child(op, "ItemChanges"), *ch, *u;

	buf_puts(r->out, "<m:UpdateItemResponse><m:ResponseMessages>");
	for (ch = sim_x_child(changes, "ItemChange"); ch; ch = sim_x_next(ch, "ItemChange")) {
		sim_status st = { 0 };
		sim_item it;
		xmlNode *idel = sim_x_child(ch, "ItemId");
		char *ck = sim_x_attr(idel, "ChangeKey");
		xmlNode *updates = sim_x_child(ch, "Updates");
		char old_stz[128], old_etz[128];
		int rc = 0, cal_changed = 0;

		if (never && !ck) {
			free(ck);
			sim_fail(&st, "ErrorChangeKeyRequiredForWriteOperations");
			item_error(r, "UpdateItemResponseMessage", &st, 1);
			continue;
		}
		free(ck);
		if (!idel) {
			sim_failf(&st, "ErrorInvalidRequest",
				  "ItemChange needs an ItemId (occurrences are not modelled).");
			item_error(r, "UpdateItemResponseMessage", &st, 1);
			continue;
		}
		if (sim_item_resolve(&it, r, idel, SIM_ACT_MODIFY, !overwrite, &st) < 0) {
			item_error(r, "UpdateItemResponseMessage", &st, 1);
			continue;
		}
		snprintf(old_stz, sizeof(old_stz), "%s", json_string_value(
				 json_object_get(it.props, "StartTimeZone")) ?: "UTC");
		snprintf(old_etz, sizeof(old_etz), "%s", json_string_value(
				 json_object_get(it.props, "EndTimeZone")) ?: old_stz);
		for (u = sim_x_child(updates, NULL); u && rc == 0; u = sim_x_next(u, NULL)) {
			rc = apply_update(&it, u, r->tz, &st);
			if (rc == 0 && strcmp(it.kind, "CalendarItem") == 0)
				cal_changed = 1;
		}
		if (rc == 0 && cal_changed) {
			if (!updates_touch(updates, "calendar:Start"))
				keep_wall_time(&it, old_stz, "StartTimeZone", "Start");
			if (!updates_touch(updates, "calendar:End"))
				keep_wall_time(&it, old_etz, "EndTimeZone", "End");
		}
		if (rc == 0) {
			task_fixup(&it);
			json_object_set_new(it.props, "LastModifiedTime",
					    json_integer(sim_now()));
			if (cal_changed) {
				json_int_t seq = json_integer_value(
					json_object_get(it.props, "AppointmentSequenceNumber"));

				json_object_set_new(it.props, "AppointmentSequenceNumber",
						    json_integer(seq + 1));
			}
			if (sim_store_item_update(r->ctx->store, &it, NULL) < 0)
				rc = sim_fail(&st, "ErrorItemSave");
		}
		if (rc == 0 && cal_changed && inv && strcmp(inv, "SendToNone") != 0 &&
		    json_array_size(json_object_get(it.props, "RequiredAttendees")) +
		    json_array_size(json_object_get(it.props, "OptionalAttendees")) > 0)
			rc = sim_send_meeting(r, &it, "MeetingRequest", &st);
		if (rc == 0 && disp && strcmp(disp, "SaveOnly") != 0 &&
		    strcmp(it.kind, "Message") == 0) {
			rc = sim_send_prepare(r, &it, &st);
			if (rc == 0)
				rc = sim_deliver_stored(r, &it, &st);
			if (rc == 0 && strcmp(disp, "SendAndSaveCopy") == 0) {
				sim_folder sent;

				if (sim_store_folder_dist(&sent, r->ctx->store,
							  SIM_MBX(r->actor), "sentitems",
							  NULL) == 0) {
					it.folder = sent.id;
					it.mailbox = sent.mailbox;
					sim_folder_dispose(&sent);
					sim_store_item_update(r->ctx->store, &it, NULL);
				}
			} else if (rc == 0) {
				sim_store_item_delete(r->ctx->store, it.id, NULL);
			}
		}
		if (rc < 0) {
			item_error(r, "UpdateItemResponseMessage", &st, 1);
		} else {
			sim_rm_open(r->out, "UpdateItemResponseMessage", NULL);
			buf_puts(r->out, "<m:Items>");
			write_item_id(r->out, &it);
			buf_puts(r->out, "</m:Items><m:ConflictResults><t:Count>0</t:Count>"
				 "</m:ConflictResults>");
			sim_rm_close(r->out, "UpdateItemResponseMessage");
		}
		sim_item_dispose(&it);
	}
	buf_puts(r->out, "</m:ResponseMessages></m:UpdateItemResponse>");
	free(conflict);
	free(disp);
	free(inv);
	return 0;
}

/* Moves it into the distinguished folder dist of its own mailbox. */
static int move_to_dist(sim_req *r, sim_item *it, const char *dist,
			sim_status *st)
{
	sim_folder f;

	if (sim_store_folder_dist(&f, r->ctx->store, it->mailbox, dist, NULL) < 0)
		return sim_fail(st, "ErrorFolderNotFound");
	it->folder = f.id;
	sim_folder_dispose(&f);
	if (sim_store_item_update(r->ctx->store, it, NULL) < 0)
		return sim_fail(st, "ErrorItemSave");
	return 0;
}

int sim_op_delete_item(sim_req *r, const xmlNode *op)
{
	char *type = sim_x_attr(op, "DeleteType");
	char *cancel = sim_x_attr(op, "SendMeetingCancellations");
	xmlNode *ids = sim_x_child(op, "ItemIds"), *c;

	buf_puts(r->out, "<m:DeleteItemResponse><m:ResponseMessages>");
	for (c = sim_x_child(ids, NULL); c; c = sim_x_next(c, NULL)) {
		sim_status st = { 0 };
		sim_item it;
		sim_folder del;
		int rc = 0;

		if (!type || (strcmp(type, "HardDelete") != 0 &&
			      strcmp(type, "SoftDelete") != 0 &&
			      strcmp(type, "MoveToDeletedItems") != 0)) {
			sim_failf(&st, "ErrorInvalidRequest",
				  "DeleteType must be HardDelete, SoftDelete or MoveToDeletedItems.");
			item_error(r, "DeleteItemResponseMessage", &st, 0);
			continue;
		}
		if (sim_item_resolve(&it, r, c, SIM_ACT_DELETE, 0, &st) < 0) {
			item_error(r, "DeleteItemResponseMessage", &st, 0);
			continue;
		}
		if (strcmp(it.kind, "CalendarItem") == 0 && cancel &&
		    strcmp(cancel, "SendToNone") != 0 &&
		    json_array_size(json_object_get(it.props, "RequiredAttendees")) +
		    json_array_size(json_object_get(it.props, "OptionalAttendees")) > 0)
			rc = sim_send_meeting(r, &it, "MeetingCancellation", &st);
		if (rc == 0) {
			if (strcmp(type, "HardDelete") == 0) {
				if (sim_store_item_delete(r->ctx->store, it.id, NULL) < 0)
					rc = sim_fail(&st, "ErrorInternalServerError");
			} else if (strcmp(type, "SoftDelete") == 0) {
				rc = move_to_dist(r, &it, "recoverableitemsdeletions", &st);
			} else {
				int in_deleted = sim_store_folder_dist(&del, r->ctx->store,
								       it.mailbox, "deleteditems",
								       NULL) == 0 &&
						 del.id == it.folder;

				if (del.name)
					sim_folder_dispose(&del);
				rc = move_to_dist(r, &it, in_deleted ? "recoverableitemsdeletions"
						  : "deleteditems", &st);
			}
		}
		sim_rm_open(r->out, "DeleteItemResponseMessage", rc < 0 ? &st : NULL);
		sim_rm_close(r->out, "DeleteItemResponseMessage");
		sim_item_dispose(&it);
	}
	buf_puts(r->out, "</m:ResponseMessages></m:DeleteItemResponse>");
	free(type);
	free(cancel);
	return 0;
}

/* MoveItem (copy = 0) and CopyItem (copy = 1). */
static int move_or_copy(sim_req *r, const xmlNode *op, int copy)
{
	const char *resp = copy ? "CopyItemResponse" : "MoveItemResponse";
	const char *msg = copy ? "CopyItemResponseMessage" : "MoveItemResponseMessage";
	sim_status fst = { 0 };
	sim_folder to;
	xmlNode *ids = sim_x_child(op, "ItemIds"), *c;
	int have_to;

	buf_printf(r->out, "<m:%s><m:ResponseMessages>", resp);
	have_to = sim_folder_resolve(&to, r,
				     sim_folder_id_child(sim_x_child(op, "ToFolderId")),
				     SIM_ACT_CREATE, &fst) == 0;
	for (c = sim_x_child(ids, NULL); c; c = sim_x_next(c, NULL)) {
		sim_status st = { 0 };
		sim_item it;

		if (!have_to) {
			item_error(r, msg, &fst, 1);
			continue;
		}
		if (sim_item_resolve(&it, r, c, copy ? SIM_ACT_READ : SIM_ACT_DELETE,
				     0, &st) < 0) {
			item_error(r, msg, &st, 1);
			continue;
		}
		if (copy) {
			sim_attachment *atts = NULL;
			size_t n = 0, i;
			int64_t old = it.id;

			sim_store_att_list(&atts, &n, r->ctx->store, old, NULL);
			it.folder = to.id;
			it.mailbox = to.mailbox;
			if (sim_store_item_insert(r->ctx->store, &it, NULL) < 0)
				sim_fail(&st, "ErrorItemSave");
			for (i = 0; i < n && !st.code; i++) {
				atts[i].item = it.id;
				sim_store_att_insert(r->ctx->store, &atts[i], NULL);
			}
			sim_attachment_list_free(atts, n);
		} else {
			it.folder = to.id;
			it.mailbox = to.mailbox;
			if (sim_store_item_update(r->ctx->store, &it, NULL) < 0)
				sim_fail(&st, "ErrorItemSave");
		}
		if (st.code) {
			item_error(r, msg, &st, 1);
		} else {
			sim_rm_open(r->out, msg, NULL);
			buf_puts(r->out, "<m:Items>");
			write_item_id(r->out, &it);
			buf_puts(r->out, "</m:Items>");
			sim_rm_close(r->out, msg);
		}
		sim_item_dispose(&it);
	}
	buf_printf(r->out, "</m:ResponseMessages></m:%s>", resp);
	if (have_to)
		sim_folder_dispose(&to);
	return 0;
}

int sim_op_move_item(sim_req *r, const xmlNode *op)
{
	return move_or_copy(r, op, 0);
}

int sim_op_copy_item(sim_req *r, const xmlNode *op)
{
	return move_or_copy(r, op, 1);
}

int sim_op_send_item(sim_req *r, const xmlNode *op)
{
	char *save_attr = sim_x_attr(op, "SaveItemToFolder");
	xmlNode *ids = sim_x_child(op, "ItemIds"), *c;
	xmlNode *saved = sim_folder_id_child(sim_x_child(op, "SavedItemFolderId"));
	int save = 1;

	buf_puts(r->out, "<m:SendItemResponse><m:ResponseMessages>");
	if (!save_attr || sim_parse_bool(save_attr, &save) < 0) {
		sim_status st = { 0 };

		sim_failf(&st, "ErrorInvalidRequest",
			  "SendItem needs SaveItemToFolder=\"true\" or \"false\".");
		item_error(r, "SendItemResponseMessage", &st, 0);
		goto done;
	}
	for (c = sim_x_child(ids, NULL); c; c = sim_x_next(c, NULL)) {
		sim_status st = { 0 };
		sim_folder to;
		sim_item it;
		int rc, have_to = 0;

		if (sim_item_resolve(&it, r, c, SIM_ACT_READ, 1, &st) < 0) {
			item_error(r, "SendItemResponseMessage", &st, 0);
			continue;
		}
		rc = 0;
		if (save) {
			if (saved)
				rc = sim_folder_resolve(&to, r, saved, SIM_ACT_CREATE, &st);
			else
				rc = sim_store_folder_dist(&to, r->ctx->store,
							   SIM_MBX(r->actor), "sentitems",
							   NULL) == 0 ? 0
				     : sim_fail(&st, "ErrorFolderNotFound");
			have_to = rc == 0;
		}
		if (rc == 0)
			rc = sim_send_prepare(r, &it, &st);
		if (rc == 0)
			rc = sim_deliver_stored(r, &it, &st);
		if (rc == 0) {
			if (have_to) {
				it.folder = to.id;
				it.mailbox = to.mailbox;
				sim_store_item_update(r->ctx->store, &it, NULL);
			} else {
				sim_store_item_delete(r->ctx->store, it.id, NULL);
			}
		}
		if (have_to)
			sim_folder_dispose(&to);
		sim_rm_open(r->out, "SendItemResponseMessage", rc < 0 ? &st : NULL);
		sim_rm_close(r->out, "SendItemResponseMessage");
		sim_item_dispose(&it);
	}
done:
	buf_puts(r->out, "</m:ResponseMessages></m:SendItemResponse>");
	free(save_attr);
	return 0;
}
