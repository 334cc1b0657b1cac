/* read_util.c - XML walking and JSON building helpers for the readers
 * (see read_util.h). */
#include "soap/read_util.h"
#include "soap/read_items.h"

#include <stdlib.h>
#include <string.h>


int soap__is(const xmlNode *n, const char *local)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, local) == 0;
}

xmlNode *soap__first_elem(const xmlNode *n)
{
	xmlNode *c;

	if (!n)
		return NULL;
	for (c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

xmlNode *soap__next_elem(const xmlNode *n)
{
	xmlNode *c;

	if (!n)
		return NULL;
	for (c = n->next; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

xmlNode *soap__child(const xmlNode *n, const char *local)
{
	xmlNode *c;

	for (c = soap__first_elem(n); c; c = soap__next_elem(c))
		if (strcmp((const char *)c->name, local) == 0)
			return c;
	return NULL;
}

xmlChar *soap__content(const xmlNode *n)
{
	return n ? xmlNodeGetContent(n) : NULL;
}

xmlChar *soap__attr_get(const xmlNode *n, const char *name)
{
	return n ? xmlGetProp(n, BAD_CAST name) : NULL;
}

/* jansson wants valid UTF-8; libxml2 guarantees it for parsed content,
 * json_stringn keeps embedded characters intact. */
static int set_string(json_t *obj, const char *key, xmlChar *s)
{
	json_t *v;
	int rc = 0;

	if (!s)
		return 0;
	v = json_string((const char *)s);
	xmlFree(s);
	if (!v || json_object_set_new(obj, key, v) < 0)
		rc = -1;
	return rc;
}

static int set_bool(json_t *obj, const char *key, xmlChar *s)
{
	int rc = 0;

	if (!s)
		return 0;
	if (strcmp((const char *)s, "true") == 0 || strcmp((const char *)s, "1") == 0)
		rc = json_object_set_new(obj, key, json_true());
	else if (strcmp((const char *)s, "false") == 0 || strcmp((const char *)s, "0") == 0)
		rc = json_object_set_new(obj, key, json_false());
	xmlFree(s);
	return rc < 0 ? -1 : 0;
}

static int set_int(json_t *obj, const char *key, xmlChar *s)
{
	char *end;
	long long v;
	int rc = 0;

	if (!s)
		return 0;
	v = strtoll((const char *)s, &end, 10);
	if (end != (char *)s && *end == '\0')
		rc = json_object_set_new(obj, key, json_integer(v));
	xmlFree(s);
	return rc < 0 ? -1 : 0;
}

int soap__set_text(json_t *obj, const char *key, const xmlNode *n)
{
	return set_string(obj, key, soap__content(n));
}

int soap__set_child_text(json_t *obj, const char *key, const xmlNode *parent,
			 const char *local)
{
	return set_string(obj, key, soap__content(soap__child(parent, local)));
}

int soap__set_child_bool(json_t *obj, const char *key, const xmlNode *parent,
			 const char *local)
{
	return set_bool(obj, key, soap__content(soap__child(parent, local)));
}

int soap__set_child_int(json_t *obj, const char *key, const xmlNode *parent,
			const char *local)
{
	return set_int(obj, key, soap__content(soap__child(parent, local)));
}

int soap__set_attr_text(json_t *obj, const char *key, const xmlNode *n,
			const char *attr)
{
	return set_string(obj, key, soap__attr_get(n, attr));
}

int soap__set_attr_bool(json_t *obj, const char *key, const xmlNode *n,
			const char *attr)
{
	return set_bool(obj, key, soap__attr_get(n, attr));
}

int soap__set_attr_int(json_t *obj, const char *key, const xmlNode *n,
		       const char *attr)
{
	return set_int(obj, key, soap__attr_get(n, attr));
}

json_t *soap__mailbox_json(const xmlNode *mailbox)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	if (soap__set_child_text(o, "name", mailbox, "Name") < 0 ||
	    soap__set_child_text(o, "email", mailbox, "EmailAddress") < 0 ||
	    soap__set_child_text(o, "routing_type", mailbox, "RoutingType") < 0 ||
	    soap__set_child_text(o, "mailbox_type", mailbox, "MailboxType") < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *soap__mailbox_list_json(const xmlNode *n)
{
	json_t *arr = json_array();
	xmlNode *c;

	if (!arr)
		return NULL;
	for (c = soap__first_elem(n); c; c = soap__next_elem(c)) {
		if (!soap__is(c, "Mailbox"))
			continue;
		if (soap__append(arr, soap__mailbox_json(c)) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

int soap__need_messages(const soap_response *r, const char *what, errinfo *err)
{
	if (!r)
		return errinfo_set(err, ERR_INVAL, "%s: no response to read", what);
	if (r->is_fault)
		return soap_response_set_error(err, ERR_PROTOCOL, what, r, NULL);
	if (r->nmsgs == 0)
		return errinfo_set(err, ERR_PROTOCOL, "%s: the response (%s) has no response message",
				   what, r->operation ? r->operation : "?");
	return 0;
}

int soap__first_ok(const soap_msg **out, const soap_response *r, const char *what,
		   errinfo *err)
{
	int error;

	*out = NULL;
	if ((error = soap__need_messages(r, what, err)) < 0)
		return error;
	if (soap_msg_is_error(&r->msgs[0]))
		return soap_response_set_error(err, ERR_PROTOCOL, what, r, &r->msgs[0]);
	*out = &r->msgs[0];
	return 0;
}

int soap__append(json_t *arr, json_t *v)
{
	if (!v)
		return -1;
	return json_array_append_new(arr, v) < 0 ? -1 : 0;
}

int soap__read_batch(json_t **out, const soap_response *r, const char *container,
		     soap__element_fn convert, const char *what, errinfo *err)
{
	json_t *arr;
	size_t i;
	int error;

	*out = NULL;
	if ((error = soap__need_messages(r, r && r->operation ? r->operation : what, err)) < 0)
		return error;
	arr = json_array();
	if (!arr)
		return errinfo_set(err, ERR_NOMEM, "out of memory reading %s", what);
	for (i = 0; i < r->nmsgs; i++) {
		const soap_msg *m = &r->msgs[i];
		xmlNode *first = soap__first_elem(soap__child(m->node, container));
		json_t *v;

		if (soap_msg_is_error(m)) {
			v = soap_msg_error_json(m);
		} else if (first) {
			if ((error = convert(&v, first, err)) < 0) {
				json_decref(arr);
				return error;
			}
		} else {
			v = json_object();
		}
		if (soap__append(arr, v) < 0) {
			json_decref(arr);
			return errinfo_set(err, ERR_NOMEM, "out of memory reading %s", what);
		}
	}
	*out = arr;
	return 0;
}
