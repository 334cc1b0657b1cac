/* ops_find.c - FindItem: IndexedPageItemView / FractionalPageItemView
 * paging, CalendarView, Restriction (And/Or/Not, comparisons, Contains,
 * Exists), SortOrder and simple AQS QueryStrings.
 *
 * A plain page (no restriction, no search, a sort on received time,
 * subject or start) is one indexed SQL range scan and its TotalItemsInView
 * the folder's item counter, so its cost does not depend on the folder
 * size. Anything else loads the folder, filters and sorts in memory, and
 * reports the restricted total, as Exchange does.
 */
/* qsort_r is a GNU extension (also in POSIX 2024). */
#define _GNU_SOURCE
#include "sim/sim_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- property values as comparable things ---- */

typedef struct val {
	int present;
	int is_num;
	double num;
	char *str;     /* heap, or NULL */
} val;

static void val_dispose(val *v)
{
	free(v->str);
	v->str = NULL;
}

static char *join_mailboxes(const json_t *list)
{
	buf b = BUF_INIT(1 << 20);
	json_t *m;
	size_t i;

	json_array_foreach(list, i, m) {
		const char *n = json_string_value(json_object_get(m, "name"));
		const char *e = json_string_value(json_object_get(m, "email"));

		buf_printf(&b, "%s%s <%s>", i ? "; " : "", n ? n : "", e ? e : "");
	}
	return buf_detach(&b);
}

/* The value of FieldURI uri (index: FieldIndex, may be NULL) of an item. */
static val item_value(const sim_item *it, const char *uri, const char *index)
{
	const sim_prop *p = sim_prop_by_uri(it->kind, uri);
	const json_t *v;
	val out = { 0, 0, 0, NULL };

	if (!p)
		return out;
	if (strcmp(p->elem, "HasAttachments") == 0) {
		out.present = out.is_num = 1;
		out.num = json_is_true(json_object_get(it->props, "HasAttachments"));
		return out;
	}
	if (strcmp(p->elem, "Preview") == 0 || strcmp(p->elem, "Body") == 0) {
		out.str = sim_body_text(it->props);
		out.present = out.str != NULL;
		return out;
	}
	if (strcmp(p->elem, "ItemClass") == 0 &&
	    !json_object_get(it->props, "ItemClass")) {
		out.present = 1;
		out.str = strdup(strcmp(it->kind, "CalendarItem") == 0 ? "IPM.Appointment"
				 : strcmp(it->kind, "Contact") == 0 ? "IPM.Contact"
				 : strcmp(it->kind, "Task") == 0 ? "IPM.Task" : "IPM.Note");
		return out;
	}
	v = json_object_get(it->props, p->elem);
	if (!v)
		return out;
	out.present = 1;
	switch (p->type) {
	case PT_BOOL:
		out.is_num = 1;
		out.num = json_is_true(v);
		break;
	case PT_INT:
	case PT_DOUBLE:
	case PT_DATE:
		out.is_num = 1;
		out.num = json_number_value(v);
		break;
	case PT_MBX: {
		json_t *one = json_array();

		json_array_append(one, (json_t *)v);
		out.str = join_mailboxes(one);
		json_decref(one);
		break;
	}
	case PT_MBXS:
	case PT_ATTENDEES:
		out.str = join_mailboxes(v);
		break;
	case PT_STRS: {
		buf b = BUF_INIT(1 << 20);
		json_t *e;
		size_t i;

		json_array_foreach(v, i, e)
			buf_printf(&b, "%s%s", i ? ";" : "", json_string_value(e));
		out.str = buf_detach(&b);
		break;
	}
	case PT_DICT:
		if (index) {
			const char *s = json_string_value(json_object_get(v, index));

			out.present = s != NULL;
			out.str = s ? strdup(s) : NULL;
		} else {
			out.present = 0;
		}
		break;
	default:
		out.str = json_is_string(v) ? strdup(json_string_value(v)) : NULL;
		out.present = out.str != NULL;
	}
	return out;
}

static int path_of(const xmlNode *e, char **uri, char **index)
{
	xmlNode *c;

	*uri = *index = NULL;
	for (c = e->children; c; c = c->next) {
		if (sim_x_is(c, "FieldURI") || sim_x_is(c, "IndexedFieldURI")) {
			*uri = sim_x_attr(c, "FieldURI");
			*index = sim_x_attr(c, "FieldIndex");
			return 0;
		}
		if (sim_x_is(c, "ExtendedFieldURI"))
			return 1;   /* extended properties are not modelled */
	}
	return -1;
}

/* Compares an item value with a constant text: <0, 0, >0; 2 = no value.
 * A dateTime constant without a zone is a wall time of zone (the
 * request's TimeZoneContext; NULL: UTC). */
static int compare_const(const val *v, const char *c, const tz_zone *zone)
{
	int64_t t;
	int b;

	if (!v->present)
		return 2;
	if (v->is_num) {
		double cn;

		if (sim_time_parse_in(c, zone, &t) == 0)
			cn = (double)t;
		else if (sim_parse_bool(c, &b) == 0)
			cn = b;
		else
			cn = strtod(c, NULL);
		return v->num < cn ? -1 : v->num > cn ? 1 : 0;
	}
	return strcasecmp(v->str ? v->str : "", c);
}

static int eval(const xmlNode *e, const sim_item *it, const tz_zone *zone,
		sim_status *st);

static int eval_children(const xmlNode *e, const sim_item *it, int is_and,
			 const tz_zone *zone, sim_status *st)
{
	xmlNode *c;
	int any = 0, r;

	for (c = e->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		any = 1;
		r = eval(c, it, zone, st);
		if (r < 0)
			return -1;
		if (is_and && !r)
			return 0;
		if (!is_and && r)
			return 1;
	}
	return is_and ? any : 0;
}

static int contains(const char *hay, const char *needle, const char *mode,
		    int ignore_case)
{
	size_t hl = strlen(hay), nl = strlen(needle);

	if (!mode || strcmp(mode, "Substring") == 0 || strcmp(mode, "ExactPhrase") == 0 ||
	    strcmp(mode, "PrefixOnWords") == 0) {
		if (strcmp(mode ? mode : "", "PrefixOnWords") == 0) {
			const char *p;

			for (p = hay; *p; p++)
				if ((p == hay || !isalnum((unsigned char)p[-1])) &&
				    (ignore_case ? strncasecmp(p, needle, nl)
				     : strncmp(p, needle, nl)) == 0)
					return 1;
			return 0;
		}
		return ignore_case ? sim_strcasestr(hay, needle) != NULL
		       : strstr(hay, needle) != NULL;
	}
	if (strcmp(mode, "FullString") == 0)
		return ignore_case ? strcasecmp(hay, needle) == 0 : strcmp(hay, needle) == 0;
	if (strcmp(mode, "Prefixed") == 0)
		return nl <= hl && (ignore_case ? strncasecmp(hay, needle, nl)
				    : strncmp(hay, needle, nl)) == 0;
	return 0;
}

static int eval(const xmlNode *e, const sim_item *it, const tz_zone *zone,
		sim_status *st)
{
	const char *n = (const char *)e->name;
	char *uri = NULL, *index = NULL, *cval = NULL;
	xmlNode *c;
	val v;
	int rc, r = 0;

	if (strcmp(n, "And") == 0)
		return eval_children(e, it, 1, zone, st);
	if (strcmp(n, "Or") == 0)
		return eval_children(e, it, 0, zone, st);
	if (strcmp(n, "Not") == 0) {
		c = sim_x_child(e, NULL);
		if (!c)
			return sim_failf(st, "ErrorInvalidRequest", "Not needs one search expression.");
		r = eval(c, it, zone, st);
		return r < 0 ? -1 : !r;
	}
	rc = path_of(e, &uri, &index);
	if (rc < 0) {
		free(uri);
		free(index);
		return sim_failf(st, "ErrorInvalidRequest",
				 "%s needs a FieldURI, IndexedFieldURI or ExtendedFieldURI.", n);
	}
	v = rc == 0 ? item_value(it, uri, index) : (val){ 0, 0, 0, NULL };
	if (strcmp(n, "Exists") == 0) {
		r = v.present;
		goto out;
	}
	if (strcmp(n, "Contains") == 0) {
		char *mode = sim_x_attr(e, "ContainmentMode");
		char *cmp = sim_x_attr(e, "ContainmentComparison");

		cval = sim_x_attr(sim_x_child(e, "Constant"), "Value");
		r = v.present && cval && !v.is_num &&
		    contains(v.str ? v.str : "", cval, mode,
			     !cmp || strncmp(cmp, "Ignore", 6) == 0 ||
			     strcmp(cmp, "Loose") == 0);
		free(mode);
		free(cmp);
		goto out;
	}
	if (strcmp(n, "Excludes") == 0) {
		val_dispose(&v);
		free(uri);
		free(index);
		return sim_failf(st, "ErrorInvalidRequest",
				 "Excludes (bitmask) restrictions are not supported by ews-sim.");
	}
	c = sim_x_child(e, "FieldURIOrConstant");
	cval = sim_x_attr(sim_x_child(c, "Constant"), "Value");
	if (!cval) {
		val_dispose(&v);
		free(uri);
		free(index);
		return sim_failf(st, "ErrorInvalidRequest",
				 "%s needs FieldURIOrConstant/Constant (comparing two properties is not supported).",
				 n);
	}
	rc = compare_const(&v, cval, zone);
	if (strcmp(n, "IsEqualTo") == 0)
		r = rc == 0;
	else if (strcmp(n, "IsNotEqualTo") == 0)
		r = rc != 0;
	else if (strcmp(n, "IsGreaterThan") == 0)
		r = rc != 2 && rc > 0;
	else if (strcmp(n, "IsGreaterThanOrEqualTo") == 0)
		r = rc != 2 && rc >= 0;
	else if (strcmp(n, "IsLessThan") == 0)
		r = rc < 0;
	else if (strcmp(n, "IsLessThanOrEqualTo") == 0)
		r = rc <= 0;
	else {
		sim_failf(st, "ErrorInvalidRequest",
			  "The search expression %s is not supported.", n);
		r = -1;
	}
out:
	val_dispose(&v);
	free(uri);
	free(index);
	free(cval);
	return r;
}

/* ---- AQS (QueryString): terms joined by AND (default) or OR; a term is
 * word, "phrase", or field:value with field subject, from, to, cc, body,
 * participants, category, hasattachment/hasattachments, isread. ---- */

static int aqs_term(const sim_item *it, const char *field, const char *value)
{
	static const struct { const char *f; const char *uris[3]; } map[] = {
		{ "subject", { "item:Subject", NULL } },
		{ "from", { "message:From", "calendar:Organizer", NULL } },
		{ "to", { "message:ToRecipients", NULL } },
		{ "cc", { "message:CcRecipients", NULL } },
		{ "body", { "item:Body", NULL } },
		{ "participants", { "message:From", "message:ToRecipients", "message:CcRecipients" } },
		{ "category", { "item:Categories", NULL } },
		{ "hasattachment", { "item:HasAttachments", NULL } },
		{ "hasattachments", { "item:HasAttachments", NULL } },
		{ "isread", { "message:IsRead", NULL } },
		{ NULL, { NULL } }
	};
	static const char *const any[] = { "item:Subject", "item:Body",
		"message:From", "message:ToRecipients", "contacts:DisplayName",
		"calendar:Location", NULL };
	const char *const *uris = any;
	size_t i;
	int hit = 0;

	if (field) {
		for (i = 0; map[i].f; i++)
			if (strcasecmp(map[i].f, field) == 0)
				break;
		if (!map[i].f)
			return 0;
		uris = map[i].uris;
	}
	for (i = 0; i < 3 && uris[i] && !hit; i++) {
		val v = item_value(it, uris[i], NULL);

		if (v.present)
			hit = v.is_num ? compare_const(&v, value, NULL) == 0
				       : sim_strcasestr(v.str ? v.str : "", value) != NULL;
		val_dispose(&v);
	}
	return hit;
}

static int aqs_match(const sim_item *it, const char *q)
{
	char tok[512], field[64];
	int result = 1, group = 1, pending_or = 0, have = 0;
	const char *p = q;

	while (*p) {
		size_t n = 0;
		char *colon;
		int quoted = 0, r;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		while (*p && (quoted || !isspace((unsigned char)*p)) && n < sizeof(tok) - 1) {
			if (*p == '"') {
				quoted = !quoted;
				p++;
				continue;
			}
			tok[n++] = *p++;
		}
		tok[n] = '\0';
		if (strcmp(tok, "AND") == 0)
			continue;
		if (strcmp(tok, "OR") == 0) {
			pending_or = 1;
			continue;
		}
		colon = strchr(tok, ':');
		field[0] = '\0';
		if (colon && (size_t)(colon - tok) < sizeof(field)) {
			memcpy(field, tok, (size_t)(colon - tok));
			field[colon - tok] = '\0';
		}
		r = aqs_term(it, field[0] ? field : NULL, field[0] ? colon + 1 : tok);
		if (pending_or) {
			/* OR closes the current AND group */
			result = have ? (result || group) : group;
			group = r;
			pending_or = 0;
			have = 1;
			result = result ? 1 : 0;
			continue;
		}
		group = group && r;
	}
	return have ? (result || group) : group;
}

/* ---- sorting ---- */

typedef struct sort_key {
	char *uri;
	int desc;
} sort_key;

typedef struct sort_spec {
	const sort_key *keys;
	size_t nkeys;
} sort_spec;

/* qsort_r comparator: the keys travel with the call, so concurrent
 * requests sorting differently cannot disturb each other. */
static int cmp_items(const void *a, const void *b, void *payload)
{
	const sim_item *x = a, *y = b;
	const sort_spec *spec = payload;
	const sort_key *keys = spec->keys;
	size_t k;

	for (k = 0; k < spec->nkeys; k++) {
		val vx = item_value(x, keys[k].uri, NULL);
		val vy = item_value(y, keys[k].uri, NULL);
		int c;

		if (!vx.present || !vy.present)
			c = vx.present - vy.present;
		else if (vx.is_num)
			c = vx.num < vy.num ? -1 : vx.num > vy.num;
		else
			c = strcasecmp(vx.str ? vx.str : "", vy.str ? vy.str : "");
		val_dispose(&vx);
		val_dispose(&vy);
		if (c)
			return keys[k].desc ? -c : c;
	}
	return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
}

/* ---- the operation ---- */

typedef struct view {
	int kind;        /* 0 none, 1 indexed, 2 fractional, 3 calendar, 4 contacts */
	long max;        /* -1 = unlimited */
	long offset;
	int from_end;
	long num, den;
	int64_t start, end;
} view;

static int parse_long_attr(long *out, const xmlNode *el, const char *name,
			   long def, sim_status *st)
{
	char *v = sim_x_attr(el, name), *end;

	*out = def;
	if (!v)
		return 0;
	*out = strtol(v, &end, 10);
	if (!*v || *end) {
		sim_failf(st, "ErrorInvalidRequest", "%s=\"%s\" is not an integer.", name, v);
		free(v);
		return -1;
	}
	free(v);
	return 0;
}

static int parse_view(view *vw, const xmlNode *op, const tz_zone *zone,
		      sim_status *st)
{
	xmlNode *v;
	char *s;

	memset(vw, 0, sizeof(*vw));
	vw->max = -1;
	if ((v = sim_x_child(op, "IndexedPageItemView"))) {
		vw->kind = 1;
		if (parse_long_attr(&vw->max, v, "MaxEntriesReturned", -1, st) < 0 ||
		    parse_long_attr(&vw->offset, v, "Offset", 0, st) < 0)
			return -1;
		s = sim_x_attr(v, "BasePoint");
		vw->from_end = s && strcmp(s, "End") == 0;
		free(s);
		if (vw->offset < 0)
			return sim_fail(st, "ErrorInvalidIndexedPagingParameters");
	} else if ((v = sim_x_child(op, "FractionalPageItemView"))) {
		vw->kind = 2;
		if (parse_long_attr(&vw->max, v, "MaxEntriesReturned", -1, st) < 0 ||
		    parse_long_attr(&vw->num, v, "Numerator", 0, st) < 0 ||
		    parse_long_attr(&vw->den, v, "Denominator", 1, st) < 0)
			return -1;
		if (vw->den <= 0 || vw->num < 0 || vw->num > vw->den)
			return sim_failf(st, "ErrorInvalidRequest",
					 "FractionalPageItemView needs 0 <= Numerator <= Denominator and Denominator > 0.");
	} else if ((v = sim_x_child(op, "CalendarView"))) {
		char *a = sim_x_attr(v, "StartDate"), *b = sim_x_attr(v, "EndDate");
		int bad = sim_time_parse_in(a, zone, &vw->start) < 0 ||
			  sim_time_parse_in(b, zone, &vw->end) < 0;

		free(a);
		free(b);
		vw->kind = 3;
		if (bad)
			return sim_failf(st, "ErrorInvalidRequest",
					 "CalendarView StartDate and EndDate must be xs:dateTime values.");
		if (parse_long_attr(&vw->max, v, "MaxEntriesReturned", -1, st) < 0)
			return -1;
		if (vw->end < vw->start)
			return sim_fail(st, "ErrorCalendarEndDateIsEarlierThanStartDate");
		if (vw->end - vw->start > 2 * 366 * 86400L)
			return sim_fail(st, "ErrorCalendarViewRangeTooBig");
	} else if ((v = sim_x_child(op, "ContactsView"))) {
		vw->kind = 4;
		if (parse_long_attr(&vw->max, v, "MaxEntriesReturned", -1, st) < 0)
			return -1;
	}
	if (vw->kind && vw->kind != 3 && vw->max == 0)
		return sim_fail(st, "ErrorInvalidPagingMaxRows");
	if (vw->max < -1 || (vw->kind == 3 && vw->max == 0))
		return sim_fail(st, "ErrorInvalidPagingMaxRows");
	return 0;
}

/* One folder's result set, filtered and ordered; page applied by caller. */
static int find_in_folder(sim_req *r, const sim_folder *f, const view *vw,
			  const xmlNode *restr, const char *query,
			  sort_key *keys, size_t nkeys, const sim_shape *shape,
			  sim_status *st)
{
	sim_item_list l = { 0 };
	sim_sort_col col = SIM_SORT_RECEIVED;
	int desc = 1, fast = 0, rc = 0;
	size_t i, kept, start = 0, n, total;
	long off = vw->offset;

	if (!restr && !query && vw->kind != 3) {
		if (nkeys == 0) {
			fast = 1;
		} else if (nkeys == 1) {
			fast = 1;
			desc = keys[0].desc;
			if (strcmp(keys[0].uri, "item:DateTimeReceived") == 0)
				col = SIM_SORT_RECEIVED;
			else if (strcmp(keys[0].uri, "item:Subject") == 0)
				col = SIM_SORT_SUBJECT;
			else if (strcmp(keys[0].uri, "calendar:Start") == 0)
				col = SIM_SORT_START;
			else
				fast = 0;
		}
		if (strcmp(f->folder_class, "IPF.Appointment") == 0 && nkeys == 0) {
			col = SIM_SORT_START;
			desc = 0;
		}
	}
	if (fast && vw->kind == 1 && !vw->from_end) {
		if (sim_store_item_page(&l, r->ctx->store, f->id, col, desc, off,
					vw->max < 0 ? -1 : vw->max, NULL) < 0)
			return sim_fail(st, "ErrorInternalServerError");
		total = l.total;
		start = 0;
		n = l.n;
		goto emit;
	}
	if (vw->kind == 3)
		rc = sim_store_item_range(&l, r->ctx->store, f->id, vw->start,
					  vw->end, NULL);
	else
		rc = sim_store_item_all(&l, r->ctx->store, f->id, NULL);
	if (rc < 0)
		return sim_fail(st, "ErrorInternalServerError");
	for (i = 0, kept = 0; i < l.n; i++) {
		int keep = 1;

		if (restr) {
			keep = eval(restr, &l.v[i], r->tz, st);
			if (keep < 0) {
				sim_item_list_dispose(&l);
				return -1;
			}
		}
		if (keep && query)
			keep = aqs_match(&l.v[i], query);
		if (keep && vw->kind == 3 && strcmp(l.v[i].kind, "CalendarItem") != 0)
			keep = 0;
		if (keep)
			l.v[kept++] = l.v[i];
		else
			sim_item_dispose(&l.v[i]);
	}
	l.n = kept;
	/* l.v is NULL for an empty folder: nothing to sort. */
	if (l.n && nkeys && vw->kind != 3) {
		sort_spec spec = { keys, nkeys };

		qsort_r(l.v, l.n, sizeof(sim_item), cmp_items, &spec);
	} else if (l.n && strcmp(f->folder_class, "IPF.Appointment") == 0 && vw->kind != 3) {
		sort_key k = { (char *)"calendar:Start", 0 };
		sort_spec spec = { &k, 1 };

		qsort_r(l.v, l.n, sizeof(sim_item), cmp_items, &spec);
	}
	total = l.n;
	if (vw->kind == 2)
		off = (long)((double)total * (double)vw->num / (double)vw->den);
	if (vw->kind == 3 || vw->kind == 0 || vw->kind == 4)
		off = 0;
	if (vw->from_end) {
		long s = (long)total - off - (vw->max < 0 ? (long)total : vw->max);

		start = s < 0 ? 0 : (size_t)s;
		n = (long)total - off - (long)start > 0 ? (size_t)((long)total - off - (long)start) : 0;
	} else {
		start = (size_t)off < total ? (size_t)off : total;
		n = total - start;
		if (vw->max >= 0 && n > (size_t)vw->max)
			n = (size_t)vw->max;
	}
emit:
	sim_rm_open(r->out, "FindItemResponseMessage", NULL);
	if (vw->kind == 2)
		buf_printf(r->out, "<m:RootFolder NumeratorOffset=\"%zu\" AbsoluteDenominator=\"%zu\"",
			   fast ? (size_t)off + n : start + n, total);
	else if (vw->kind == 3)
		buf_printf(r->out, "<m:RootFolder");
	else
		buf_printf(r->out, "<m:RootFolder IndexedPagingOffset=\"%zu\"",
			   (fast ? (size_t)off : (vw->from_end ? (size_t)off : start)) + n);
	buf_printf(r->out, " TotalItemsInView=\"%zu\" IncludesLastItemInRange=\"%s\"><t:Items>",
		   total, (vw->from_end ? start == 0
			   : (fast ? (size_t)off + n : start + n) >= total) ? "true" : "false");
	for (i = start; i < start + n && i < l.n; i++)
		sim_item_emit(r, &l.v[i], shape);
	buf_puts(r->out, "</t:Items></m:RootFolder>");
	sim_rm_close(r->out, "FindItemResponseMessage");
	sim_item_list_dispose(&l);
	return 0;
}

int sim_op_find_item(sim_req *r, const xmlNode *op)
{
	sim_shape shape;
	sim_status st = { 0 };
	view vw;
	xmlNode *parents, *c, *restr = NULL, *sort;
	sort_key keys[8];
	size_t nkeys = 0, i;
	char *trav = sim_x_attr(op, "Traversal");
	char *query = sim_x_child_text(op, "QueryString");
	int empty = trav && strcmp(trav, "Shallow") != 0;

	free(trav);
	memset(&shape, 0, sizeof(shape));
	buf_puts(r->out, "<m:FindItemResponse><m:ResponseMessages>");
	if (sim_shape_parse(&shape, sim_x_child(op, "ItemShape"), 1, &st) < 0 ||
	    parse_view(&vw, op, r->tz, &st) < 0)
		goto error;
	if ((c = sim_x_child(op, "Restriction")))
		restr = sim_x_child(c, NULL);
	if (restr && vw.kind == 3) {
		sim_failf(&st, "ErrorInvalidRequest",
			  "Restrictions are not allowed with a CalendarView.");
		goto error;
	}
	sort = sim_x_child(op, "SortOrder");
	for (c = sim_x_child(sort, "FieldOrder"); c && nkeys < 8;
	     c = sim_x_next(c, "FieldOrder")) {
		char *order = sim_x_attr(c, "Order");
		char *u = NULL, *ix = NULL;

		path_of(c, &u, &ix);
		free(ix);
		if (u) {
			keys[nkeys].uri = u;
			keys[nkeys++].desc = !order || strcmp(order, "Ascending") != 0;
		}
		free(order);
	}
	if (query && !*query) {
		free(query);
		query = NULL;
	}
	parents = sim_x_child(op, "ParentFolderIds");
	for (c = parents ? parents->children : NULL; c; c = c->next) {
		sim_folder f;
		sim_status fst = { 0 };

		if (!sim_x_is(c, "FolderId") && !sim_x_is(c, "DistinguishedFolderId"))
			continue;
		if (sim_folder_resolve(&f, r, c, SIM_ACT_READ, &fst) < 0) {
			sim_rm_open(r->out, "FindItemResponseMessage", &fst);
			sim_rm_close(r->out, "FindItemResponseMessage");
			continue;
		}
		if (empty) {
			sim_rm_open(r->out, "FindItemResponseMessage", NULL);
			buf_puts(r->out, "<m:RootFolder IndexedPagingOffset=\"0\" TotalItemsInView=\"0\" IncludesLastItemInRange=\"true\"><t:Items/></m:RootFolder>");
			sim_rm_close(r->out, "FindItemResponseMessage");
		} else if (find_in_folder(r, &f, &vw, restr, query, keys, nkeys,
					  &shape, &fst) < 0) {
			sim_rm_open(r->out, "FindItemResponseMessage", &fst);
			sim_rm_close(r->out, "FindItemResponseMessage");
		}
		sim_folder_dispose(&f);
	}
	goto done;
error:
	sim_rm_open(r->out, "FindItemResponseMessage", &st);
	sim_rm_close(r->out, "FindItemResponseMessage");
done:
	buf_puts(r->out, "</m:ResponseMessages></m:FindItemResponse>");
	for (i = 0; i < nkeys; i++)
		free(keys[i].uri);
	free(query);
	sim_shape_dispose(&shape);
	return 0;
}
